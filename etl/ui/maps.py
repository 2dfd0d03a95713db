"""Province maps that read well and need no network: provinces drawn as SVG shapes on a plain Plotly plot.

Why not `choroplethmap`: MapLibre draws text only with glyphs fetched from fonts.openmaptiles.org
(its `white-bg` style names that server), so province labels would call out to the internet and stay
blank on a machine without it. Here every province is a filled shape in longitude/latitude (an
equirectangular view with the aspect of latitude 16°N), labels are SVG text, and so are the marks of
the archipelagos Hoàng Sa and Trường Sa, which Vietnamese official maps always show: their islands
are in the boundary file as parts of Đà Nẵng and Khánh Hòa (geoBoundaries), and each is labelled with
the province it belongs to.

What it draws: the colour scale (0–100 for percentages), "no data" as its own grey class in the
legend, the chosen provinces outlined in their colour on every chart and named in a box, every other
province named where its name fits without overlapping another (the rest show their name on hover).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale, sequential

from etl.ui.fmt import plotly_separators
from etl.ui.i18n import t

NO_DATA_COLOR = "#d9d9d9"
SEA_COLOR = "#eef4fa"
BORDER_COLOR = "#ffffff"
ISLAND_COLOR = "#1f3b73"
HEIGHT = 860
# the view: the mainland, the East Sea and both archipelagos, with room for their labels
LON_RANGE = (101.8, 117.9)
LAT_RANGE = (8.0, 23.6)
ASPECT = 1 / math.cos(math.radians(16.0))  # y units per x unit on screen: lon/lat near 16°N
SCALE = list(sequential.Blues[2:])  # the palest blues read as empty sea or paper: left out
# (i18n key, centre lon, centre lat, ring radius in degrees, label lon, label lat): the archipelagos at
# their real places (Hoàng Sa about 16.5°N 112°E, Trường Sa about 10°N 114.3°E)
ARCHIPELAGOS = (
    ("map.hoang_sa", 111.95, 16.45, 1.1, 111.95, 17.95),
    ("map.truong_sa", 114.3, 10.0, 1.35, 114.3, 12.2),
)
EAST_SEA = (112.3, 13.9)
OFFSHORE_LON = 110.5  # east of this, a ring is an island of the archipelagos
MARGIN = {"l": 0, "r": 0, "t": 10, "b": 0}


# ---------------------------------------------------------------------------------------------------
# geometry: outlines and label points (pure, cached per boundary object)


def _outer_rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"][0]]
    if kind == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"] if poly]
    return []


def _area_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """|area| (degrees²) and centroid of a ring (shoelace)."""
    a = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def _crossings(ring: Sequence[Sequence[float]], y: float) -> list[float]:
    out = []
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False):
        if (y0 <= y < y1) or (y1 <= y < y0):
            out.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return sorted(out)


def _label_point(rings: list[list[list[float]]]) -> tuple[float, float, float]:
    """(lon, lat, area) where a name reads well: the middle of the widest stretch of the province
    across the latitude of its centroid (a centroid can fall outside a curved province)."""
    parts = [(*_area_centroid(r), r) for r in rings if len(r) >= 3]
    if not parts:
        return float("nan"), float("nan"), 0.0
    biggest = max(p[0] for p in parts)
    main = [p for p in parts if p[0] >= 0.05 * biggest]  # islands far out do not pull the label
    total = sum(p[0] for p in main) or 1.0
    cx = sum(p[0] * p[1] for p in main) / total
    cy = sum(p[0] * p[2] for p in main) / total
    spans: list[tuple[float, float]] = []
    for *_, ring in main:
        xs = _crossings(ring, cy)
        spans += list(zip(xs[::2], xs[1::2], strict=False))
    spans.sort()
    merged: list[list[float]] = []
    for a, b in spans:  # neighbouring predecessors of a merged province touch: one stretch
        if merged and a <= merged[-1][1] + 0.02:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if merged:
        a, b = max(merged, key=lambda s: s[1] - s[0])
        cx = (a + b) / 2
    return cx, cy, sum(p[0] for p in parts)


_SHAPES: dict[int, tuple[dict, dict[str, dict[str, Any]]]] = {}


def shapes(geojson: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per feature id: x, y (outer rings joined by None, for `fill="toself"`), label lon/lat and area."""
    key = id(geojson)
    cached = _SHAPES.get(key)
    if cached is not None and cached[0] is geojson:
        return cached[1]
    out: dict[str, dict[str, Any]] = {}
    for f in geojson.get("features", []):
        geometry = f.get("geometry") or {}
        rings = _outer_rings(geometry)
        xs: list[float | None] = []
        ys: list[float | None] = []
        islands: list[tuple[float, float]] = []
        for ring in rings:
            xs += [round(p[0], 3) for p in ring] + [None]
            ys += [round(p[1], 3) for p in ring] + [None]
            _, ix, iy = _area_centroid(ring)
            if ix > OFFSHORE_LON:  # Hoàng Sa, Trường Sa: too small to see as shapes
                islands.append((round(ix, 3), round(iy, 3)))
        if rings:
            lon, lat, area = _label_point(rings)
        elif geometry.get("type") == "Point":
            lon, lat, area = *geometry["coordinates"][:2], 0.0
        else:
            lon, lat, area = float("nan"), float("nan"), 0.0
        # numpy arrays (NaN between rings, null in the JSON): Plotly checks a list element by element
        out[str(f.get("id"))] = {"x": np.array(xs[:-1], dtype=float), "y": np.array(ys[:-1], dtype=float),
                                 "lon": lon, "lat": lat, "area": area,
                                 "islands": islands}
    _SHAPES[key] = (geojson, out)  # type: ignore[assignment]
    return out


# ---------------------------------------------------------------------------------------------------
# colours


def value_range(values: pd.Series, percent: bool) -> tuple[float, float]:
    """The colour scale's span: 0–100 for percentages (wider only past 100), else the values' own."""
    have = values.dropna().astype(float)
    if percent:
        return 0.0, max(100.0, float(have.max()) if len(have) else 100.0)
    if have.empty:
        return 0.0, 1.0
    lo, hi = float(have.min()), float(have.max())
    if lo == hi:  # one value (or all equal): a span with the value in the middle
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    return lo, hi


def colorscale(reverse: bool = False) -> list[list[Any]]:
    colours = SCALE[::-1] if reverse else SCALE
    return [[k / (len(colours) - 1), c] for k, c in enumerate(colours)]


def _fill(values: Sequence[float], lo: float, hi: float, scale: list[list[Any]]) -> list[str]:
    spots = [min(1.0, max(0.0, (float(v) - lo) / (hi - lo))) for v in values]
    return sample_colorscale(scale, spots) if spots else []


def _dark(colour: str) -> bool:
    """Whether white text reads better than dark on a fill `rgb(r, g, b)`."""
    try:
        r, g, b = (float(v) for v in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3])
    except ValueError:
        return False
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


# ---------------------------------------------------------------------------------------------------
# labels that do not overlap


def _box(lon: float, lat: float, text: str, size: float, bold: bool = False) -> tuple[float, float, float, float]:
    """An estimate of a label's extent in degrees at the map's usual scale (HEIGHT px for the latitudes)."""
    px_per_lat = (HEIGHT - 20) / (LAT_RANGE[1] - LAT_RANGE[0])
    px_per_lon = px_per_lat / ASPECT
    lines = text.split("<br>")
    width = max(len(line) for line in lines) * size * (0.62 if bold else 0.56) + 4
    height = len(lines) * size * 1.25 + 2
    w, h = width / px_per_lon / 2, height / px_per_lat / 2
    return lon - w, lat - h, lon + w, lat + h


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _fits(box: tuple[float, float, float, float], taken: list[tuple[float, float, float, float]]) -> bool:
    return not any(_overlaps(box, other) for other in taken)


# ---------------------------------------------------------------------------------------------------
# the figure


class _Parts:
    """Traces, annotations and shapes collected first and given to one `go.Figure` at the end:
    `fig.add_trace` copies and re-validates the figure each time (0.6 s for a map's 70 traces)."""

    def __init__(self) -> None:
        self.traces: list[dict[str, Any]] = []
        self.annotations: list[dict[str, Any]] = []
        self.shapes: list[dict[str, Any]] = []

    def add_trace(self, trace: dict[str, Any]) -> None:
        self.traces.append(trace)

    def add_annotation(self, **kw: Any) -> None:
        self.annotations.append(kw)

    def add_shape(self, **kw: Any) -> None:
        self.shapes.append(kw)


def province_map(df: pd.DataFrame, geojson: Mapping[str, Any], lang: str, *, text: str, label: str,
                 colorbar_title: str, no_data_label: str, reverse: bool = False, percent: bool = False,
                 highlighted: Mapping[str, str] | None = None, height: int = HEIGHT) -> go.Figure:
    """A province map: `df` has province_id, value (NaN = no data), `label` (the name) and `text` (the
    formatted value or the reason there is none); `geojson` the provinces (feature id = province_id).

    `highlighted`: province id -> colour of the chosen provinces (outlined and named in a box).
    """
    geo = shapes(geojson)
    highlighted = dict(highlighted or {})
    rows = df[df["province_id"].isin(geo.keys())]
    lo, hi = value_range(rows["value"], percent)
    scale = colorscale(reverse)
    have = rows["value"].notna()
    fills = dict(zip(rows.loc[have, "province_id"], _fill(rows.loc[have, "value"].tolist(), lo, hi, scale),
                     strict=True))
    fig = _Parts()
    for pid, name, hover in zip(rows["province_id"], rows[label], rows[text], strict=True):
        shape = geo[pid]
        if not len(shape["x"]):
            continue
        fig.add_trace(dict(type="scatter",
            x=shape["x"], y=shape["y"], mode="lines", fill="toself", fillcolor=fills.get(pid, NO_DATA_COLOR),
            line={"color": BORDER_COLOR, "width": 0.7}, hoveron="fills", name=str(name),
            text=f"{name}: {hover}", hoverinfo="text", showlegend=False,
        ))
    for pid, colour in highlighted.items():  # the chosen provinces: outlined on top of the others
        shape = geo.get(pid)
        if shape and len(shape["x"]):
            fig.add_trace(dict(type="scatter", x=shape["x"], y=shape["y"], mode="lines", line={"color": colour, "width": 3},
                                     hoverinfo="skip", showlegend=False, name=f"outline {pid}"))
    _island_marks(fig, lang)
    dots = [(x, y, fills.get(pid, NO_DATA_COLOR)) for pid in rows["province_id"] for x, y in geo[pid]["islands"]]
    if dots:  # each island a dot in its province's colour
        fig.add_trace(dict(type="scatter", x=[d[0] for d in dots], y=[d[1] for d in dots], mode="markers", hoverinfo="skip",
                                 showlegend=False, name="islands",
                                 marker={"size": 5, "color": [d[2] for d in dots],
                                         "line": {"width": 0.8, "color": ISLAND_COLOR}}))
    _names(fig, rows, geo, label, highlighted, fills)
    if have.any():  # the colour bar: one invisible point carries the scale
        first = rows.loc[have, "province_id"].iloc[0]
        fig.add_trace(dict(type="scatter",
            x=[geo[first]["lon"]], y=[geo[first]["lat"]], mode="markers", hoverinfo="skip", showlegend=False,
            marker={"size": 0.1, "opacity": 0, "color": [lo], "cmin": lo, "cmax": hi, "colorscale": scale,
                    "showscale": True,
                    # west of the mainland (Laos, Cambodia: empty here), clear of the toolbar on the right
                    "colorbar": {"title": {"text": colorbar_title, "side": "top"}, "tickformat": ",~f", "len": 0.4,
                                 "thickness": 14, "x": 0.01, "xanchor": "left", "y": 0.42, "yanchor": "middle",
                                 "bgcolor": "rgba(255,255,255,0.85)"}},
            name="scale",
        ))
    if (~have).any():  # "no data" is a class of its own, in the legend
        fig.add_trace(dict(type="scatter", x=[None], y=[None], mode="markers", name=no_data_label, showlegend=True,
                                 marker={"symbol": "square", "size": 14, "color": NO_DATA_COLOR}))
    out = go.Figure(data=fig.traces, layout={"annotations": fig.annotations, "shapes": fig.shapes})
    out.update_xaxes(visible=False, range=list(LON_RANGE))
    out.update_yaxes(visible=False, range=list(LAT_RANGE), scaleanchor="x", scaleratio=ASPECT)
    out.update_layout(
        separators=plotly_separators(lang), height=height, margin=MARGIN, plot_bgcolor=SEA_COLOR,
        paper_bgcolor="white", hovermode="closest", dragmode="pan",
        legend={"orientation": "h", "yanchor": "bottom", "y": 0.01, "x": 0.01, "bgcolor": "rgba(255,255,255,0.85)"},
        hoverlabel={"namelength": -1}, modebar={"orientation": "v"},
    )
    return out


def _island_marks(fig: _Parts, lang: str) -> None:
    """Hoàng Sa and Trường Sa: a dashed ring around the islands, a hover point and a label, as on
    Vietnamese official maps; and the sea's name."""
    for key, lon, lat, radius, label_lon, label_lat in ARCHIPELAGOS:
        name = t(key, lang)
        fig.add_shape(type="circle", xref="x", yref="y", x0=lon - radius, x1=lon + radius, y0=lat - radius / ASPECT,
                      y1=lat + radius / ASPECT,
                      line={"color": ISLAND_COLOR, "width": 1, "dash": "dot"}, layer="above")
        fig.add_trace(dict(type="scatter", x=[lon], y=[lat], mode="markers", showlegend=False, name=name,
                                 marker={"size": 28, "opacity": 0}, hovertext=[name.replace("<br>", " ")],
                                 hoverinfo="text"))
        fig.add_annotation(x=label_lon, y=label_lat, text=name, showarrow=False, xanchor="center",
                           font={"size": 12, "color": ISLAND_COLOR}, name=key)
    fig.add_annotation(x=EAST_SEA[0], y=EAST_SEA[1], text=f"<i>{t('map.east_sea', lang)}</i>", showarrow=False,
                       font={"size": 16, "color": "#7a9cc6"}, name="map.east_sea")


def _names(fig: _Parts, rows: pd.DataFrame, geo: Mapping[str, dict[str, Any]], label: str,
           highlighted: Mapping[str, str], fills: Mapping[str, str]) -> None:
    """The chosen provinces named in boxes of their colour; the others where the name fits."""
    taken = [_box(lon, lat, "x" * 26 + "<br>x", 12) for *_, lon, lat in ARCHIPELAGOS]
    names = dict(zip(rows["province_id"], rows[label].astype(str), strict=True))
    px_per_lat = (HEIGHT - 20) / (LAT_RANGE[1] - LAT_RANGE[0])
    for pid, colour in highlighted.items():
        shape = geo.get(pid)
        if shape is None or pid not in names or math.isnan(shape["lon"]):
            continue
        lon, lat = shape["lon"], shape["lat"]
        for step in (0, 1, -1, 2, -2, 3, -3):  # neighbours chosen together: move the box, point to the province
            shift = step * 22 / px_per_lat
            box = _box(lon, lat + shift, names[pid], 12, bold=True)
            if _fits(box, taken):
                break
        fig.add_annotation(x=lon, y=lat, ax=0, ay=-shift * px_per_lat, showarrow=step != 0, arrowhead=0,
                           arrowcolor=colour, text=f"<b>{names[pid]}</b>", font={"size": 12, "color": colour},
                           bgcolor="rgba(255,255,255,0.9)", bordercolor=colour, borderwidth=1.5, borderpad=2,
                           name=f"chosen {pid}")
        taken.append(box)
    xs, ys, texts, colours = [], [], [], []
    for pid in sorted((p for p in names if p not in highlighted and p in geo), key=lambda p: -geo[p]["area"]):
        shape = geo[pid]
        if math.isnan(shape["lon"]):
            continue
        box = _box(shape["lon"], shape["lat"], names[pid], 9.5)
        if not _fits(box, taken):
            continue  # no room: the name is in the hover
        taken.append(box)
        xs.append(shape["lon"])
        ys.append(shape["lat"])
        texts.append(names[pid])
        colours.append("#ffffff" if _dark(fills.get(pid, NO_DATA_COLOR)) else "#333333")
    if xs:
        fig.add_trace(dict(type="scatter", x=xs, y=ys, mode="text", text=texts, textfont={"size": 9.5, "color": colours},
                                 hoverinfo="skip", showlegend=False, name="labels", cliponaxis=False))
