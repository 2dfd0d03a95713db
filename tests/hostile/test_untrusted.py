"""Untrusted text and links: hostile URL parameters, hostile document text and names, formula injection in
exports, and no SQL built by string formatting anywhere in the product.

The dashboard runs headless (`AppTest`) on the warehouse built from the hostile corpus (see corpus.py), so
its documents carry markup in their names, titles, links and evidence.
"""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl import queries
from etl.export import export_frame, query_facts
from etl.ui.exporting import export_rows
from etl.ui.router import PAGES

from .corpus import ROOT, Built, built_corpus

DASHBOARD = str(ROOT / "dashboard.py")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEN_THOUSAND = [f"63-{i:05d}" for i in range(10_000)]

HOSTILE_PARAMS = {
    "SQL fragments": {"p": "63-10' OR '1'='1", "i": "bts_stations'; DROP TABLE facts; --",
                      "r": "Tây Bắc' UNION SELECT * FROM documents --", "doc": "x' OR 1=1 --",
                      "obs": "1; DELETE FROM observations"},
    "unknown codes": {"p": "99-99,63-99,34-99,10", "i": "no_such_indicator", "r": "Atlantis", "rs": "deleted",
                      "zzz": "1"},
    "10,000 ids in one parameter": {"p": ",".join(TEN_THOUSAND)},
    "999 repeated parameters": {"i": TEN_THOUSAND[:999]},  # Streamlit drops query strings of > 1000 parameters
    "wrong types": {"y0": "abc", "y1": "20.5", "y": "1e9", "lang": "123", "s": "63.0", "sc": "[]",
                    "per": "true", "t": "1", "rs": "{}"},
    "markup and paths": {"doc": "../../etc/passwd", "lang": "<script>alert(1)</script>",
                         "p": "<img src=x onerror=alert(1)>", "obs": "<svg onload=alert(1)>"},
    "control characters": {"lang": "vi\x00", "p": "63-10\n63-15", "y0": "2020\x00", "doc": "a\x07b.txt"},
    "look-alike unicode": {"p": "６３-１０", "i": "bts_stations\u200b", "y0": "２０２０", "sc": "ａｌｌ"},
}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return built_corpus(tmp_path_factory)


@pytest.fixture
def app(built: Built, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ICTDASH_DB", str(built.db))
    st.cache_data.clear()  # it outlives AppTest instances within one process
    yield AppTest.from_file(DASHBOARD, default_timeout=180)
    st.cache_data.clear()


def no_errors(at: AppTest, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    assert not at.error, (where, [e.value for e in at.error])


def html_of(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


# --- URL parameters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", list(HOSTILE_PARAMS.values()), ids=list(HOSTILE_PARAMS))
def test_hostile_url_parameters_are_dropped_with_a_notice_on_every_page(app: AppTest, params: dict) -> None:
    app.query_params.update(params)
    app.run()
    no_errors(app, "first run")
    assert app.warning, "no notice about the ignored parameters"
    notice = app.warning[0].value
    assert not re.search(r"(?<!\\)<", notice), notice  # quoted values are escaped markdown text (\<)
    known = set(queries.provinces(queries.default_db_path())["province_id"])
    chosen = [v for m in app.multiselect if str(m.key).startswith("w_provinces") for v in m.value]
    assert set(chosen) <= known
    for spec in PAGES:
        app.switch_page(spec.file).run()
        no_errors(app, spec.file)
        assert app.title, spec.file


def test_ten_thousand_repeated_parameters_never_raise(app: AppTest) -> None:
    app.query_params.update({"p": TEN_THOUSAND, "i": TEN_THOUSAND})  # Streamlit ignores the whole query string
    app.run()
    no_errors(app, "first run")
    for spec in PAGES:
        app.switch_page(spec.file).run()
        no_errors(app, spec.file)


def test_a_hostile_file_name_and_manifest_title_are_shown_as_text(app: AppTest) -> None:
    app.query_params.update({"doc": "<img src=x onerror=alert(1)>.txt"})
    app.run()
    app.switch_page("pages/sources.py").run()
    no_errors(app, "sources, hostile file name")
    page = html_of(app)
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page
    assert "<img" not in page
    assert "909 trạm phát sóng di động" in page

    app.query_params.clear()
    app.query_params.update({"doc": "có manifest.txt"})
    app.run()
    app.switch_page("pages/sources.py").run()
    no_errors(app, "sources, hostile manifest")
    page = html_of(app)
    assert "&lt;script&gt;alert(" in page and "<script" not in page.lower()
    assert "javascript:" not in page  # a javascript: link from a manifest is never made a link


def test_the_hostile_html_report_is_shown_without_markup(app: AppTest) -> None:
    app.query_params.update({"doc": "trang độc.html"})
    app.run()
    app.switch_page("pages/sources.py").run()
    no_errors(app, "sources, hostile HTML report")
    page = html_of(app)
    assert "910 trạm phát sóng di động" in page
    for payload in ("<script", "onerror=", "onload=", "onclick=", "javascript:", "<iframe"):
        assert payload not in page.lower(), payload


# --- exports ---------------------------------------------------------------------------------------------


def text_cells(frame: pd.DataFrame) -> list[str]:
    return [v for column in frame.columns for v in frame[column].tolist() if isinstance(v, str)]


def export_frames(built: Built) -> dict[str, pd.DataFrame]:
    """The rows behind `ictdash export` and behind the Explorer's download buttons."""
    with duckdb.connect(str(built.db), read_only=True) as con:
        cli = query_facts(con)
    rows = queries.facts(built.db)
    names = queries.indicators(built.db).set_index("indicator_id")["name_vi"]
    return {"ictdash export": cli, "explorer download": export_rows(rows, "vi", names, None)}


@pytest.mark.parametrize("source", ["ictdash export", "explorer download"])
def test_exports_neutralize_formulas_from_hostile_reports(built: Built, source: str) -> None:
    frame = export_frames(built)[source]
    hostile = [v for v in text_cells(frame) if v.startswith(FORMULA_START)]
    starts = {v[0] for v in hostile}
    assert {"=", "@"} <= starts, f"the hostile corpus gave no formula-like cells to {source}: nothing tested"
    assert any(v.startswith("=HYPERLINK") for v in hostile)

    data = export_frame(frame, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(data)) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    assert "'" + next(v for v in hostile if v.startswith("=HYPERLINK")) in cells

    book = openpyxl.load_workbook(io.BytesIO(export_frame(frame, "xlsx")))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), (sheet.title, cell.coordinate, cell.value)
    numbers = [c.value for c in book.worksheets[0]["1"]]
    assert "value" in numbers  # the values column is still there, as numbers (checked in test_export.py)


# --- no SQL from string formatting ------------------------------------------------------------------------

SQL_SINKS = {"execute": 0, "executemany": 0, "sql": 0, "query": 0, "filter": 0, "read_sql": 0, "_df": 1}
SQL_TEXT = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|ATTACH|COPY|PRAGMA|WITH)\b.*"
                      r"\b(FROM|INTO|TABLE|SET|VIEW|AS|WHERE|VALUES)\b", re.DOTALL)
# Static SQL that is not a literal in the code: (file, source text of the argument) -> why it is safe.
ALLOWED = {
    ("etl/warehouse.py", "SCHEMA_PATH.read_text(encoding='utf-8')"): "the schema file shipped with the code",
    # the review refresh runs the facts view of that same schema file, limited to the affected groups
    ("etl/review.py", "view_sql"): "the facts view of the schema file shipped with the code",
    ("etl/review.py", "'INSERT INTO facts BY NAME ' + limited"): "that view's text with a constant filter",
}


def product_files() -> list[Path]:
    return sorted([*ROOT.glob("etl/**/*.py"), *ROOT.glob("pages/**/*.py"), ROOT / "dashboard.py"])


class Scope:
    """Names bound in a module or function: name -> every expression assigned to it (None: a parameter)."""

    def __init__(self, body: list[ast.stmt], parameters: list[str] = ()) -> None:
        self.bound: dict[str, list[ast.AST | None]] = {p: [None] for p in parameters}
        for statement in body:
            for node in ast.walk(statement) if not isinstance(statement, ast.FunctionDef | ast.ClassDef) else ():
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            self.bound.setdefault(target.id, []).append(node.value)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                    self.bound.setdefault(node.target.id, []).append(node.value)


def is_constant(node: ast.AST, scopes: list[Scope], seen: frozenset[str] = frozenset()) -> bool:
    """True when `node` can only be text written in the code: a string literal (an f-string without fields),
    a name bound only to such constants, `+` of constants, or an entry of a mapping of constants."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return not any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_constant(node.left, scopes, seen) and is_constant(node.right, scopes, seen)
    if isinstance(node, ast.Name) and node.id not in seen:
        for depth, scope in enumerate(scopes):
            if node.id in scope.bound:
                return all(v is not None and is_constant(v, scopes[depth:], seen | {node.id})
                           for v in scope.bound[node.id])
        return False
    if isinstance(node, ast.Subscript):
        return is_constant(node.value, scopes, seen)
    if isinstance(node, ast.Dict):
        return all(v is not None and is_constant(v, scopes, seen) for v in node.values)
    return False


def is_formatted(node: ast.AST, scopes: list[Scope]) -> bool:
    """An f-string with fields, `%` or `.format` on a string, or `+` joining a string with a non-constant."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return isinstance(node.left, ast.JoinedStr) or (isinstance(node.left, ast.Constant)
                                                         and isinstance(node.left.value, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return has_string(node) and not is_constant(node, scopes)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return has_string(node.func.value)
    return False


def has_string(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in ast.walk(node))


def literal_text(node: ast.AST) -> str:
    return " ".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def sql_problems(path: Path, root: Path = ROOT) -> list[str]:
    """Every place in one file where SQL may be built from something other than text written in the code."""
    relative = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = Scope(tree.body)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    problems, checked = [], set()
    for owner in [*functions, tree]:  # each node is judged in its innermost function's scope
        wrapper: set[str] = set()
        if isinstance(owner, ast.Module):
            scopes = [module]
        else:
            names = [a.arg for a in owner.args.posonlyargs + owner.args.args + owner.args.kwonlyargs]
            scopes = [Scope(owner.body, names), module]
            position = SQL_SINKS.get(owner.name)
            if position is not None and position < len(names):  # a SQL wrapper (queries._df): callers are checked
                wrapper = {names[position]}
        for node in ast.walk(owner):
            if id(node) in checked:
                continue
            checked.add(id(node))
            if is_formatted(node, scopes) and SQL_TEXT.search(literal_text(node)) \
                    and (relative, ast.unparse(node)) not in ALLOWED:
                problems.append(f"{relative}:{node.lineno}: SQL built by string formatting: {ast.unparse(node)[:90]}")
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            position = SQL_SINKS.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if (relative, ast.unparse(argument)) in ALLOWED or is_constant(argument, scopes) or (
                    isinstance(argument, ast.Name) and argument.id in wrapper):
                continue
            problems.append(f"{relative}:{node.lineno}: {name}() with SQL that is not a literal or a module "
                            f"constant: {ast.unparse(argument)[:90]}")
    return sorted(set(problems))


def test_the_sql_scan_catches_what_it_should(tmp_path: Path) -> None:
    bad = (
        "def f(con, user, table):\n"
        "    con.execute(f\"SELECT * FROM facts WHERE province_id = '{user}'\")\n"
        "    con.execute(\"SELECT * FROM facts WHERE p = '%s'\" % user)\n"
        "    con.execute(\"SELECT * FROM facts WHERE p = '{}'\".format(user))\n"
        "    con.execute(\"SELECT * FROM \" + table)\n"
        "    sql = \"DELETE FROM x WHERE id = \" + user\n"
        "    con.sql(sql)\n"
        "    con.execute(user)\n"
        "def g(con):\n"
        "    sql = '''SELECT 1 FROM facts'''\n"
        "    con.execute(sql, {'a': 1})\n"
        "    con.execute(QUERY)\n"
        "    con.execute(STATEMENTS['documents'])\n"
        "    con.execute(COUNT)\n"
        "QUERY = 'SELECT count(*) FROM facts WHERE year = $y'\n"
        "STATEMENTS = {'documents': 'INSERT INTO documents BY NAME SELECT * FROM _batch'}\n"
        "COUNT = 'SELECT count(*) FROM (' + QUERY + ')'\n"
        "LOOP = LOOP + ' FROM x'\n"
        "def h(con, where):\n"
        "    con.execute(QUERY + where)\n"
        "    con.execute(LOOP)\n"
    )
    path = tmp_path / "probe.py"
    path.write_text(bad, encoding="utf-8")
    problems = sql_problems(path, tmp_path)
    lines = {int(p.split(":")[1]) for p in problems}
    assert lines == {2, 3, 4, 5, 6, 7, 8, 20, 21}, problems


def test_no_sql_is_built_by_string_formatting() -> None:
    problems = [p for path in product_files() for p in sql_problems(path)]
    assert problems == [], "\n".join(problems)
