"""Plotly figure builders. Each takes a tidy DataFrame with already-formatted labels and returns a Figure.

Numbers follow the interface language (Plotly `separators`); hovers show the same formatted text as
the tables beside the charts. Targets are drawn dashed with open markers, achieved values solid with
filled markers. Maps are `etl.ui.maps`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from etl.ui.fmt import plotly_separators

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f")
MEDIAN_COLOR = "#555555"
CONTEXT_COLOR = "#c9cdd3"  # every other province, behind the chosen ones


def config(filename: str) -> dict[str, Any]:
    """`st.plotly_chart(config=...)`: keep the toolbar (its camera button saves a PNG), no logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "displayModeBar": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def _layout(fig: go.Figure, lang: str, height: int | None = None, title: str | None = None) -> go.Figure:
    fig.update_layout(
        separators=plotly_separators(lang),
        margin={"l": 10, "r": 10, "t": 80 if title else 30, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hoverlabel={"namelength": -1},
        title={"text": title, "yref": "paper", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left",
               "pad": {"b": 22}, "font": {"size": 15}} if title else None,
        height=height,
        modebar={"orientation": "v"},  # down the right edge, clear of the title
    )
    return fig


def color_map(series: Sequence[str]) -> dict[str, str]:
    """A stable colour per series label, in order of first appearance."""
    out: dict[str, str] = {}
    for s in series:
        if s not in out:
            out[s] = PALETTE[len(out) % len(PALETTE)]
    return out


def province_colors(names: Sequence[str]) -> dict[str, str]:
    """One colour per chosen province, by its place in the selection: the same on every chart and page."""
    return color_map(names)


def percent_range(values: Any, pad: float = 1.04) -> list[float]:
    """An axis for percentages: 0–100, stretched only when a value lies beyond 100."""
    top = max([100.0, *[float(v) for v in pd.Series(values).dropna()]])
    return [0.0, 100.0 if top <= 100 else top * pad]


def bars(df: pd.DataFrame, lang: str, *, label: str, value: str, text: str, axis_title: str,
         median: float | None = None, median_label: str = "", title: str | None = None,
         colors: dict[str, str] | None = None, percent: bool = False) -> go.Figure:
    """Horizontal bars, one per row (`label`), best first as given; optional national-median line.

    A bar whose label is in `colors` takes that colour (the province's colour on every chart).
    """
    df = df.iloc[::-1]  # plotly draws the first category at the bottom
    fig = go.Figure(go.Bar(
        x=df[value], y=df[label], orientation="h", text=df[text], textposition="auto",
        customdata=df[[text]].to_numpy(), hovertemplate="%{y}: %{customdata[0]}<extra></extra>",
        marker_color=[(colors or {}).get(str(name), PALETTE[0]) for name in df[label]],
    ))
    if percent:
        fig.update_xaxes(range=percent_range(df[value]))
    if median is not None and pd.notna(median):
        fig.add_vline(x=float(median), line_dash="dash", line_color=MEDIAN_COLOR,
                      annotation_text=median_label, annotation_position="top")
    fig.update_xaxes(title=axis_title, tickformat=",~f")
    fig.update_yaxes(title=None, automargin=True)
    return _layout(fig, lang, height=max(220, 40 * len(df) + 90), title=title)


def bar_panels(panels: Sequence[dict[str, Any]], lang: str, *, label: str, value: str, text: str,
               colors: dict[str, str] | None = None, cols: int = 2) -> go.Figure:
    """Several `bars` charts in ONE figure, `cols` panels a row, each with its own axes, title and median.

    Each panel: `df` (rows best first, as `bars`), `title`, `axis_title`, and optionally `median`,
    `median_label`, `percent`. One figure instead of one per indicator: the browser draws (in software,
    headless) and lays out one Plotly graph rather than four (issue 12: page switches under 1 s).
    """
    panels = list(panels)
    cols = max(1, min(cols, len(panels)))
    rows = max(1, -(-len(panels) // cols))
    # pixels: each row as tall as its longest panel (40 px a bar, as `bars`), a band above it for the
    # titles and one below for the x axis; the figure's own margins come on top
    bars_in_row = [max(len(p["df"]) for p in panels[r * cols:(r + 1) * cols]) for r in range(rows)]
    plot_px = [max(130, 40 * n) for n in bars_in_row]
    top_px, axis_px = 90, 45
    height = sum(plot_px) + rows * (top_px + axis_px)
    longest = max([len(str(v)) for p in panels for v in p["df"][label]] or [0])
    gap = min(0.35, (7 * longest + 50) / 1000) if cols > 1 else 0.0  # room for the right panels' labels
    width = (1 - gap * (cols - 1)) / cols
    traces: list[dict[str, Any]] = []
    layout: dict[str, Any] = {"annotations": [], "shapes": [], "showlegend": False}
    y_top = height
    for r in range(rows):
        y_top -= top_px
        y_bottom = y_top - plot_px[r]
        for k in range(cols):
            i = r * cols + k
            if i >= len(panels):
                break
            p = panels[i]
            n = "" if i == 0 else str(i + 1)
            df = p["df"].iloc[::-1]  # plotly draws the first category at the bottom
            x0 = k * (width + gap)
            traces.append(dict(
                type="bar", x=df[value].tolist(), y=df[label].tolist(), orientation="h", text=df[text].tolist(),
                textposition="auto", xaxis=f"x{n}", yaxis=f"y{n}", customdata=[[v] for v in df[text].tolist()],
                hovertemplate="%{y}: %{customdata[0]}<extra></extra>",
                marker={"color": [(colors or {}).get(str(name), PALETTE[0]) for name in df[label]]},
            ))
            xaxis: dict[str, Any] = {"domain": [x0, x0 + width], "anchor": f"y{n}", "title": {"text": p["axis_title"]},
                                     "tickformat": ",~f"}
            if p.get("percent"):
                xaxis["range"] = percent_range(df[value])
            layout[f"xaxis{n}"] = xaxis
            layout[f"yaxis{n}"] = {"domain": [y_bottom / height, y_top / height], "anchor": f"x{n}"}
            title = "<br>".join(textwrap.wrap(str(p["title"]), 60 if cols > 1 else 120)[:2])  # a narrow panel
            layout["annotations"].append(dict(
                text=f"<b>{title}</b>", x=x0, xref="paper", xanchor="left", y=(y_top + 20) / height,
                yref="paper", yanchor="bottom", showarrow=False, font={"size": 14}, align="left"))
            median = p.get("median")
            if median is not None and pd.notna(median):
                layout["shapes"].append(dict(type="line", x0=float(median), x1=float(median), xref=f"x{n}",
                                             y0=0, y1=1, yref=f"y{n} domain",
                                             line={"dash": "dash", "color": MEDIAN_COLOR}))
                layout["annotations"].append(dict(
                    text=p.get("median_label", ""), x=float(median), xref=f"x{n}", y=1, yref=f"y{n} domain",
                    yanchor="bottom", showarrow=False, font={"size": 12, "color": MEDIAN_COLOR}))
        y_top = y_bottom - axis_px
    fig = go.Figure(data=traces, layout=layout)
    _layout(fig, lang, height=height + 20)
    # the plot area is then `height` pixels, as laid out above; the left margin fits the longest label
    # (no `automargin`: it makes Plotly measure and redraw the figure until the margins settle)
    fig.update_layout(margin={"t": 10, "b": 10, "l": min(300, 7 * longest + 20)})
    return fig


def trend_lines(df: pd.DataFrame, lang: str, *, series: str, text: str, axis_title: str,
                target_label: str, achieved_label: str, colors: dict[str, str] | None = None,
                title: str | None = None, height: int = 420, references: Sequence[str] = (),
                percent: bool = False) -> go.Figure:
    """Lines by year, one per `series`; rows with is_target drawn dashed with open markers.

    `df` needs year, value, is_target, the `series` label and a formatted `text` for hovers. A series
    named in `colors` keeps its colour across charts; series in `references` (national medians) are
    dotted grey lines.
    """
    colors = colors or color_map([s for s in df[series].tolist() if s not in references])
    fig = go.Figure()
    for (name, is_target), part in df.sort_values("year").groupby([series, "is_target"], sort=False):
        if name in references:
            fig.add_trace(go.Scatter(
                x=part["year"], y=part["value"], mode="lines+markers", name=str(name),
                line={"color": MEDIAN_COLOR, "dash": "dot", "width": 2}, marker={"size": 5, "color": MEDIAN_COLOR},
                customdata=part[[text]].to_numpy(),
                hovertemplate=f"{name}<br>%{{x}}: %{{customdata[0]}}<extra></extra>",
            ))
            continue
        color = colors.get(name, PALETTE[0])
        kind = target_label if is_target else achieved_label
        fig.add_trace(go.Scatter(
            x=part["year"], y=part["value"], mode="lines+markers", name=f"{name} · {kind}",
            legendgroup=str(name),
            line={"color": color, "dash": "dash" if is_target else "solid", "width": 2},
            marker={"symbol": "circle-open" if is_target else "circle", "size": 9 if is_target else 7,
                    "color": color, "line": {"width": 2, "color": color}},
            customdata=part[[text]].to_numpy(),
            hovertemplate=f"{name} · {kind}<br>%{{x}}: %{{customdata[0]}}<extra></extra>",
        ))
    fig.update_xaxes(title=None, tickformat="d", dtick=1)
    fig.update_yaxes(title=axis_title, tickformat=",~f", rangemode="tozero")
    if percent:
        fig.update_yaxes(range=percent_range(df["value"]))
    return _layout(fig, lang, height=height, title=title)


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label positions near `ys` (in order) at least `gap` apart: close line ends get readable labels."""
    order = sorted(range(len(ys)), key=lambda k: ys[k])
    placed = [0.0] * len(ys)
    last = None
    for k in order:
        y = ys[k] if last is None else max(ys[k], last + gap)
        placed[k] = last = y
    return placed


def _context_traces(rows: pd.DataFrame, *, series: str, text: str) -> list[dict[str, Any]]:
    """Every context series in one thin grey line trace: its lines joined end to end with a gap (None)
    between series. The hover names the series (customdata[0]) and shows its formatted value
    (customdata[1]). A series of one point (a line needs two) also gets a small marker, in a second trace
    of those points only: markers on every point, even of size 0, cost the browser a styled SVG path per
    point (1,300 for 63 provinces over 21 years: most of the chart's drawing, issue 12)."""
    if rows.empty:
        return []
    codes = pd.factorize(rows[series])[0]
    order = np.lexsort((rows["year"].to_numpy(), codes))
    group = codes[order]
    size = np.bincount(group)
    at = np.arange(len(group)) + group  # each series after one gap per series before it
    length = len(group) + len(size) - 1

    def spread(values: Any, fill: Any) -> list[Any]:
        out = np.full(length, fill, dtype=object)
        out[at] = np.asarray(values, dtype=object)[order]
        return out.tolist()

    xs, ys = spread(rows["year"].astype(int).to_numpy(), None), spread(rows["value"].to_numpy(), None)
    names = spread(rows[series].astype(str).to_numpy(), "")
    texts = spread(rows[text].astype(str).to_numpy(), "")
    custom = [[n, t] for n, t in zip(names, texts, strict=True)]
    traces = [dict(type="scatter", x=xs, y=ys, mode="lines", name="context", showlegend=False,
                   connectgaps=False, line={"color": CONTEXT_COLOR, "width": 1}, opacity=0.9, customdata=custom,
                   hovertemplate="%{customdata[0]}<br>%{x}: %{customdata[1]}<extra></extra>")]
    alone = (size[codes] == 1)
    if alone.any():  # drawn only: the line trace above already answers the hover at these points
        lone = rows[alone]
        traces.append(dict(type="scatter", x=lone["year"].astype(int).tolist(), y=lone["value"].tolist(),
                           mode="markers", name="context", showlegend=False, hoverinfo="skip",
                           marker={"size": 4, "color": CONTEXT_COLOR}, opacity=0.9))
    return traces


def context_lines(df: pd.DataFrame, lang: str, *, series: str, text: str, axis_title: str,
                  highlighted: Sequence[str], colors: dict[str, str], references: Sequence[str] = (),
                  target_label: str = "", title: str | None = None, height: int = 520,
                  percent: bool = False) -> go.Figure:
    """Every series as a thin grey line (context), the `highlighted` ones in their colours on top,
    each named at its line's end instead of in a legend; `references` (medians) dotted dark grey.

    `df`: year, value, is_target, `series` and a formatted `text` for hovers. Targets (is_target) of a
    highlighted series are dashed with open markers; targets of context series are not drawn.
    """
    data = df.sort_values("year")
    chosen = set(highlighted)
    # Traces are plain dicts given to one `go.Figure` at the end (each `add_trace` copies and re-validates
    # the figure), and every context series shares ONE trace, its lines separated by gaps: 63 grey traces
    # cost the server about a second and the browser more to draw (issue 12: page switches under 1 s).
    traces: list[dict[str, Any]] = _context_traces(
        data[~data[series].isin(chosen) & ~data[series].isin(references) & ~data["is_target"].astype(bool)],
        series=series, text=text)
    ends: list[tuple[str, float, float, str]] = []  # label, x, y, colour
    for name in [*references, *highlighted]:
        part = data[data[series] == name]
        if part.empty:
            continue
        is_ref = name in references
        color = MEDIAN_COLOR if is_ref else colors.get(name, PALETTE[0])
        for is_target, line in part.groupby(part["is_target"].astype(bool), sort=True):
            traces.append(dict(
                type="scatter", x=line["year"].tolist(), y=line["value"].tolist(), mode="lines+markers",
                name=str(name), showlegend=False,
                line={"color": color, "width": 2 if is_ref else 3,
                      "dash": "dot" if is_ref else ("dash" if is_target else "solid")},
                marker={"size": 5 if is_ref else 8, "color": color,
                        "symbol": "circle-open" if is_target else "circle", "line": {"width": 2, "color": color}},
                customdata=[[v] for v in line[text].tolist()],
                hovertemplate=(f"{name}{' · ' + target_label if is_target else ''}<br>%{{x}}: %{{customdata[0]}}"
                               "<extra></extra>"),
            ))
        achieved = part[~part["is_target"].astype(bool)]
        end = (achieved if len(achieved) else part).iloc[-1]
        ends.append((str(name), float(end["year"]), float(end["value"]), color))
    values = data["value"].dropna()
    y_range = percent_range(values) if percent else [min(0.0, float(values.min()) if len(values) else 0.0),
                                                       float(values.max()) * 1.05 if len(values) else 1.0]
    placed = _spread([y for _, _, y, _ in ends], gap=(y_range[1] - y_range[0]) * 0.045)
    annotations = [dict(x=x, y=y, ax=18, ay=y_label, axref="pixel", ayref="y", text=f"<b>{label}</b>",
                        showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=color, xanchor="left",
                        font={"color": color, "size": 12}, bgcolor="rgba(255,255,255,0.85)")
                   for (label, x, y, color), y_label in zip(ends, placed, strict=True)]
    fig = go.Figure(data=traces, layout={"annotations": annotations})
    fig.update_xaxes(title=None, tickformat="d", dtick=1 if data["year"].nunique() <= 15 else 2)
    fig.update_yaxes(title=axis_title, tickformat=",~f", range=y_range)
    _layout(fig, lang, height=height, title=title)
    longest = max([len(label) for label, *_ in ends] or [0])
    fig.update_layout(showlegend=False, margin={"r": min(260, 40 + 7 * longest)})
    return fig


def small_multiples(df: pd.DataFrame, lang: str, *, panel: str, series: str, text: str,
                    references: Sequence[str] = (), colors: dict[str, str] | None = None,
                    cols: int = 2) -> go.Figure:
    """One small line chart per `panel` (indicator), lines per `series` (province), own y-axis each.

    Rows whose series is in `references` (national medians) are drawn dotted grey.
    """
    panels = list(dict.fromkeys(df[panel].tolist()))
    rows = max(1, -(-len(panels) // cols))
    fig = make_subplots(rows=rows, cols=min(cols, max(1, len(panels))), subplot_titles=panels,
                        vertical_spacing=0.12 if rows > 1 else 0.1, horizontal_spacing=0.08)
    colors = colors or color_map([s for s in df[series].tolist() if s not in references])
    shown: set[str] = set()
    traces: list[dict[str, Any]] = []  # plain dicts added in one call: `add_trace(row=, col=)` re-validates each
    # a dot per year only on short spans: on 20 years the dots crowd a small panel, and each is an SVG path
    # the browser styles and draws (issue 12)
    mode = "lines+markers" if df["year"].nunique() <= 12 else "lines"
    for k, name in enumerate(panels):
        axis = "" if k == 0 else str(k + 1)
        part = df[df[panel] == name].sort_values("year")
        for s, line in part.groupby(series, sort=False):
            is_ref = s in references
            traces.append(dict(
                type="scatter", x=line["year"].tolist(), y=line["value"].tolist(), mode=mode,
                name=str(s), legendgroup=str(s), showlegend=s not in shown, xaxis=f"x{axis}", yaxis=f"y{axis}",
                line={"color": MEDIAN_COLOR if is_ref else colors.get(s, PALETTE[0]),
                      "dash": "dot" if is_ref else "solid", "width": 1.5 if is_ref else 2},
                marker={"size": 4 if is_ref else 6},
                customdata=[[t] for t in line[text].tolist()],
                hovertemplate=f"{s}<br>%{{x}}: %{{customdata[0]}}<extra></extra>",
            ))
            shown.add(str(s))
    fig.add_traces(traces)
    # a label every year on a long span crowds a small panel (and Plotly tries rotating them, at a cost)
    span = int(df["year"].max() - df["year"].min()) if len(df) else 0
    fig.update_xaxes(tickformat="d", dtick=1 if span <= 10 else 2 if span <= 20 else 5)
    fig.update_yaxes(tickformat=",~f", rangemode="tozero")
    return _layout(fig, lang, height=300 * rows + 80)


def coverage_heatmap(matrix: pd.DataFrame, hover: pd.DataFrame, lang: str, *, colorbar_title: str,
                     height: int | None = None) -> go.Figure:
    """Rows × columns (indicators × provinces) coloured by the number of years with data; 0 is grey."""
    z = matrix.to_numpy(dtype=float)
    zmax = max(1.0, float(pd.DataFrame(z).max().max()) if z.size else 1.0)
    scale = [[0.0, "#f0f0f0"], [0.5 / zmax if zmax > 0 else 0.0, "#f0f0f0"],
             [min(1.0, 0.5 / zmax + 1e-6), "#c6dbef"], [1.0, "#08519c"]]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(matrix.columns), y=list(matrix.index), colorscale=scale, zmin=0, zmax=zmax,
        text=hover.to_numpy(), hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
        xgap=1, ygap=1,
        colorbar={"title": {"text": colorbar_title}, "tick0": 0, "dtick": max(1, round(zmax / 6)), "tickformat": "d"},
    ))
    fig.update_xaxes(side="top", tickangle=-50 if len(matrix.columns) > 8 else 0, automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, lang, height=height or max(260, 24 * len(matrix.index) + 180))
