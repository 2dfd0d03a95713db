"""Every read the dashboard and the exports make from the warehouse.

Plain functions `(db_path, ...params) -> pandas.DataFrame`. Each runs on its own cursor of one shared
read-only attachment of the file, kept while the file is unchanged (same inode, mtime and size): opening a
big warehouse costs tens of milliseconds, a cursor almost nothing. When the ETL replaces the file, the
next query attaches the new one and the old attachment closes once its last query ends, so a page never
reads a replaced warehouse; an attachment idle for `IDLE_SECONDS` closes too (it holds DuckDB's cached
blocks). While attached, this process cannot open the same file read-write: call `release()` first.
SQL is static text with named parameters only; a value the user typed never becomes SQL.

Conventions shared by the functions:
- a list filter of `None` means "no filter", an empty list means "nothing selected" (no rows);
- `scope=None` keeps every scope, `scope="auto"` keeps each indicator's headline scope (the scope most
  provinces report it at), any other string keeps that scope only;
- `per="pop"` shows additive counts per 10,000 people, `per="area"` per 100 km² (population table);
  other indicators keep their value; the original stays in `raw_value`;
- ranks are "min" ranks (1, 2, 2, 4) among the provinces of the same scheme that reported the
  indicator that year at that scope (achieved values only); rank 1 is the best value in the indicator's
  direction; indicators with a neutral direction have no rank.
"""

from __future__ import annotations

import atexit
import os
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO_ROOT / "data" / "ictdash.duckdb"
SCOPES = ("all", "province", "population", "household", "district", "commune", "village")
PER_CHOICES = ("pop", "area")


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist (build it with `make run` / `ictdash etl`)."""


def default_db_path() -> Path:
    """The warehouse path: env ICTDASH_DB, else data/ictdash.duckdb under the repository root."""
    env = os.environ.get("ICTDASH_DB", "").strip()
    return Path(env).expanduser() if env else DEFAULT_DB


def db_version(db_path: str | Path) -> str:
    """A token that changes whenever the warehouse file is replaced (mtime_ns + size)."""
    try:
        st = Path(db_path).stat()
    except OSError:
        return "missing"
    return f"{st.st_mtime_ns}-{st.st_size}"


class _Attached:
    """One read-only attachment of a warehouse file, shared by the queries while the file is unchanged.

    An in-memory database ATTACHes the file: `duckdb.connect(path)` would share DuckDB's per-path
    instance cache, which can hand back an instance of the replaced file while a query still holds it.
    """

    def __init__(self, path: str, key: tuple[int, int, int]) -> None:
        self.key = key
        self.con: duckdb.DuckDBPyConnection | None = duckdb.connect(":memory:")
        try:
            self.con.execute("ATTACH ? AS warehouse (READ_ONLY)", [path])
        except BaseException:
            self.con.close()
            raise
        self.active = 0  # cursors in use
        self.retired = False  # the file was replaced: close when the last cursor is done
        self.last_used = time.monotonic()
        self.timer: threading.Timer | None = None  # closes the attachment once idle

    def close(self) -> None:
        """Close and let go of the connection (a pending idle timer may keep this object a while)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        con, self.con = self.con, None
        if con is not None:
            con.close()


_ATTACHED: dict[str, _Attached] = {}
_ATTACH_LOCK = threading.Lock()
# An attachment nobody used for this long is closed: DuckDB keeps the blocks it read (about 100 MB for
# a million observations) while it is open; a page's queries come within a second of each other.
IDLE_SECONDS = 10.0


def _file_key(path: Path) -> tuple[int, int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise WarehouseMissing(str(path)) from exc
    return st.st_ino, st.st_mtime_ns, st.st_size


def _retire(att: _Attached) -> None:
    att.retired = True
    if att.active == 0:
        att.close()


def _close_when_idle(name: str, att: _Attached) -> None:
    """Timer callback: close `att` if idle for IDLE_SECONDS, else look again when it will have been."""
    with _ATTACH_LOCK:
        att.timer = None
        if att.retired or _ATTACHED.get(name) is not att:
            return
        idle = time.monotonic() - att.last_used
        if att.active == 0 and idle >= IDLE_SECONDS:
            del _ATTACHED[name]
            _retire(att)
        else:
            _start_idle_timer(name, att, max(0.05, IDLE_SECONDS - idle))


def _start_idle_timer(name: str, att: _Attached, delay: float) -> None:
    """(With the lock held.) One timer per attachment at a time."""
    if att.timer is None:
        att.timer = threading.Timer(delay, _close_when_idle, args=(name, att))
        att.timer.daemon = True
        att.timer.start()


def release() -> None:
    """Close the attachments no query is using (the next query attaches again)."""
    with _ATTACH_LOCK:
        for name, att in list(_ATTACHED.items()):
            if att.active == 0:
                del _ATTACHED[name]
                _retire(att)


atexit.register(release)  # close them before the interpreter tears DuckDB's bindings down


@contextmanager
def _connect(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path = Path(db_path)
    if not path.is_file():
        raise WarehouseMissing(str(path))
    name = str(path.resolve())
    key = _file_key(path)
    with _ATTACH_LOCK:
        att = _ATTACHED.get(name)
        if att is None or att.key != key:
            if att is not None:
                del _ATTACHED[name]
                _retire(att)
            att = _ATTACHED[name] = _Attached(name, key)
        att.active += 1
        try:
            cur = att.con.cursor()
        except BaseException:
            att.active -= 1
            raise
    try:
        cur.execute("USE warehouse")
        yield cur
    finally:
        cur.close()
        with _ATTACH_LOCK:
            att.active -= 1
            att.last_used = time.monotonic()
            if att.retired and att.active == 0:
                att.close()
            elif att.active == 0:
                _start_idle_timer(name, att, IDLE_SECONDS)


def _df(db_path: str | Path, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    with _connect(db_path) as con:
        return con.execute(sql, params or {}).df()


def _list(values: Sequence[str] | str | None) -> list[str] | None:
    """None stays None (no filter); a single string becomes a one-item list."""
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values]


def _check_per(per: str | None) -> str | None:
    if per not in (None, *PER_CHOICES):
        raise ValueError(f"per must be one of {PER_CHOICES} or None, not {per!r}")
    return per


# ---------------------------------------------------------------------------------------------------
# Reference tables


def meta(db_path: str | Path) -> pd.DataFrame:
    """The warehouse's meta table (key, value): schema_version, extractor_version, built_at, ..."""
    return _df(db_path, "SELECT key, value FROM meta ORDER BY key")


def provinces(db_path: str | Path, scheme: str | None = None) -> pd.DataFrame:
    """Provinces of one scheme ('63' or '34') or of both, ordered by scheme and official code."""
    sql = """
        SELECT province_id, scheme, code, name, coalesce(name_en, name) AS name_en, kind, region,
               iso_3166_2, valid_from, valid_to, successor_id
        FROM provinces
        WHERE ($scheme::VARCHAR IS NULL OR scheme = $scheme::VARCHAR)
        ORDER BY scheme DESC, code
    """
    return _df(db_path, sql, {"scheme": scheme})


def indicators(db_path: str | Path) -> pd.DataFrame:
    """The indicator catalog with how much the warehouse holds for each (n_obs, n_provinces, years)."""
    sql = """
        WITH stats AS (
            SELECT indicator_id, count(*) AS n_obs, count(DISTINCT province_id) AS n_provinces,
                   min(year) AS first_year, max(year) AS last_year
            FROM observations WHERE review_status <> 'rejected'
            GROUP BY indicator_id
        )
        SELECT i.*, coalesce(s.n_obs, 0) AS n_obs, coalesce(s.n_provinces, 0) AS n_provinces,
               s.first_year, s.last_year
        FROM indicators i LEFT JOIN stats s USING (indicator_id)
        ORDER BY i.grp, i.indicator_id
    """
    return _df(db_path, sql)


def year_range(db_path: str | Path) -> pd.DataFrame:
    """One row: min_year, max_year over observations with a known year (NULLs when there are none)."""
    sql = """
        SELECT min(year) AS min_year, max(year) AS max_year
        FROM observations WHERE year IS NOT NULL AND review_status <> 'rejected'
    """
    return _df(db_path, sql)


def indicator_years(db_path: str | Path, indicator_id: str, scheme: str | None = None) -> pd.DataFrame:
    """Years with achieved values of one indicator (year, n_provinces), optionally in one scheme."""
    sql = """
        SELECT o.year, count(DISTINCT o.province_id) AS n_provinces
        FROM observations o JOIN provinces p USING (province_id)
        WHERE o.indicator_id = $i AND o.year IS NOT NULL AND o.review_status <> 'rejected'
          AND NOT o.is_target AND ($scheme::VARCHAR IS NULL OR p.scheme = $scheme::VARCHAR)
        GROUP BY o.year ORDER BY o.year
    """
    return _df(db_path, sql, {"i": indicator_id, "scheme": scheme})


def headline_scopes(db_path: str | Path) -> pd.DataFrame:
    """For each indicator, the scope most provinces report it at (indicator_id, scope, n_provinces).

    Counted on `facts` (one row per province, year, indicator, scope and kind; rejected values and
    unknown years or provinces already left out): the same provinces as in the observations, read from a
    table ten times smaller.
    """
    sql = """
        SELECT indicator_id, scope, n_provinces FROM (
            SELECT indicator_id, scope, count(DISTINCT province_id) AS n_provinces,
                   row_number() OVER (PARTITION BY indicator_id ORDER BY count(DISTINCT province_id) DESC,
                       list_position(['all', 'province', 'population', 'household', 'district',
                                      'commune', 'village'], scope) NULLS LAST, scope) AS rn
            FROM facts
            WHERE NOT is_target
            GROUP BY indicator_id, scope
        ) WHERE rn = 1
        ORDER BY indicator_id
    """
    return _df(db_path, sql)


# ---------------------------------------------------------------------------------------------------
# Facts: the values the pages show

# `headline`: the scope most provinces report each indicator at (see `headline_scopes`), from `facts`.
_FACTS_SQL = """
WITH headline AS (
    SELECT indicator_id, scope FROM (
        SELECT indicator_id, scope,
               row_number() OVER (PARTITION BY indicator_id ORDER BY count(DISTINCT province_id) DESC,
                   list_position(['all', 'province', 'population', 'household', 'district',
                                  'commune', 'village'], scope) NULLS LAST, scope) AS rn
        FROM facts
        WHERE NOT is_target
        GROUP BY indicator_id, scope
    ) WHERE rn = 1
), pop AS (
    SELECT province_id, year, max(population) AS population
    FROM population WHERE population IS NOT NULL GROUP BY province_id, year
), area AS (
    SELECT province_id, max(area_km2) AS area_km2
    FROM population WHERE area_km2 IS NOT NULL GROUP BY province_id
), base AS (
    SELECT f.*, i.direction, i.additive,
           p.scheme, p.region, p.name AS p_name, p.name_en AS p_name_en,
           pop.population, area.area_km2,
           CASE WHEN $per::VARCHAR IS NULL OR NOT i.additive THEN f.value
                WHEN $per::VARCHAR = 'pop' THEN f.value / nullif(pop.population, 0) * 10000
                ELSE f.value / nullif(area.area_km2, 0) * 100 END AS shown_value
    FROM facts f
    JOIN indicators i ON i.indicator_id = f.indicator_id
    LEFT JOIN provinces p ON p.province_id = f.province_id
    LEFT JOIN headline h ON h.indicator_id = f.indicator_id
    LEFT JOIN pop ON pop.province_id = f.province_id AND pop.year = f.year
    LEFT JOIN area ON area.province_id = f.province_id
    WHERE ($indicators::VARCHAR[] IS NULL OR f.indicator_id = ANY($indicators::VARCHAR[]))
      AND ($y0::INTEGER IS NULL OR f.year >= $y0::INTEGER)
      AND ($y1::INTEGER IS NULL OR f.year <= $y1::INTEGER)
      AND ($scope::VARCHAR IS NULL
           OR ($scope::VARCHAR = 'auto' AND f.scope = h.scope)
           OR f.scope = $scope::VARCHAR)
      AND ($is_target::BOOLEAN IS NULL OR f.is_target = $is_target::BOOLEAN)
      AND ($scheme::VARCHAR IS NULL OR p.scheme = $scheme::VARCHAR)
), achieved AS (
    SELECT obs_id,
           rank() OVER (PARTITION BY indicator_id, year, scope, scheme
                        ORDER BY CASE WHEN direction = 'down' THEN shown_value ELSE -shown_value END) AS rank,
           count(*) OVER part AS n_ranked,
           median(shown_value) OVER part AS median
    FROM base
    WHERE NOT is_target AND shown_value IS NOT NULL
    WINDOW part AS (PARTITION BY indicator_id, year, scope, scheme)
)
SELECT b.province_id,
       coalesce(b.p_name, b.province_name) AS province_name,
       coalesce(b.p_name_en, b.p_name, b.province_name) AS province_name_en,
       b.region, b.scheme, b.year, b.indicator_id, b.scope, b.is_target,
       b.shown_value AS value, b.value AS raw_value,
       CASE WHEN $per::VARCHAR IS NOT NULL AND b.additive
            THEN (CASE WHEN $per::VARCHAR = 'pop' THEN 'per_10k_pop' ELSE 'per_100km2' END)
            ELSE b.unit END AS unit,
       b.unit AS raw_unit, b.qualifier, b.denominator, b.period, b.population, b.area_km2,
       CASE WHEN b.direction = 'neutral' THEN NULL ELSE a.rank END AS rank,
       a.n_ranked, a.median,
       b.n_sources, b.n_disagree, b.confidence, b.review_status, b.origin, b.rule,
       b.doc_id, b.obs_id, b.doc_title, b.doc_url, b.published, b.evidence, b.start_offset, b.end_offset
FROM base b LEFT JOIN achieved a ON a.obs_id = b.obs_id
WHERE ($provinces::VARCHAR[] IS NULL OR b.province_id = ANY($provinces::VARCHAR[]))
  AND ($regions::VARCHAR[] IS NULL OR b.region = ANY($regions::VARCHAR[]))
  AND ($statuses::VARCHAR[] IS NULL OR b.review_status = ANY($statuses::VARCHAR[]))
ORDER BY b.indicator_id, b.scheme DESC, b.province_id, b.year, b.scope, b.is_target
LIMIT $limit
"""


def _facts_params(provinces: Sequence[str] | None, indicators: Sequence[str] | None, y0: int | None,
                  y1: int | None, scope: str | None, is_target: bool | None, regions: Sequence[str] | None,
                  review_status: Sequence[str] | None, scheme: str | None, per: str | None) -> dict[str, Any]:
    """The named parameters of _FACTS_SQL (all but `limit`), checked and typed."""
    return {
        "provinces": _list(provinces), "indicators": _list(indicators),
        "y0": None if y0 is None else int(y0), "y1": None if y1 is None else int(y1),
        "scope": scope, "is_target": is_target, "regions": _list(regions), "statuses": _list(review_status),
        "scheme": scheme, "per": _check_per(per),
    }


def facts(
    db_path: str | Path,
    *,
    provinces: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    y0: int | None = None,
    y1: int | None = None,
    scope: str | None = None,
    is_target: bool | None = None,
    regions: Sequence[str] | None = None,
    review_status: Sequence[str] | None = None,
    scheme: str | None = None,
    per: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The shown value per (province, year, indicator, scope, is_target), filtered, with its source.

    Columns: province_id, province_name, province_name_en, region, scheme, year, indicator_id, scope,
    is_target, value (per-capita when `per` applies), raw_value, unit, raw_unit, qualifier,
    denominator, period, population, area_km2, rank, n_ranked, median (national median of reporting
    provinces), n_sources, n_disagree, confidence, review_status, origin, rule, doc_id, obs_id,
    doc_title, doc_url, published, evidence, start_offset, end_offset.
    """
    params = _facts_params(provinces, indicators, y0, y1, scope, is_target, regions, review_status, scheme, per)
    return _df(db_path, _FACTS_SQL, params | {"limit": None if limit is None else int(limit)})


# the keys and values of the rows `facts` returns, for aggregates (DuckDB computes no other column)
_FACTS_VALUES_SQL = "SELECT indicator_id, year, scope, scheme, value FROM (" + _FACTS_SQL + ")"  # noqa: S608

# counts the rows `facts` returns; only the columns it reads are computed (DuckDB prunes the rest)
_FACTS_SUMMARY_SQL = (
    "SELECT count(*) AS n_rows, coalesce(list(DISTINCT indicator_id ORDER BY indicator_id), []) AS indicator_ids "
    "FROM (" + _FACTS_SQL + ")"
)


def facts_summary(
    db_path: str | Path,
    *,
    provinces: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    y0: int | None = None,
    y1: int | None = None,
    scope: str | None = None,
    is_target: bool | None = None,
    regions: Sequence[str] | None = None,
    review_status: Sequence[str] | None = None,
    scheme: str | None = None,
    per: str | None = None,
) -> pd.DataFrame:
    """One row about what `facts` returns with the same filters: n_rows and indicator_ids (sorted list).

    Lets a page show a count and the first rows (`facts(..., limit=N)`) without reading every row.
    """
    params = _facts_params(provinces, indicators, y0, y1, scope, is_target, regions, review_status, scheme, per)
    df = _df(db_path, _FACTS_SUMMARY_SQL, params | {"limit": None})
    df["indicator_ids"] = [[str(i) for i in ids] for ids in df["indicator_ids"]]
    return df


DOWNLOAD_MEMORY = os.environ.get("ICTDASH_DOWNLOAD_MEMORY", "256MB")  # DuckDB's share of a download
DOWNLOAD_BATCH_ROWS = 20_000  # rows per chunk of a streamed download (a few MB of pandas at a time)


def facts_batches(
    db_path: str | Path,
    *,
    batch_rows: int | None = None,
    provinces: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    y0: int | None = None,
    y1: int | None = None,
    scope: str | None = None,
    is_target: bool | None = None,
    regions: Sequence[str] | None = None,
    review_status: Sequence[str] | None = None,
    scheme: str | None = None,
    per: str | None = None,
) -> Iterator[pd.DataFrame]:
    """The rows `facts` returns with the same filters, `batch_rows` at a time (default DOWNLOAD_BATCH_ROWS,
    read at call time; DuckDB streams them as Arrow batches), so a download of a million rows is written
    chunk by chunk, never held as one frame. A generator: the read-only connection is held until it is
    exhausted or closed."""
    import pyarrow as pa

    # integers stay integers in every chunk, with or without NULLs (a NULL would otherwise make that chunk's
    # column float, its cells "0.0" where the chunk before wrote "0")
    nullable = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
                pa.int64(): pd.Int64Dtype()}
    params = _facts_params(provinces, indicators, y0, y1, scope, is_target, regions, review_status, scheme, per)
    path = Path(db_path)
    if not path.is_file():
        raise WarehouseMissing(str(path))
    # A connection of its own, not the pages' shared attachment: DuckDB's memory is per database instance,
    # and sorting a million rows with their evidence under the default limit (80 % of RAM) held ~900 MB.
    # Bounded like the CLI export (one thread, 256 MB, spilling to a temporary folder), then closed.
    with tempfile.TemporaryDirectory(prefix="ictdash-download-") as spill, \
            closing(duckdb.connect(":memory:")) as con:
        con.execute("SET memory_limit = ?", [DOWNLOAD_MEMORY])
        con.execute("SET threads = 1")
        con.execute("SET enable_progress_bar = false")
        con.execute("SET temp_directory = ?", [spill])
        con.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(path.resolve())])
        con.execute("USE warehouse")
        rows = max(1, int(batch_rows or DOWNLOAD_BATCH_ROWS))
        reader = con.sql(_FACTS_SQL, params=params | {"limit": None}).to_arrow_reader(rows)
        for batch in reader:
            yield batch.to_pandas(types_mapper=nullable.get)


def latest(
    db_path: str | Path,
    *,
    indicators: Sequence[str] | None = None,
    provinces: Sequence[str] | None = None,
    y0: int | None = None,
    y1: int | None = None,
    scope: str | None = "auto",
    per: str | None = None,
) -> pd.DataFrame:
    """The most recent achieved value of each (province, indicator, scope) up to `y1`."""
    df = facts(db_path, indicators=indicators, provinces=provinces, y0=y0, y1=y1, scope=scope,
               is_target=False, per=per)
    if df.empty:
        return df
    df = df.sort_values(["province_id", "indicator_id", "scope", "year"])
    return df.groupby(["province_id", "indicator_id", "scope"], sort=False).tail(1).reset_index(drop=True)


def coverage(
    db_path: str | Path,
    *,
    provinces: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    y0: int | None = None,
    y1: int | None = None,
    scope: str | None = None,
) -> pd.DataFrame:
    """Which years have an achieved value, per (province, indicator): years (list), n_years, first, last.

    `scope` None counts every scope; a scope name counts that scope only.
    """
    sql = """
        SELECT f.province_id, coalesce(p.name, any_value(f.province_name)) AS province_name,
               coalesce(p.name_en, p.name, any_value(f.province_name)) AS province_name_en, f.indicator_id,
               list(DISTINCT f.year ORDER BY f.year) AS years, count(DISTINCT f.year) AS n_years,
               min(f.year) AS first_year, max(f.year) AS last_year
        FROM facts f LEFT JOIN provinces p ON p.province_id = f.province_id
        WHERE NOT f.is_target
          AND ($provinces::VARCHAR[] IS NULL OR f.province_id = ANY($provinces::VARCHAR[]))
          AND ($indicators::VARCHAR[] IS NULL OR f.indicator_id = ANY($indicators::VARCHAR[]))
          AND ($y0::INTEGER IS NULL OR f.year >= $y0::INTEGER)
          AND ($y1::INTEGER IS NULL OR f.year <= $y1::INTEGER)
          AND ($scope::VARCHAR IS NULL OR f.scope = $scope::VARCHAR)
        GROUP BY f.province_id, p.name, p.name_en, f.indicator_id
        ORDER BY f.province_id, f.indicator_id
    """
    df = _df(db_path, sql, {"provinces": _list(provinces), "indicators": _list(indicators),
                            "y0": y0, "y1": y1, "scope": None if scope == "auto" else scope})
    df["years"] = [[int(y) for y in ys] for ys in df["years"]]
    return df


def load_summary(db_path: str | Path) -> pd.DataFrame:
    """One row about what the warehouse holds, for the overview's "what is loaded" line.

    n_documents (read with text), n_failed; n_provinces (with at least one shown value) and n_provinces_63
    / n_provinces_34 by scheme; first_year, last_year, n_years (of achieved values); n_facts; n_checked
    (shown values a person confirmed, corrected or added) and n_observations (values read, rejected ones aside);
    n_unknown_year and n_unknown_province (read but kept out of the facts).
    """
    sql = """
        WITH f AS (
            SELECT f.province_id, f.year, f.is_target, f.review_status, p.scheme
            FROM facts f LEFT JOIN provinces p ON p.province_id = f.province_id
        )
        SELECT
          (SELECT count(*) FROM documents WHERE status = 'ok') AS n_documents,
          (SELECT count(*) FROM documents WHERE status <> 'ok') AS n_failed,
          (SELECT count(DISTINCT province_id) FROM f) AS n_provinces,
          (SELECT count(DISTINCT province_id) FROM f WHERE scheme = '63') AS n_provinces_63,
          (SELECT count(DISTINCT province_id) FROM f WHERE scheme = '34') AS n_provinces_34,
          (SELECT min(year) FROM f WHERE NOT is_target) AS first_year,
          (SELECT max(year) FROM f WHERE NOT is_target) AS last_year,
          (SELECT count(DISTINCT year) FROM f WHERE NOT is_target) AS n_years,
          (SELECT count(*) FROM f) AS n_facts,
          (SELECT count(*) FROM f WHERE review_status IN ('confirmed', 'corrected', 'added')) AS n_checked,
          (SELECT count(*) FROM observations WHERE review_status <> 'rejected') AS n_observations,
          (SELECT count(*) FROM observations WHERE year IS NULL AND review_status <> 'rejected')
              AS n_unknown_year,
          (SELECT count(*) FROM observations WHERE province_id IS NULL AND review_status <> 'rejected')
              AS n_unknown_province
    """
    return _df(db_path, sql)


def hidden_counts(
    db_path: str | Path,
    *,
    provinces: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    y0: int | None = None,
    y1: int | None = None,
    scope: str | None = "auto",
    is_target: bool | None = False,
) -> pd.DataFrame:
    """What a view hides, per province: one row per province with anything hidden (or none).

    For the same provinces and indicators as a `facts(...)` call: n_other_scope (facts in the years but
    at a scope the `scope` filter leaves out), n_other_years (facts at a kept scope outside y0..y1),
    n_unknown_year (values read for them whose year the text did not tell; never in the facts).
    A row per province (`province_id`), only where something is hidden.
    """
    sql = """
        WITH headline AS (
            SELECT indicator_id, scope FROM (
                SELECT indicator_id, scope,
                       row_number() OVER (PARTITION BY indicator_id ORDER BY count(DISTINCT province_id) DESC,
                           list_position(['all', 'province', 'population', 'household', 'district',
                                          'commune', 'village'], scope) NULLS LAST, scope) AS rn
                FROM facts WHERE NOT is_target GROUP BY indicator_id, scope
            ) WHERE rn = 1
        ), f AS (
            SELECT f.province_id,
                   ($scope::VARCHAR IS NULL OR ($scope::VARCHAR = 'auto' AND f.scope = h.scope)
                    OR f.scope = $scope::VARCHAR) AS scope_kept,
                   (($y0::INTEGER IS NULL OR f.year >= $y0::INTEGER)
                    AND ($y1::INTEGER IS NULL OR f.year <= $y1::INTEGER)) AS year_kept
            FROM facts f LEFT JOIN headline h ON h.indicator_id = f.indicator_id
            WHERE ($provinces::VARCHAR[] IS NULL OR f.province_id = ANY($provinces::VARCHAR[]))
              AND ($indicators::VARCHAR[] IS NULL OR f.indicator_id = ANY($indicators::VARCHAR[]))
              AND ($is_target::BOOLEAN IS NULL OR f.is_target = $is_target::BOOLEAN)
        ), counted AS (
            SELECT province_id,
                   count(*) FILTER (WHERE year_kept AND NOT scope_kept) AS n_other_scope,
                   count(*) FILTER (WHERE scope_kept AND NOT year_kept) AS n_other_years,
                   0 AS n_unknown_year
            FROM f GROUP BY province_id
            UNION ALL
            SELECT province_id, 0, 0, count(*)
            FROM observations
            WHERE year IS NULL AND province_id IS NOT NULL AND review_status <> 'rejected'
              AND ($provinces::VARCHAR[] IS NULL OR province_id = ANY($provinces::VARCHAR[]))
              AND ($indicators::VARCHAR[] IS NULL OR indicator_id = ANY($indicators::VARCHAR[]))
              AND ($is_target::BOOLEAN IS NULL OR is_target = $is_target::BOOLEAN)
            GROUP BY province_id
        )
        SELECT province_id, sum(n_other_scope)::BIGINT AS n_other_scope,
               sum(n_other_years)::BIGINT AS n_other_years, sum(n_unknown_year)::BIGINT AS n_unknown_year
        FROM counted GROUP BY province_id
        HAVING sum(n_other_scope) + sum(n_other_years) + sum(n_unknown_year) > 0
        ORDER BY province_id
    """
    return _df(db_path, sql, {"provinces": _list(provinces), "indicators": _list(indicators),
                              "y0": None if y0 is None else int(y0), "y1": None if y1 is None else int(y1),
                              "scope": scope, "is_target": is_target})


def province_profile(
    db_path: str | Path,
    province_id: str,
    *,
    y0: int | None = None,
    y1: int | None = None,
    per: str | None = None,
) -> pd.DataFrame:
    """Every value of one province (all scopes, targets too), with change from the previous value.

    Adds prev_year, prev_value and change (value - prev_value) within (indicator, scope, is_target).
    """
    df = facts(db_path, provinces=[province_id], y0=y0, y1=y1, scope=None, per=per)
    if df.empty:
        return df.assign(prev_year=pd.Series(dtype="Int64"), prev_value=pd.Series(dtype="float64"),
                         change=pd.Series(dtype="float64"))
    df = df.sort_values(["indicator_id", "scope", "is_target", "year"]).reset_index(drop=True)
    grouped = df.groupby(["indicator_id", "scope", "is_target"], sort=False)
    df["prev_year"] = grouped["year"].shift(1)
    df["prev_value"] = grouped["value"].shift(1)
    df["change"] = df["value"] - df["prev_value"]
    return df


def national_median(
    db_path: str | Path,
    *,
    indicators: Sequence[str] | None = None,
    y0: int | None = None,
    y1: int | None = None,
    scope: str | None = "auto",
    per: str | None = None,
) -> pd.DataFrame:
    """Median of the reporting provinces per (indicator, year, scope, scheme), with n_reporting."""
    params = {
        "provinces": None, "indicators": _list(indicators), "y0": None if y0 is None else int(y0),
        "y1": None if y1 is None else int(y1), "scope": scope, "is_target": False, "regions": None,
        "statuses": None, "scheme": None, "per": _check_per(per), "limit": None,
    }
    df = _df(db_path, _FACTS_VALUES_SQL, params)  # the facts' values only, not every column
    cols = ["indicator_id", "year", "scope", "scheme", "median", "n_reporting"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = (df.dropna(subset=["value"])
             .groupby(["indicator_id", "year", "scope", "scheme"])["value"]
             .agg(median="median", n_reporting="count").reset_index())
    return out[cols]


# ---------------------------------------------------------------------------------------------------
# Map: one indicator, one year, either scheme


def map_values(
    db_path: str | Path,
    indicator_id: str,
    year: int,
    *,
    scheme: str = "63",
    scope: str | None = "auto",
    per: str | None = None,
) -> pd.DataFrame:
    """One row per province of `scheme`: value (NaN = no data) and why.

    status: 'reported' (a value for that province), 'aggregated' (a merged province whose predecessors
    all reported an additive count: their sum), 'carried' (a province that kept its borders: its
    predecessor's value), 'not_additive' (merged, but the indicator cannot be summed), 'incomplete'
    (merged, some predecessors did not report; `missing` lists them), 'no_data'.
    For scheme '34', values reported directly for the new province win over aggregation.
    """
    per = _check_per(per)
    if scheme not in ("63", "34"):
        raise ValueError("scheme must be '63' or '34'")
    provs = provinces(db_path, scheme=scheme)
    ind = _df(db_path, "SELECT indicator_id, additive, unit FROM indicators WHERE indicator_id = $i",
              {"i": indicator_id})
    cols = ["province_id", "name", "name_en", "value", "qualifier", "unit", "status", "missing",
            "n_predecessors", "doc_id", "obs_id"]
    if provs.empty or ind.empty:
        return pd.DataFrame(columns=cols)
    additive = bool(ind["additive"].iloc[0])
    direct = facts(db_path, indicators=[indicator_id], y0=year, y1=year, scope=scope, is_target=False,
                   scheme=scheme, per=per)
    direct = _one_scope(direct)
    out = provs[["province_id", "name", "name_en"]].merge(
        direct[["province_id", "value", "qualifier", "unit", "doc_id", "obs_id"]], on="province_id",
        how="left")
    out["status"] = out["value"].notna().map({True: "reported", False: "no_data"})
    out["missing"] = [[] for _ in range(len(out))]
    out["n_predecessors"] = 0
    if scheme == "34":
        out = _fill_from_predecessors(db_path, out, indicator_id, year, scope, per, additive)
    return out[cols]


def _one_scope(df: pd.DataFrame) -> pd.DataFrame:
    """Keep one scope per province (the indicator's most reported one in this frame)."""
    if df.empty or df["scope"].nunique() <= 1:
        return df
    top = df["scope"].value_counts().index[0]
    return df[df["scope"] == top]


def _fill_from_predecessors(
    db_path: str | Path, out: pd.DataFrame, indicator_id: str, year: int, scope: str | None,
    per: str | None, additive: bool,
) -> pd.DataFrame:
    old = provinces(db_path, scheme="63")
    old = old[old["successor_id"].notna()]
    if old.empty:
        return out
    raw = _one_scope(facts(db_path, indicators=[indicator_id], y0=year, y1=year, scope=scope,
                           is_target=False, scheme="63"))
    reported = raw.set_index("province_id")
    pops = _df(db_path, """
        SELECT province_id, max(population) AS population FROM population
        WHERE year = $y AND population IS NOT NULL GROUP BY province_id""", {"y": int(year)})
    pop = pops.set_index("province_id")["population"].to_dict()
    areas = _df(db_path, """
        SELECT province_id, max(area_km2) AS area_km2 FROM population
        WHERE area_km2 IS NOT NULL GROUP BY province_id""")
    area = areas.set_index("province_id")["area_km2"].to_dict()
    out = out.set_index("province_id")
    for succ, group in old.groupby("successor_id"):
        if succ not in out.index or out.at[succ, "status"] == "reported":
            continue
        preds = list(group["province_id"])
        names = dict(zip(group["province_id"], group["name"], strict=True))
        missing = [names[p] for p in preds if p not in reported.index]
        out.at[succ, "n_predecessors"] = len(preds)
        if len(missing) == len(preds):
            continue  # nobody reported: no data
        if len(preds) > 1 and not additive:
            out.at[succ, "status"] = "not_additive"
            continue
        if missing:
            out.at[succ, "status"] = "incomplete"
            out.at[succ, "missing"] = missing
            continue
        rows = reported.loc[preds]
        if len(preds) == 1:
            value = float(rows["raw_value"].iloc[0])
            status = "carried"
        else:
            value = float(rows["raw_value"].sum())
            status = "aggregated"
        if per is not None and additive:
            denom = (sum(pop.get(p, float("nan")) for p in preds) / 10000 if per == "pop"
                     else sum(area.get(p, float("nan")) for p in preds) / 100)
            value = value / denom if denom and denom == denom else float("nan")
        elif len(preds) == 1:
            value = float(rows["value"].iloc[0])
        quals = set(rows["qualifier"])
        out.at[succ, "value"] = value
        out.at[succ, "qualifier"] = quals.pop() if len(quals) == 1 else "approx"
        out.at[succ, "unit"] = rows["unit"].iloc[0]
        out.at[succ, "status"] = status if value == value else "no_data"
        if len(preds) == 1:
            out.at[succ, "doc_id"] = rows["doc_id"].iloc[0]
            out.at[succ, "obs_id"] = rows["obs_id"].iloc[0]
    return out.reset_index()


# ---------------------------------------------------------------------------------------------------
# Sources


def _documents_params(province_id: str | None, status: str | None, search: str | None) -> dict[str, Any]:
    q = search.strip() if search and search.strip() else None
    return {"province": province_id, "status": status, "q": q}


def documents(
    db_path: str | Path,
    *,
    province_id: str | None = None,
    status: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The documents (without their text), newest first; `search` matches title or file name.

    `limit` keeps the first rows only (`count_documents` tells how many match in all).
    """
    sql = """
        SELECT d.doc_id, d.title, d.published, d.province_id, p.name AS province_name,
               coalesce(p.name_en, p.name) AS province_name_en, d.status, d.error, d.n_values, d.fmt,
               d.url, d.path, d.sha256, d.extractor_version, d.read_at
        FROM documents d LEFT JOIN provinces p USING (province_id)
        WHERE ($province::VARCHAR IS NULL OR d.province_id = $province::VARCHAR)
          AND ($status::VARCHAR IS NULL OR d.status = $status::VARCHAR)
          AND ($q::VARCHAR IS NULL OR d.title ILIKE '%' || $q::VARCHAR || '%'
               OR d.doc_id ILIKE '%' || $q::VARCHAR || '%')
        ORDER BY d.published DESC NULLS LAST, d.doc_id
        LIMIT $limit
    """
    params = _documents_params(province_id, status, search)
    return _df(db_path, sql, {**params, "limit": None if limit is None else int(limit)})


def count_documents(
    db_path: str | Path,
    *,
    province_id: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> pd.DataFrame:
    """One row, `n`: how many documents `documents` lists with the same filters."""
    sql = """
        SELECT count(*) AS n FROM documents d
        WHERE ($province::VARCHAR IS NULL OR d.province_id = $province::VARCHAR)
          AND ($status::VARCHAR IS NULL OR d.status = $status::VARCHAR)
          AND ($q::VARCHAR IS NULL OR d.title ILIKE '%' || $q::VARCHAR || '%'
               OR d.doc_id ILIKE '%' || $q::VARCHAR || '%')
    """  # the same filters as `documents`
    return _df(db_path, sql, _documents_params(province_id, status, search))


def document(db_path: str | Path, doc_id: str) -> pd.DataFrame:
    """One document with its normalized text (zero rows when the id is unknown)."""
    sql = """
        SELECT d.*, p.name AS province_name, coalesce(p.name_en, p.name) AS province_name_en
        FROM documents d LEFT JOIN provinces p USING (province_id)
        WHERE d.doc_id = $doc
    """
    return _df(db_path, sql, {"doc": doc_id})


def document_observations(db_path: str | Path, doc_id: str) -> pd.DataFrame:
    """Every value read from one document, in text order; `shown` = it is the value the facts show."""
    sql = """
        SELECT o.obs_id, o.province_id, coalesce(p.name, o.province_name) AS province_name,
               coalesce(p.name_en, p.name, o.province_name) AS province_name_en,
               o.year, o.indicator_id, o.scope, o.value, o.unit, o.qualifier, o.is_target,
               o.denominator, o.period, o.evidence, o.start_offset, o.end_offset, o.rule, o.confidence,
               o.origin, o.review_status, o.reviewer, o.review_reason,
               o.obs_id IN (SELECT obs_id FROM facts WHERE doc_id = $doc) AS shown
        FROM observations o LEFT JOIN provinces p USING (province_id)
        WHERE o.doc_id = $doc
        ORDER BY o.start_offset NULLS LAST, o.obs_id
    """
    return _df(db_path, sql, {"doc": doc_id})


def sources_for(db_path: str | Path, doc_ids: Sequence[str]) -> pd.DataFrame:
    """doc_id, title, published, url, path of the given documents (for export sheets)."""
    sql = """
        SELECT doc_id, title, published, url, path, sha256 FROM documents
        WHERE doc_id = ANY($docs::VARCHAR[]) ORDER BY doc_id
    """
    return _df(db_path, sql, {"docs": _list(doc_ids) or []})


# ---------------------------------------------------------------------------------------------------
# Data quality


def conflict_groups(
    db_path: str | Path,
    *,
    provinces: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """The facts whose sources disagree (n_disagree > 0), most disputed first: one row per fact."""
    sql = """
        SELECT f.province_id, coalesce(p.name, f.province_name) AS province_name,
               coalesce(p.name_en, p.name, f.province_name) AS province_name_en, f.year, f.indicator_id,
               f.scope, f.is_target, f.obs_id AS chosen_obs_id, f.value AS chosen_value, f.unit, f.qualifier,
               f.n_sources, f.n_disagree, f.doc_id
        FROM facts f LEFT JOIN provinces p ON p.province_id = f.province_id
        WHERE f.n_disagree > 0
          AND ($provinces::VARCHAR[] IS NULL OR f.province_id = ANY($provinces::VARCHAR[]))
          AND ($indicators::VARCHAR[] IS NULL OR f.indicator_id = ANY($indicators::VARCHAR[]))
        ORDER BY f.n_disagree DESC, f.indicator_id, f.province_id, f.year, f.scope, f.is_target
        LIMIT $limit OFFSET $offset
    """
    return _df(db_path, sql, {"provinces": _list(provinces), "indicators": _list(indicators),
                              "limit": None if limit is None else int(limit), "offset": int(offset)})


def candidates(
    db_path: str | Path, province_id: str, year: int, indicator_id: str, scope: str, is_target: bool,
) -> pd.DataFrame:
    """Every source of one fact (not rejected), the shown one first; `chosen` marks it."""
    sql = """
        WITH shown AS (
            SELECT obs_id FROM facts
            WHERE province_id = $p AND year = $y AND indicator_id = $i AND scope = $s AND is_target = $t
        )
        SELECT o.obs_id, o.obs_id IN (SELECT obs_id FROM shown) AS chosen, o.value, o.unit, o.qualifier,
               o.confidence, o.review_status, o.doc_id, d.title AS doc_title, d.published, o.evidence,
               o.province_id, o.year, o.indicator_id, o.scope, o.is_target
        FROM observations o JOIN documents d USING (doc_id)
        WHERE o.province_id = $p AND o.year = $y AND o.indicator_id = $i AND o.scope = $s
          AND o.is_target = $t AND o.review_status <> 'rejected'
        ORDER BY chosen DESC, d.published DESC NULLS LAST, o.obs_id
    """
    return _df(db_path, sql, {"p": province_id, "y": int(year), "i": indicator_id, "s": scope,
                              "t": bool(is_target)})


def conflicts(
    db_path: str | Path,
    *,
    provinces: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every candidate of each fact whose sources disagree (n_disagree > 0); `chosen` marks the shown one."""
    sql = """
        WITH disputed AS (
            SELECT province_id, year, indicator_id, scope, is_target, obs_id AS chosen_obs_id,
                   value AS chosen_value, n_sources, n_disagree
            FROM facts
            WHERE n_disagree > 0
              AND ($provinces::VARCHAR[] IS NULL OR province_id = ANY($provinces::VARCHAR[]))
              AND ($indicators::VARCHAR[] IS NULL OR indicator_id = ANY($indicators::VARCHAR[]))
        )
        SELECT d.province_id, coalesce(p.name, o.province_name) AS province_name,
               coalesce(p.name_en, p.name, o.province_name) AS province_name_en,
               d.year, d.indicator_id, d.scope, d.is_target, d.n_sources, d.n_disagree,
               o.obs_id, o.obs_id = d.chosen_obs_id AS chosen, o.value, d.chosen_value, o.unit,
               o.qualifier, o.confidence, o.review_status, o.doc_id, doc.title AS doc_title,
               doc.published, o.evidence
        FROM disputed d
        JOIN observations o ON o.province_id = d.province_id AND o.year = d.year
             AND o.indicator_id = d.indicator_id AND o.scope = d.scope AND o.is_target = d.is_target
             AND o.review_status <> 'rejected'
        JOIN documents doc ON doc.doc_id = o.doc_id
        LEFT JOIN provinces p ON p.province_id = d.province_id
        ORDER BY d.indicator_id, d.province_id, d.year, d.scope, d.is_target, chosen DESC, o.obs_id
    """
    return _df(db_path, sql, {"provinces": _list(provinces), "indicators": _list(indicators)})


def unknown_year(db_path: str | Path, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Values whose year the text did not tell (not rejected): they are kept out of the facts."""
    sql = """
        SELECT o.obs_id, o.doc_id, d.title AS doc_title, o.province_id, o.province_name, o.year,
               o.indicator_id, o.scope, o.value, o.unit, o.qualifier, o.is_target, o.evidence, o.rule,
               o.confidence, o.origin, o.review_status
        FROM observations o JOIN documents d USING (doc_id)
        WHERE o.year IS NULL AND o.review_status <> 'rejected'
        ORDER BY o.doc_id, o.start_offset NULLS LAST, o.obs_id
        LIMIT $limit OFFSET $offset
    """
    return _df(db_path, sql, {"limit": limit, "offset": int(offset)})


def unknown_province(db_path: str | Path, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Values whose province is unknown (not rejected): they are kept out of the facts."""
    sql = """
        SELECT o.obs_id, o.doc_id, d.title AS doc_title, o.province_id, o.province_name, o.year,
               o.indicator_id, o.scope, o.value, o.unit, o.qualifier, o.is_target, o.evidence, o.rule,
               o.confidence, o.origin, o.review_status
        FROM observations o JOIN documents d USING (doc_id)
        WHERE o.province_id IS NULL AND o.review_status <> 'rejected'
        ORDER BY o.doc_id, o.start_offset NULLS LAST, o.obs_id
        LIMIT $limit OFFSET $offset
    """
    return _df(db_path, sql, {"limit": limit, "offset": int(offset)})


def low_confidence(db_path: str | Path, threshold: float = 0.6, limit: int | None = None,
                   offset: int = 0) -> pd.DataFrame:
    """Machine-read values with confidence below `threshold` (not yet reviewed), lowest first."""
    sql = """
        SELECT o.obs_id, o.doc_id, d.title AS doc_title, o.province_id, o.province_name, o.year,
               o.indicator_id, o.scope, o.value, o.unit, o.qualifier, o.is_target, o.evidence, o.rule,
               o.confidence, o.origin, o.review_status
        FROM observations o JOIN documents d USING (doc_id)
        WHERE o.confidence < $t AND o.review_status = 'machine'
        ORDER BY o.confidence, o.obs_id
        LIMIT $limit OFFSET $offset
    """
    return _df(db_path, sql, {"t": float(threshold), "limit": limit, "offset": int(offset)})


def failed_documents(db_path: str | Path) -> pd.DataFrame:
    """Documents that could not be read or held no text (status <> 'ok'), with the error."""
    sql = """
        SELECT doc_id, path, fmt, status, error, title, read_at
        FROM documents WHERE status <> 'ok' ORDER BY status, doc_id
    """
    return _df(db_path, sql)


def quality_summary(db_path: str | Path, threshold: float = 0.6) -> pd.DataFrame:
    """One row of counts: n_conflicts, n_unknown_year, n_unknown_province, n_low_confidence, n_failed."""
    sql = """
        SELECT
          (SELECT count(*) FROM facts WHERE n_disagree > 0) AS n_conflicts,
          (SELECT count(*) FROM observations WHERE year IS NULL AND review_status <> 'rejected')
              AS n_unknown_year,
          (SELECT count(*) FROM observations WHERE province_id IS NULL AND review_status <> 'rejected')
              AS n_unknown_province,
          (SELECT count(*) FROM observations WHERE confidence < $t AND review_status = 'machine')
              AS n_low_confidence,
          (SELECT count(*) FROM documents WHERE status <> 'ok') AS n_failed,
          (SELECT count(*) FROM documents) AS n_documents,
          (SELECT count(*) FROM observations) AS n_observations
    """
    return _df(db_path, sql, {"t": float(threshold)})


def definitions(db_path: str | Path, indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Indicator metadata for export sheets and help texts."""
    sql = """
        SELECT indicator_id, name_vi, name_en, unit, grp, direction, additive, definition_vi,
               definition_en, source
        FROM indicators
        WHERE ($ids::VARCHAR[] IS NULL OR indicator_id = ANY($ids::VARCHAR[]))
        ORDER BY indicator_id
    """
    return _df(db_path, sql, {"ids": _list(indicator_ids)})


# ---------------------------------------------------------------------------------------------------
# Province scorecard: one row per indicator, how the province stands and which way it is going

# themes in the order a manager reads them; an indicator's theme is its catalog `group`
SCORECARD_GROUPS = ("infrastructure", "subscribers", "egov", "digital_economy", "society", "postal", "media",
                    "rankings")


def change_verdict(change: float | None, direction: str | None, unit: str | None = None) -> str | None:
    """Whether a change is good news: 'better', 'worse', 'same', 'changed' (neutral indicator), or None.

    `direction` is the indicator's (up = higher is better, down = lower is better, neutral); a rank
    (unit 'rank') is always lower-is-better: 5 -> 10 is worse.
    """
    if change is None or change != change:
        return None
    if unit == "rank":
        direction = "down"
    if change == 0:
        return "same"
    if direction == "up":
        return "better" if change > 0 else "worse"
    if direction == "down":
        return "better" if change < 0 else "worse"
    return "changed"


_SCORECARD_INDICATORS_SQL = """
SELECT indicator_id, grp, direction, unit AS catalog_unit
FROM indicators
ORDER BY indicator_id
"""


def scorecard_rows(series: pd.DataFrame, catalog: pd.DataFrame, headline: dict[str, str]) -> pd.DataFrame:
    """The scorecard from one province's achieved facts (`series`: the columns of `facts`, every scope).

    Per indicator, one scope: the indicator's headline scope when the province reports it there, else
    the province's scope with the latest year (then the most years). The row is that scope's latest
    value with its rank among the provinces reporting that year (rank, n_ranked), the previous value
    (prev_year, prev_value, change) and `verdict` (change_verdict in the indicator's direction);
    `trend_years` / `trend` hold the whole series for a sparkline; `n_other_scopes` counts the province's
    values at the scopes left out (shown in the page's full table). Ordered by theme, then indicator.
    """
    cols = ["grp", "indicator_id", "scope", "year", "value", "unit", "qualifier", "denominator", "rank",
            "n_ranked", "median", "prev_year", "prev_value", "change", "direction", "verdict", "trend_years",
            "trend", "n_years", "n_other_scopes", "review_status", "doc_id", "obs_id", "doc_title", "doc_url",
            "evidence"]
    if series.empty:
        return pd.DataFrame(columns=cols)
    meta = catalog.set_index("indicator_id")
    rows: list[dict[str, Any]] = []
    for indicator_id, part in series.groupby("indicator_id", sort=False):
        part = part.dropna(subset=["year"])
        if part.empty:
            continue
        by_scope = part.groupby("scope")["year"].agg(["max", "count"])
        scope = headline.get(indicator_id)
        if scope not in by_scope.index:
            scope = by_scope.sort_values(["max", "count"], ascending=False).index[0]
        mine = part[part["scope"] == scope].sort_values("year")
        last = mine.iloc[-1]
        prev = mine.iloc[-2] if len(mine) > 1 else None
        direction = str(meta.at[indicator_id, "direction"]) if indicator_id in meta.index else "neutral"
        group = str(meta.at[indicator_id, "grp"]) if indicator_id in meta.index else "other"
        change = None if prev is None or pd.isna(prev["value"]) or pd.isna(last["value"]) else \
            float(last["value"]) - float(prev["value"])
        rows.append({
            "grp": group, "indicator_id": indicator_id, "scope": scope, "year": int(last["year"]),
            "value": last["value"], "unit": last["unit"], "qualifier": last["qualifier"],
            "denominator": last.get("denominator"), "rank": last["rank"], "n_ranked": last["n_ranked"],
            "median": last.get("median"),
            "prev_year": None if prev is None else int(prev["year"]),
            "prev_value": None if prev is None else prev["value"], "change": change, "direction": direction,
            "verdict": change_verdict(change, direction, str(last["unit"])),
            "trend_years": [int(y) for y in mine["year"]],
            "trend": [None if pd.isna(v) else float(v) for v in mine["value"]],
            "n_years": len(mine), "n_other_scopes": int((part["scope"] != scope).sum()),
            "review_status": last.get("review_status"), "doc_id": last.get("doc_id"),
            "obs_id": last.get("obs_id"), "doc_title": last.get("doc_title"), "doc_url": last.get("doc_url"),
            "evidence": last.get("evidence"),
        })
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    order = {g: n for n, g in enumerate(SCORECARD_GROUPS)}
    out["_g"] = out["grp"].map(lambda g: order.get(g, len(order)))
    out = out.sort_values(["_g", "indicator_id"]).drop(columns="_g").reset_index(drop=True)
    for col in ("rank", "n_ranked", "prev_year"):
        out[col] = out[col].astype("Int64")
    return out


def province_scorecard(
    db_path: str | Path,
    province_id: str,
    *,
    y0: int | None = None,
    y1: int | None = None,
    per: str | None = None,
) -> pd.DataFrame:
    """One row per indicator the province reports (achieved values in y0..y1), grouped by theme: see
    `scorecard_rows`. Ranks are among the provinces of the province's scheme that reported the indicator
    that year at that scope (the `facts` ranks)."""
    series = facts(db_path, provinces=[province_id], y0=y0, y1=y1, scope=None, is_target=False, per=per)
    catalog = _df(db_path, _SCORECARD_INDICATORS_SQL)
    scopes = headline_scopes(db_path)
    headline = dict(zip(scopes["indicator_id"], scopes["scope"], strict=True))
    return scorecard_rows(series, catalog, headline)
