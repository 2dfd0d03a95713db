"""Ranks as official rankings give them: ties share the best place and the next place is skipped
(1, 2, 2, 4), in the indicator's direction (for a rank indicator, lower is better)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def min_rank(values: Iterable[float | None], direction: str = "up") -> list[int | None]:
    """Rank each value among the others: 'up' = higher is better, 'down' = lower is better.

    Missing values get no rank (None); a 'neutral' indicator gets no ranks at all.
    """
    series = pd.Series(list(values), dtype="float64")
    if direction == "neutral":
        return [None] * len(series)
    ranks = series.rank(method="min", ascending=(direction == "down"), na_option="keep")
    return [None if pd.isna(r) else int(r) for r in ranks]


def rank_in_groups(df: pd.DataFrame, value: str, by: list[str], direction: str = "up") -> pd.Series:
    """`min_rank` within each group of `by` (e.g. year), aligned with `df`'s index (Int64)."""
    if df.empty:
        return pd.Series(dtype="Int64", index=df.index)
    if direction == "neutral":
        return pd.Series(pd.NA, dtype="Int64", index=df.index)
    ranks = df.groupby(by, dropna=False)[value].rank(method="min", ascending=(direction == "down"))
    return ranks.astype("Int64")
