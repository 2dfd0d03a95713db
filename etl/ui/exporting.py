"""The rows the Explorer's download buttons write: exactly the filtered facts, as plain values."""

from __future__ import annotations

import pandas as pd

EXPORT_COLUMNS = [
    "province_id", "province_name", "region", "year", "indicator_id", "scope", "is_target", "value", "unit",
    "qualifier", "denominator", "period", "raw_value", "raw_unit", "population", "area_km2", "rank",
    "n_ranked", "median", "n_sources", "n_disagree", "review_status", "confidence", "doc_id", "doc_title",
    "published", "doc_url", "evidence", "obs_id",
]
PER_CAPITA_COLUMNS = ("raw_value", "raw_unit", "population", "area_km2")


def export_rows(rows: pd.DataFrame, lang: str, indicator_names: pd.Series, per: str | None) -> pd.DataFrame:
    """`rows` from `queries.facts` -> the export table: names in `lang`, numbers unformatted.

    The per-capita columns appear only when a per-capita view was exported (`per`).
    """
    out = rows.copy()
    if lang != "vi" and "province_name_en" in out.columns:
        out["province_name"] = out["province_name_en"]
    cols = [c for c in EXPORT_COLUMNS if c in out.columns and (per or c not in PER_CAPITA_COLUMNS)]
    out = out[cols].reset_index(drop=True)
    if "indicator_id" in out.columns:
        out.insert(out.columns.get_loc("indicator_id") + 1, "indicator_name",
                   out["indicator_id"].map(indicator_names))
    return out
