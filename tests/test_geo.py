"""Map geometry: one feature per province id in both schemes, ring order, attribution, offline figure."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import plotly.express as px
import pytest

from etl import geo, provinces

ROOT = Path(__file__).resolve().parent.parent


def rings(feature: dict) -> list[tuple[int, list]]:
    return [(i, ring) for poly in feature["geometry"]["coordinates"] for i, ring in enumerate(poly)]


def n_polygons(feature: dict) -> int:
    return len(feature["geometry"]["coordinates"])


@pytest.mark.parametrize("scheme", ["63", "34"])
def test_exactly_one_feature_per_province(scheme):
    gj = geo.load_geojson(scheme)
    assert gj["type"] == "FeatureCollection"
    counts = Counter(f["id"] for f in gj["features"])
    assert counts == Counter(p.province_id for p in provinces.all(scheme))
    assert set(counts.values()) == {1}
    for f in gj["features"]:
        p = provinces.get(f["id"])
        assert f["properties"]["province_id"] == f["id"] and f["properties"]["name"] == p.name
        assert f["geometry"]["type"] == "MultiPolygon" and f["geometry"]["coordinates"]


def test_con_dao_joins_ba_ria_vung_tau():
    raw = json.loads(geo.BOUNDARY_FILE.read_text(encoding="utf-8"))
    brvt_raw = [f for f in raw["features"] if f["properties"]["shapeISO"] == "VN-43"]
    assert {f["properties"]["shapeName"] for f in brvt_raw} == {"Bà Rịa - Vũng Tàu", "Côn Đảo"}
    (brvt,) = [f for f in geo.load_geojson("63")["features"] if f["id"] == "63-77"]
    assert n_polygons(brvt) == sum(1 if f["geometry"]["type"] == "Polygon" else len(f["geometry"]["coordinates"])
                                   for f in brvt_raw)
    # Côn Đảo lies far south of the mainland part (≈ 8.7° N)
    assert min(pt[1] for _, ring in rings(brvt) for pt in ring) < 9.0


def test_34_units_are_made_of_their_predecessors():
    by_id = {f["id"]: f for f in geo.load_geojson("63")["features"]}
    for f in geo.load_geojson("34")["features"]:
        parts = provinces.predecessors(f["id"])
        assert n_polygons(f) == sum(n_polygons(by_id[p.province_id]) for p in parts)
    total = sum(n_polygons(f) for f in geo.load_geojson("34")["features"])
    assert total == sum(n_polygons(f) for f in by_id.values())


@pytest.mark.parametrize("scheme", ["63", "34"])
def test_outer_rings_clockwise_holes_counterclockwise(scheme):
    for f in geo.load_geojson(scheme)["features"]:
        for i, ring in rings(f):
            assert ring[0] == ring[-1] and len(ring) >= 4
            area = geo._signed_area(ring)
            assert (area < 0) if i == 0 else (area > 0), (f["id"], i)


def test_rewind_fixes_both_orders():
    ccw = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    hole_cw = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]]
    outer, hole = geo._rewind([ccw, hole_cw[::-1]])
    assert geo._signed_area(outer) < 0 < geo._signed_area(hole)
    assert geo._rewind([outer, hole]) == [outer, hole]


def test_figure_offline_with_every_id():
    """The map page's call: every id finds its feature, and white-bg needs no tiles from outside."""
    gj = geo.load_geojson("34")
    ids = [p.province_id for p in provinces.all("34")]
    fig = px.choropleth_map(gj, geojson=gj, locations=ids, color=list(range(len(ids))), map_style="white-bg")
    trace = fig.data[0]
    assert list(trace.locations) == ids and {f["id"] for f in trace.geojson["features"]} == set(ids)
    assert fig.layout.map.style == "white-bg"


def test_data_files_and_attribution():
    assert "Administrative boundaries courtesy of geoBoundaries.org" in geo.ATTRIBUTION
    text = (ROOT / "data/geo/ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Administrative boundaries courtesy of geoBoundaries.org" in text and "CC BY 4.0" in text
    for name in ("CITATION-AND-USE-geoBoundaries.txt", "geoBoundaries-VNM-ADM1-metaData.json",
                 "geoBoundaries-VNM-ADM1-metaData.txt", "SOURCE.md"):
        assert (ROOT / "data/geo" / name).is_file()


def test_load_is_cached():
    assert geo.load_geojson("63") is geo.load_geojson("63")
