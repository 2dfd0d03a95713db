"""Dashboard at scale: every page's queries and a full AppTest render of every page on a big warehouse.

Builds (or reuses, under `bench/out/dashboard/`) a synthetic warehouse of `--n-obs` observations: 63
provinces × 20 years (2005–2024, then 2025 under the 34 provinces) × 35 indicators × about ten sources
per value, `facts` stored as a table like the real build does (`--facts view` keeps the view).

For every page and every selection (none; one province; five provinces; one indicator — the last three
over the full year range):
- **queries**: the `etl.queries` calls the page makes, recorded from a real render of it (so they
  are exactly the page's own parameters), then re-run directly, without Streamlit's cache;
- **render**: `AppTest.from_file("dashboard.py")`, `switch_page`, `run()` — cold (after
  `st.cache_data.clear()` and `etl.queries.release()`: no cached result and no open attachment, as for
  the first visitor after the server has been idle) and warm (the same page again, cache full).
  AppTest runs a page's file directly; its `ensure_router()` then runs `dashboard.py`, which renders the
  page once, as the real server does (the extra cost is compiling `dashboard.py`, about a millisecond).
Each figure is the median and 95th percentile over `--repeat` runs (the renders interleave pages and
selections, so a burst of other work on the machine spreads over all of them); `CPU` is the process's
CPU seconds (all threads, DuckDB's included), which other processes on the machine do not inflate much.

Run: `python -m bench.dashboard_scale [--n-obs 1000000] [--repeat 7] [--db PATH] [--facts table|view|both]`
     `python -m bench.dashboard_scale --profile explorer --selection none`  (py-spy profile of one page)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import OUT_DIR, REPO_ROOT, fmt_bytes, machine_info, markdown_table

DASHBOARD = REPO_ROOT / "dashboard.py"
WAREHOUSE_DIR = OUT_DIR / "dashboard"
FIRST_YEAR = 2005  # 2005..2024 under the 63 provinces: 20 years
FOCUS = "63-10"  # Lào Cai
FIVE = ("63-10", "63-01", "63-79", "63-27", "63-48")  # Lào Cai, Hà Nội, TP HCM, Bắc Ninh, Đà Nẵng
ONE_INDICATOR = "bts_stations"
SHARED = frozenset({"meta", "provinces", "indicators", "year_range"})  # the router's, on every page
TARGET_SECONDS = 1.0


# --------------------------------------------------------------------------------------------------
# the warehouse


def _generator_hash() -> str:
    h = hashlib.sha256()
    for path in (REPO_ROOT / "bench" / "synth_warehouse.py", REPO_ROOT / "etl" / "schema.sql"):
        h.update(path.read_bytes())
    return h.hexdigest()[:8]


def warehouse_for(n_obs: int, seed: int = 0, facts: str = "table", first_year: int = FIRST_YEAR,
                  directory: Path | None = None) -> Path:
    """The synthetic warehouse for these settings: reused when it exists, built otherwise.

    The file name holds the size, seed, first year, facts kind and a hash of the generator and the
    schema, so a changed generator builds a new file instead of reusing a stale one.
    """
    from bench.synth_warehouse import build_synthetic

    path = (directory or WAREHOUSE_DIR) / f"syn_{n_obs}_s{seed}_y{first_year}_{facts}_{_generator_hash()}.duckdb"
    if not path.is_file():
        t0 = time.perf_counter()
        build_synthetic(path, n_obs=n_obs, seed=seed, materialize_facts=(facts == "table"), first_year=first_year)
        print(f"built {path.name} in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    return path


# --------------------------------------------------------------------------------------------------
# selections


@dataclass(frozen=True)
class Selection:
    name: str
    params: dict[str, str]


def selections(db: Path) -> list[Selection]:
    """No selection, then typical ones over the warehouse's full year range."""
    from etl import queries

    years = queries.year_range(db)
    full = {"y0": str(int(years["min_year"].iloc[0])), "y1": str(int(years["max_year"].iloc[0]))}
    docs = queries.documents(db, province_id=FOCUS)
    one = {"p": FOCUS, **full}
    if len(docs):  # the sources page then shows one document with its values marked
        one["doc"] = str(docs.sort_values(["n_values", "doc_id"], ascending=[False, True])["doc_id"].iloc[0])
    return [
        Selection("none", {}),
        Selection("1 province", one),
        Selection("5 provinces", {"p": ",".join(FIVE), **full}),
        Selection("1 indicator", {"i": ONE_INDICATOR, **full}),
    ]


def page_files() -> list[tuple[str, str]]:
    """(url_path, file) of every page, in menu order."""
    from etl.ui.router import PAGES

    return [(spec.url_path, spec.file) for spec in PAGES]


# --------------------------------------------------------------------------------------------------
# recording the queries a render makes


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    kwargs: tuple  # sorted (key, value) pairs

    def run(self, db: Path, fn: Callable[..., Any]) -> Any:
        return fn(db, *self.args, **{k: list(v) if isinstance(v, tuple) else v for k, v in self.kwargs})

    def label(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs if v is not None]
        return f"{self.name}({', '.join(parts)})"


def _short(value: Any) -> str:
    if isinstance(value, list | tuple) and len(value) > 2:
        return f"[{len(value)} items]"
    return repr(value)


class QueryRecorder:
    """Wraps every public function of `etl.queries` while active; records the outermost calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[Call, float]] = []
        self._local = threading.local()
        self._originals: dict[str, Callable[..., Any]] = {}

    def __enter__(self) -> QueryRecorder:
        from etl import queries

        for name in _query_functions():
            original = getattr(queries, name)
            self._originals[name] = original
            setattr(queries, name, self._wrap(name, original))
        return self

    def __exit__(self, *exc: object) -> None:
        from etl import queries

        for name, original in self._originals.items():
            setattr(queries, name, original)

    def _wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(db_path: Any, *args: Any, **kwargs: Any) -> Any:
            depth = getattr(self._local, "depth", 0)
            self._local.depth = depth + 1
            t0 = time.perf_counter()
            try:
                return fn(db_path, *args, **kwargs)
            finally:
                self._local.depth = depth
                if depth == 0:
                    frozen = tuple(sorted((k, _freeze(v)) for k, v in kwargs.items()))
                    self.calls.append((Call(name, tuple(_freeze(a) for a in args), frozen),
                                       time.perf_counter() - t0))
        return wrapper


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple | set | frozenset) else value


def _query_functions() -> list[str]:
    import inspect

    from etl import queries

    return [name for name, fn in vars(queries).items()
            if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == queries.__name__
            and name not in ("default_db_path", "db_version")]


# --------------------------------------------------------------------------------------------------
# rendering


def quiet_streamlit() -> None:
    """Only errors from Streamlit's loggers: outside a server every render logs "No runtime found" and
    "missing ScriptRunContext". Streamlit sets the level from its config when the config is first read,
    so read it first, then lower the level."""
    from streamlit import config
    from streamlit.logger import set_log_level

    config.get_option("logger.level")
    set_log_level("error")


def _new_app(db: Path, sel: Selection) -> Any:
    from streamlit.testing.v1 import AppTest

    os.environ["ICTDASH_DB"] = str(db)
    app = AppTest.from_file(str(DASHBOARD), default_timeout=300)
    app.query_params.update(sel.params)
    app.run()
    return app


def _problems(app: Any) -> list[str]:
    return [str(e.value)[:200] for e in app.exception] + [str(e.value)[:200] for e in app.error]


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)


def _cold() -> None:
    """Forget every cached result and close the warehouse attachment: the next render starts cold."""
    import streamlit as st

    from etl import queries

    st.cache_data.clear()
    queries.release()


def _timed_run(app: Any, page_file: str) -> tuple[float, float]:
    c0, t0 = time.process_time(), time.perf_counter()
    app.switch_page(page_file).run()
    return time.perf_counter() - t0, time.process_time() - c0


@dataclass
class PageResult:
    page: str
    selection: str
    calls: list[Call] = field(default_factory=list)
    query_totals: list[float] = field(default_factory=list)  # page's own queries (router's excluded)
    query_cpu: list[float] = field(default_factory=list)  # CPU seconds of the same, all threads
    call_times: dict[Call, list[float]] = field(default_factory=lambda: defaultdict(list))
    shared_totals: list[float] = field(default_factory=list)
    cold: Timing = field(default_factory=Timing)
    warm: Timing = field(default_factory=Timing)
    problems: list[str] = field(default_factory=list)


def _is_shared(call: Call) -> bool:
    """One of the router's reads (made on every page, with no parameters)."""
    return call.name in SHARED and not call.args and not any(v is not None for _, v in call.kwargs)


def time_queries(db: Path, results: dict[tuple[str, str], PageResult], repeat: int) -> None:
    """Re-run each page's recorded calls directly (no cache), `repeat` times."""
    from etl import queries

    for _ in range(repeat):
        for res in results.values():
            own = own_cpu = shared = 0.0
            for call in res.calls:
                c0, t0 = time.process_time(), time.perf_counter()
                call.run(db, getattr(queries, call.name))
                dt, dc = time.perf_counter() - t0, time.process_time() - c0
                res.call_times[call].append(dt)
                if _is_shared(call):
                    shared += dt
                else:
                    own += dt
                    own_cpu += dc
            res.query_totals.append(own)
            res.query_cpu.append(own_cpu)
            res.shared_totals.append(shared)


def time_renders(db: Path, sels: list[Selection], repeat: int,
                 pages: list[str] | None = None) -> dict[tuple[str, str], PageResult]:
    """Cold and warm AppTest renders, interleaved over pages and selections, `repeat` rounds.

    The first round's cold renders run with the query recorder on: which queries each page makes.
    """
    apps = {sel.name: _new_app(db, sel) for sel in sels}
    files = [(url, file) for url, file in page_files() if not pages or url in pages]
    results: dict[tuple[str, str], PageResult] = {}
    for rnd in range(repeat):
        t0 = time.perf_counter()
        for sel in sels:
            app = apps[sel.name]
            for url, file in files:
                res = results.setdefault((url, sel.name), PageResult(url, sel.name))
                _cold()
                if rnd == 0:
                    with QueryRecorder() as rec:
                        res.cold.add(*_timed_run(app, file))
                    res.calls = [c for c, _ in rec.calls]
                else:
                    res.cold.add(*_timed_run(app, file))
                res.problems += [p for p in _problems(app) if p not in res.problems]
                res.warm.add(*_timed_run(app, file))
                res.problems += [p for p in _problems(app) if p not in res.problems]
                print(f"  {url:9s} {sel.name:12s} cold {res.cold.wall[-1]:6.2f} s  warm {res.warm.wall[-1]:6.2f} s",
                      file=sys.stderr, flush=True)
        print(f"render round {rnd + 1}/{repeat} done in {time.perf_counter() - t0:.0f} s", file=sys.stderr,
              flush=True)
    return results


# --------------------------------------------------------------------------------------------------
# report


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1), linear between closest ranks."""
    if not values:
        return float("nan")
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def _ms(x: float) -> str:
    return "–" if x != x else f"{x * 1000:,.0f}".replace(",", " ")


def _s(x: float) -> str:
    return "–" if x != x else f"{x:.2f}"


def _flag(x: float) -> str:
    return f"**{_s(x)}**" if x == x and x >= TARGET_SECONDS else _s(x)


def report(db: Path, results: dict[tuple[str, str], PageResult], repeat: int, title: str) -> Iterator[str]:
    from etl import queries

    counts = queries.quality_summary(db).iloc[0]
    n_facts = queries._df(db, "SELECT count(*) AS n FROM facts")["n"].iloc[0]  # noqa: SLF001 - a count
    yield (f"### {title}\n\n`{db.name}` ({fmt_bytes(db.stat().st_size)}): {int(counts['n_observations']):,} "
           f"observations, {int(n_facts):,} facts, {int(counts['n_documents']):,} documents; "
           f"{repeat} runs each; times in seconds unless marked ms; **bold** = at or above the "
           f"{TARGET_SECONDS:.0f} s target.")
    shared = [t for r in results.values() for t in r.shared_totals if t > 0]
    rows = []
    for (page, sel), r in results.items():
        own = {c: t for c, t in r.call_times.items() if not _is_shared(c)}
        slow = max(own.items(), key=lambda kv: statistics.median(kv[1]), default=None)
        rows.append([page, sel, len([c for c in r.calls if not _is_shared(c)]),
                     _ms(statistics.median(r.query_totals)), _ms(pct(r.query_totals, 0.95)),
                     _ms(statistics.median(r.query_cpu)),
                     f"{slow[0].label()} {_ms(statistics.median(slow[1]))} ms" if slow else "–"])
    yield ("Queries each page makes (re-run directly, no cache; the router's four shared reads — meta, "
           f"provinces, indicators, year range — take {_ms(statistics.median(shared))} ms median, "
           f"{_ms(pct(shared, 0.95))} ms p95, on every page and are left out of the rows):\n\n"
           + markdown_table(["page", "selection", "queries", "median ms", "p95 ms", "CPU ms",
                             "slowest query (median)"], rows, align="llrrrrl"))
    rows = []
    for (page, sel), r in results.items():
        rows.append([page, sel, _flag(statistics.median(r.cold.wall)), _flag(pct(r.cold.wall, 0.95)),
                     _s(statistics.median(r.cold.cpu)), _flag(statistics.median(r.warm.wall)),
                     _flag(pct(r.warm.wall, 0.95)), _s(statistics.median(r.warm.cpu)),
                     "; ".join(r.problems)[:120] or "ok"])
    yield ("Full AppTest render of the page (`switch_page` + `run`), cold = cache cleared first:\n\n"
           + markdown_table(["page", "selection", "cold median", "cold p95", "cold CPU", "warm median", "warm p95",
                             "warm CPU", "errors"], rows, align="llrrrrrrl"))
    worst = max(results.values(), key=lambda r: pct(r.cold.wall, 0.95))
    worst_cpu = max(results.values(), key=lambda r: statistics.median(r.cold.cpu))
    yield (f"Slowest: {worst.page} / {worst.selection}, cold p95 {_s(pct(worst.cold.wall, 0.95))} s "
           f"(CPU {_s(statistics.median(worst.cold.cpu))} s); most CPU: {worst_cpu.page} / "
           f"{worst_cpu.selection}, cold median {_s(statistics.median(worst_cpu.cold.cpu))} CPU s.")


def run(n_obs: int, repeat: int, db: Path | None, facts: str, seed: int, view_repeat: int,
        pages: list[str] | None, work_dir: Path | None = None) -> Iterator[str]:
    quiet_streamlit()
    variants = [("table", repeat)] if facts == "table" else [("view", repeat)] if facts == "view" else [
        ("table", repeat), ("view", view_repeat)]
    for kind, reps in variants:
        path = db if db is not None else warehouse_for(n_obs, seed, kind, directory=work_dir)
        sels = selections(path)
        results = time_renders(path, sels, reps, pages)
        time_queries(path, results, reps)
        yield from report(path, results, reps, f"facts as a {kind}" if db is None else str(path))
        if db is not None:
            break


# --------------------------------------------------------------------------------------------------
# profiling one page with py-spy


def profile(db: Path, page: str, selection: str, rounds: int, work_dir: Path = WAREHOUSE_DIR, top: int = 25) -> str:
    """Cold renders of one page under py-spy (all threads, native DuckDB frames left out); top functions."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        return "py-spy is not installed (`.venv/bin/python -m pip install py-spy`)."
    out = work_dir / f"profile_{page}_{selection.replace(' ', '_')}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(spy), "record", "--format", "raw", "--rate", "200", "-o", str(out), "--",
           sys.executable, "-m", "bench.dashboard_scale", "--db", str(db), "--child-render", page,
           "--selection", selection, "--repeat", str(rounds)]
    subprocess.run(cmd, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return summarize_raw(out, top, only_thread_of="_run_script")


def summarize_raw(path: Path, top: int = 25, only_thread_of: str | None = None) -> str:
    """Own and inclusive sample counts per function from py-spy's raw (collapsed stacks) output."""
    own: dict[str, int] = defaultdict(int)
    incl: dict[str, int] = defaultdict(int)
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        if only_thread_of and only_thread_of not in stack:
            continue
        n = int(count)
        total += n
        frames = [_frame(f) for f in stack.split(";")]
        own[frames[-1]] += n
        for f in set(frames):
            incl[f] += n
    if not total:
        return "no samples"

    def table(counts: dict[str, int]) -> str:
        rows = [[f, f"{100 * n / total:.1f} %"] for f, n in sorted(counts.items(), key=lambda kv: -kv[1])[:top]]
        return markdown_table(["function (file:line of the definition's first sample)", "samples"], rows, "lr")

    interesting = {f: n for f, n in incl.items() if _ours(f)}
    return (f"{total} samples in the script thread.\n\nInclusive, this project's code:\n\n{table(interesting)}"
            f"\n\nOwn time (where the samples land):\n\n{table(own)}")


def _frame(text: str) -> str:
    """'fn (path/to/file.py:123)' -> 'fn (file.py)' so one function is one row whatever the line."""
    name, _, where = text.partition(" (")
    where = where.rstrip(")")
    file = where.rsplit(":", 1)[0]
    parts = Path(file).parts
    short = "/".join(parts[-2:]) if len(parts) >= 2 else file
    return f"{name} ({short})"


def _ours(frame: str) -> bool:
    return any(k in frame for k in ("(etl/", "(ui/", "(pages/", "(main/dashboard.py", "(bench/")) and \
        "dashboard_scale" not in frame


def child_render(db: Path, page: str, selection: str, rounds: int) -> None:
    """What `profile` runs under py-spy: `rounds` cold renders of one page."""
    sel = next(s for s in selections(db) if s.name == selection)
    app = _new_app(db, sel)
    file = dict(page_files())[page]
    for _ in range(rounds):
        _cold()
        app.switch_page(file).run()


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.dashboard_scale", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-obs", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--db", type=Path, default=None, help="use this warehouse instead of a synthetic one")
    ap.add_argument("--facts", choices=("table", "view", "both"), default="table",
                    help="facts stored as a table (as the real build does), the view, or both")
    ap.add_argument("--view-repeat", type=int, default=3, help="runs of the view variant with --facts both")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pages", nargs="+", default=None, help="only these pages (url paths)")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "dashboard_scale.md")
    ap.add_argument("--work-dir", type=Path, default=WAREHOUSE_DIR,
                    help="where synthetic warehouses and profiles are kept (default: %(default)s)")
    ap.add_argument("--profile", metavar="PAGE", help="profile cold renders of PAGE with py-spy instead")
    ap.add_argument("--selection", default="none", help="selection for --profile: none, '1 province', ...")
    ap.add_argument("--child-render", metavar="PAGE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    sys.path.insert(0, str(REPO_ROOT))
    quiet_streamlit()
    if args.child_render:
        child_render(args.db, args.child_render, args.selection, args.repeat)
        return 0
    if args.profile:
        db = args.db or warehouse_for(args.n_obs, args.seed, "table" if args.facts == "both" else args.facts,
                                      directory=args.work_dir)
        print(f"## Profile: {args.profile} / {args.selection}, {args.repeat} cold renders\n")
        print(profile(db, args.profile, args.selection, args.repeat, args.work_dir))
        return 0

    args.out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as fh:
        def emit(text: str) -> None:
            print(text + "\n", flush=True)
            fh.write(text + "\n\n")
            fh.flush()

        emit("## Dashboard at scale")
        emit(machine_info().header())
        for section in run(args.n_obs, args.repeat, args.db, args.facts, args.seed, args.view_repeat, args.pages,
                           args.work_dir):
            emit(section)
        emit(f"_Dashboard benchmark: {time.perf_counter() - t0:.0f} s; report in {args.out}._")
    return 0


if __name__ == "__main__":
    sys.exit(main())
