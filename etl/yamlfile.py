"""Reading the YAML files beside the code (catalog, rules, interface texts) with one loader: libyaml's C parser
when PyYAML was built with it (about 20x faster than the pure-Python one; a cold dashboard page parsed
i18n.yaml alone in ~0.25 s), else the safe Python loader."""

from __future__ import annotations

from typing import IO, Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source: str | IO[str]) -> Any:
    """The document in `source` (text or an open file), parsed safely."""
    return yaml.load(source, Loader=LOADER)
