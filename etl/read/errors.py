"""The one exception every reader raises on bad input."""

from __future__ import annotations

from pathlib import Path


class ReadError(Exception):
    """A file that cannot be read, with a short human reason ("empty file", "ZIP bomb: 1.2 GB ...")."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")

    def __reduce__(self):  # keep pickling (multiprocessing) working with the two-argument constructor
        return (type(self), (self.path, self.reason))
