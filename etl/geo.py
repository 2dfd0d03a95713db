"""Province boundaries for the map page, keyed by province id, in both schemes.

Source: geoBoundaries VNM ADM1 (63 provinces as of 2008 plus a separate Côn Đảo feature), CC BY 4.0 —
see ``data/geo/ATTRIBUTION.md``. The 34 post-2025 units are drawn as one MultiPolygon made of all their
predecessors' polygons (no dissolve: internal borders stay, which Plotly draws fine).

Rings are rewound so that every outer ring is clockwise and every hole counter-clockwise (in lon/lat).
That is the order d3-geo needs (``px.choropleth``); ``px.choropleth_map`` (MapLibre) rewinds each ring
itself and only needs the outer ring first, so it accepts this order too.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from etl import provinces

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
BOUNDARY_FILE = GEO_DIR / "geoBoundaries-VNM-ADM1_simplified.geojson"
ATTRIBUTION = "Administrative boundaries courtesy of geoBoundaries.org (CC BY 4.0)"

Ring = list[list[float]]
PolygonCoords = list[Ring]


def _signed_area(ring: Ring) -> float:
    """Shoelace area in degrees²; positive for a counter-clockwise ring."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False)) / 2


def _rewind(polygon: PolygonCoords) -> PolygonCoords:
    out = []
    for i, ring in enumerate(polygon):
        clockwise = _signed_area(ring) < 0
        want_clockwise = i == 0
        out.append(ring if clockwise == want_clockwise else ring[::-1])
    return out


def _polygons(geometry: dict) -> list[PolygonCoords]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def _feature(province: provinces.Province, polygons: list[PolygonCoords]) -> dict:
    return {
        "type": "Feature",
        "id": province.province_id,
        "properties": {"province_id": province.province_id, "name": province.name, "name_en": province.name_en},
        "geometry": {"type": "MultiPolygon", "coordinates": [_rewind(p) for p in polygons]},
    }


@cache
def _polygons_63(path: Path = BOUNDARY_FILE) -> dict[str, list[PolygonCoords]]:
    """Polygons of each 63-scheme province id, read from the boundary file (Côn Đảo joins Bà Rịa - Vũng Tàu)."""
    by_iso = {p.iso_3166_2: p.province_id for p in provinces.all("63")}
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[PolygonCoords]] = {}
    for f in raw["features"]:
        iso = f["properties"]["shapeISO"]
        if iso not in by_iso:
            raise ValueError(f"{path.name}: shapeISO {iso!r} ({f['properties'].get('shapeName')}) not in gazetteer")
        out.setdefault(by_iso[iso], []).extend(_polygons(f["geometry"]))
    return out


@cache
def load_geojson(scheme: str) -> dict:
    """A FeatureCollection with one MultiPolygon feature per province of scheme '63' or '34'.

    Each feature has ``id`` = province_id and properties {province_id, name, name_en}; use
    ``featureidkey="id"`` (the default) with province ids as locations. The result is cached: do not mutate it.
    """
    polys63 = _polygons_63()
    features = []
    for p in provinces.all(scheme):
        if scheme == "63":
            parts = polys63[p.province_id]
        else:
            parts = [poly for old in provinces.predecessors(p.province_id) for poly in polys63[old.province_id]]
        features.append(_feature(p, parts))
    return {"type": "FeatureCollection", "features": features}
