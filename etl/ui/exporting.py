"""The rows the Explorer's download buttons write: exactly the filtered facts, as plain values."""

from __future__ import annotations

from collections.abc import Callable

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


# ---------------------------------------------------------------------------------------------------
# exports for managers: the interface's language, a province x year sheet, names in the file name

# the long table's columns as people read them, in this order; ids follow in extra columns (ID_COLUMNS)
PEOPLE_COLUMNS = [
    "province_name", "region", "year", "indicator_name", "scope", "is_target", "value", "unit", "qualifier",
    "denominator", "raw_value", "raw_unit", "population", "area_km2", "rank", "n_ranked", "median", "n_sources",
    "n_disagree", "review_status", "confidence", "doc_title", "published", "doc_url", "evidence",
]
ID_COLUMNS = ["province_id", "indicator_id", "doc_id", "obs_id"]
# coded values translated through the interface's table: column -> i18n prefix
CODED = {"scope": "scope", "unit": "unit", "raw_unit": "unit", "qualifier": "qualifier", "review_status": "review"}


def header(column: str, lang: str) -> str:
    """A column's header in the interface language ("Tỉnh/thành", "Mã tỉnh (province_id)")."""
    from etl.ui.i18n import t

    return t(f"export.col_{column}", lang)


def _province_names(rows: pd.DataFrame, lang: str) -> pd.Series:
    """The province names as the interface shows them: a merged province (34-province scheme, ids
    `34-..`) says "(từ 7/2025)", so Lai Châu before and after the merger are told apart."""
    from etl.ui.i18n import t

    after = t("province.after_2025", lang)
    return pd.Series([name if not str(pid).startswith("34-") or name is None or name != name else f"{name} {after}"
                      for pid, name in zip(rows["province_id"], rows["province_name"], strict=True)],
                     index=rows.index, dtype=object)


def people_rows(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`export_rows` output -> the table for people: headers in `lang`, coded values translated (scope,
    unit, qualifier, review status; the target flag as "Thực hiện" / "Mục tiêu"), numbers left as numbers,
    the ids kept in extra columns at the end."""
    from etl.ui.i18n import t, t_opt

    out: dict[str, object] = {}
    for col in [*PEOPLE_COLUMNS, *ID_COLUMNS]:
        if col not in rows.columns:
            continue
        values = rows[col]
        if col == "province_name" and "province_id" in rows.columns:
            values = _province_names(rows, lang)
        elif col in CODED:
            values = values.map(lambda v, p=CODED[col]: None if v is None or v != v else t_opt(p, str(v), lang))
        elif col == "is_target":
            values = values.map(lambda v: None if v is None or v != v
                                else t("kind.target" if bool(v) else "kind.achieved", lang))
        out[header(col, lang)] = values.reset_index(drop=True)
    return pd.DataFrame(out)


def year_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One indicator's rows (`export_rows` output) as province x year: one row per province (and scope,
    and target flag when there are several), one column per year, the values as numbers; the unit in its
    own column and the province id at the end."""
    from etl.ui.i18n import t, t_opt

    if rows.empty:
        return pd.DataFrame()
    keys = ["province_id", "province_name", "scope", "is_target", "unit"]
    frame = rows.dropna(subset=["year"]).copy()
    frame["year"] = frame["year"].astype(int)
    frame["province_name"] = _province_names(frame, lang)
    wide = frame.pivot_table(index=keys, columns="year", values="value", aggfunc="first", dropna=False,
                             observed=True)
    wide = wide.dropna(how="all").reset_index()
    from etl.ui.fmt import vi_sort_key

    order = sorted(range(len(wide)), key=lambda i: (str(wide.at[i, "province_id"]).startswith("34-"),
                                                     vi_sort_key(wide.at[i, "province_name"]),
                                                     str(wide.at[i, "scope"]), bool(wide.at[i, "is_target"])))
    wide = wide.iloc[order].reset_index(drop=True)
    years = sorted(c for c in wide.columns if isinstance(c, int | float) and not isinstance(c, bool))
    out = pd.DataFrame({header("province_name", lang): wide["province_name"]})
    if wide["scope"].nunique() > 1 or (wide["scope"] != "all").any():
        out[header("scope", lang)] = [t_opt("scope", s, lang) for s in wide["scope"]]
    if wide["is_target"].nunique() > 1 or wide["is_target"].any():
        out[header("is_target", lang)] = [t("kind.target" if v else "kind.achieved", lang) for v in wide["is_target"]]
    out[header("unit", lang)] = [t_opt("unit", u, lang) for u in wide["unit"]]
    for year in years:
        out[str(int(year))] = wide[year].to_numpy()
    out[header("province_id", lang)] = wide["province_id"].to_numpy()
    return out


_SHEET_FORBIDDEN = str.maketrans({ch: " " for ch in "[]:*?/\\"})


def sheet_name(n: int, name: str) -> str:
    """An Excel sheet name (at most 31 characters, none of [ ] : * ? / \\), numbered so it is unique."""
    text = f"{n}. {' '.join(str(name).translate(_SHEET_FORBIDDEN).split())}"
    return text if len(text) <= 31 else text[:30].rstrip() + "…"


def year_sheets(rows: pd.DataFrame, lang: str, indicator_names: pd.Series) -> list[tuple[str, pd.DataFrame]]:
    """One province x year sheet per indicator in `rows` (`export_rows` output), named after it."""
    sheets = []
    if rows.empty or "indicator_id" not in rows.columns:
        return sheets
    for n, (indicator_id, part) in enumerate(sorted(rows.groupby("indicator_id"), key=lambda kv: str(kv[0])), 1):
        table = year_table(part, lang)
        if not table.empty:
            sheets.append((sheet_name(n, indicator_names.get(indicator_id, indicator_id)), table))
    return sheets


def slug(text: object, most: int = 40) -> str:
    """ASCII file-name words: "Lào Cai" -> "lao-cai", "Số trạm BTS" -> "so-tram-bts"."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode("ascii").lower()
    plain = re.sub(r"-*\+-*", "+", re.sub(r"[^a-z0-9+]+", "-", plain)).strip("-+")
    return plain[:most].rstrip("-+") or "x"


def file_name(parts: list[object], ext: str) -> str:
    """ "ictdash_lao-cai_so-tram-bts_2013-2024.xlsx": the names of what is exported, ASCII only."""
    words = ["ictdash", *(slug(p, 80) for p in parts if p is not None and str(p).strip())]
    return "_".join(words) + "." + ext.lstrip(".")


def names_part(names: list[str], what: str, most: int = 3, everything: str | None = None) -> str:
    """Up to `most` names joined by "+" ("Lào Cai+Bắc Ninh"), else their count ("5 tỉnh"); `what` names
    the items ("tỉnh", "provinces"); no names at all is `everything` ("tất cả tỉnh")."""
    if not names:
        return everything or f"all {what}"
    if len(names) > most:
        return f"{len(names)} {what}"
    return "+".join(slug(n, 48) for n in names)


def view_file_name(c, fmt: str, target: str = "achieved") -> str:
    """The explorer's file name from the view: indicator and province names, the years, plans, per capita:
    "ictdash_so-tram-thu-phat-song-di-dong-bts_lao-cai_2013-2013.csv"."""
    from etl.ui.i18n import t

    view = c.view
    y0, y1 = c.years()
    what_i, what_p = t("export.what_indicators", c.lang), t("export.what_provinces", c.lang)
    parts: list[object] = [
        names_part([c.iname(i) for i in view.indicators], what_i, everything=t("export.all_of", c.lang, what=what_i)),
        names_part([c.pname(p) for p in view.provinces], what_p, everything=t("export.all_of", c.lang, what=what_p)),
        f"{y0}-{y1}" if y0 is not None and y1 is not None else t("export.all_years", c.lang),
    ]
    if target != "achieved":
        parts.append(t(f"explorer.target_{target}", c.lang))
    if view.per:
        parts.append(f"per-{view.per}")
    return file_name(parts, fmt)


def people_file(rows: pd.DataFrame, fmt: str, lang: str, indicator_names: pd.Series,
                definitions: pd.DataFrame | None = None) -> bytes:
    """File bytes for people: CSV of the translated long table (UTF-8 with BOM), or XLSX with the
    translated long table, one province x year sheet per indicator and the definitions; Parquet keeps the
    technical table (for analysts). `rows` is `export_rows` output."""
    from etl.export import definitions_for, export_frame

    if fmt == "parquet":
        return export_frame(rows, "parquet")
    table = people_rows(rows, lang)
    if fmt == "csv":
        return export_frame(table, "csv")
    if definitions is None:
        definitions = definitions_for(rows)
    return export_frame(table, "xlsx", people_definitions(definitions, lang),
                        sheets=year_sheets(rows, lang, indicator_names))


DEFINITION_HEADERS = ("indicator_id", "name_vi", "name_en", "unit", "definition_vi", "definition_en", "source")


def people_definitions(definitions: pd.DataFrame | None, lang: str) -> pd.DataFrame | None:
    """The definitions sheet with headers in `lang` and the unit's name (both languages' texts kept)."""
    from etl.ui.i18n import t_opt

    if definitions is None:
        return None
    out = definitions[[c for c in DEFINITION_HEADERS if c in definitions.columns]].copy()
    if "unit" in out.columns:
        out["unit"] = [t_opt("unit", u, lang) if isinstance(u, str) else u for u in out["unit"]]
    return out.rename(columns={c: header(f"def_{c}", lang) for c in out.columns})


MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "parquet": "application/vnd.apache.parquet"}


def download_buttons(c, rows: pd.DataFrame | Callable[[], pd.DataFrame], parts: list[object], key: str,
                     per: str | None = None) -> None:
    """ "Download this data" under a chart: XLSX (long table, province x year sheets, definitions) and CSV
    of exactly the rows the chart draws (`rows`: `queries.facts` columns, or a function returning them,
    called only when a button is clicked), headers in the interface language, names in the file name
    (`parts`: province / indicator names, years)."""
    import streamlit as st

    from etl.ui.fmt import fmt_int

    names = c.indicators["name_vi" if c.lang == "vi" else "name_en"]
    lang = c.lang

    def make(fmt: str) -> bytes:
        frame = rows() if callable(rows) else rows
        return people_file(export_rows(frame, lang, names, per), fmt, lang, names)

    help_text = c.t("export.chart_help_lazy") if callable(rows) else c.t("export.chart_help",
                                                                          n=fmt_int(len(rows), lang))
    with st.container(key=f"download_{key}", horizontal=True):
        for fmt, label in (("xlsx", "export.chart_xlsx"), ("csv", "export.chart_csv")):
            st.download_button(
                c.t(label), data=lambda fmt=fmt: make(fmt), file_name=file_name(parts, fmt), mime=MIME[fmt],
                key=f"dl_{key}_{fmt}", icon=":material/download:", on_click="ignore", help=help_text,
            )
