"""Cached access to `etl.queries` for the pages.

Results are cached with `st.cache_data`, keyed on the query name, its parameters and the warehouse's
version (file mtime + size), so a rebuilt warehouse shows at once without restarting the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from etl import queries


def db_path() -> Path:
    return queries.default_db_path()


def db_ready() -> bool:
    return db_path().is_file()


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_freeze(v) for v in value)
    return value


@st.cache_data(show_spinner=False, max_entries=512, ttl=6 * 3600)
def _cached(name: str, path: str, version: str, args: tuple, kwargs: tuple) -> pd.DataFrame:
    fn = getattr(queries, name)
    return fn(path, *args, **{k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs})


class WarehouseError(RuntimeError):
    """The warehouse exists but cannot be read (locked, corrupt, or built by an older version)."""


def load(name: str, *args: Any, **kwargs: Any) -> pd.DataFrame:
    """Run `etl.queries.<name>(db_path, *args, **kwargs)` through the cache; returns a DataFrame."""
    path = db_path()
    frozen_args = tuple(_freeze(a) for a in args)
    frozen_kwargs = tuple(sorted((k, _freeze(v)) for k, v in kwargs.items()))
    try:
        return _cached(name, str(path), queries.db_version(path), frozen_args, frozen_kwargs)
    except queries.WarehouseMissing:
        raise
    except duckdb.Error as exc:
        raise WarehouseError(str(exc)) from exc


def batches(name: str, **kwargs: Any) -> Iterator[pd.DataFrame]:
    """`etl.queries.<name>(db_path, **kwargs)` for a generator of frames (a streamed download): not cached,
    each chunk is written out and dropped."""
    return getattr(queries, name)(db_path(), **kwargs)


def clear() -> None:
    _cached.clear()
