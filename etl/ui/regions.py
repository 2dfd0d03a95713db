"""The six socio-economic regions (GSO) as presets: a short code per region for labels and URLs.

The region of each province is the gazetteer's (`etl/gazetteer/provinces.csv`, column `region`, Vietnamese
names; the 34 merged provinces take their namesake's region, see `etl/gazetteer/SOURCES.md`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# code -> the gazetteer's name, north to south (the order officials read them in)
REGIONS: dict[str, str] = {
    "north_mountains": "Trung du và miền núi phía Bắc",
    "red_river": "Đồng bằng sông Hồng",
    "central_coast": "Bắc Trung Bộ và duyên hải miền Trung",
    "highlands": "Tây Nguyên",
    "south_east": "Đông Nam Bộ",
    "mekong": "Đồng bằng sông Cửu Long",
}
ALL = "all"  # the "all provinces" preset: no province singled out


def members(provinces: pd.DataFrame, code: str, among: Iterable[str] | None = None) -> list[str]:
    """Province ids of region `code` (provinces: the ctx's frame indexed by id, with `region`).

    With `among` (e.g. the provinces reporting an indicator), only those; in the order of `among`.
    """
    name = REGIONS[code]
    ids = set(provinces.index[provinces["region"] == name])
    if among is None:
        return [p for p in provinces.index if p in ids]
    return [p for p in dict.fromkeys(among) if p in ids]


def preset_of(selection: Iterable[str], presets: dict[str, list[str]]) -> str | None:
    """The preset whose provinces are exactly `selection` (ALL for an empty one), else None."""
    chosen = set(selection)
    if not chosen:
        return ALL
    for code, ids in presets.items():
        if ids and set(ids) == chosen:
            return code
    return None
