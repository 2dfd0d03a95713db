"""ETL throughput and extraction quality, on real news (vnnews) and on a synthetic corpus.

For each corpus, in reports/s and MB/s with the peak resident memory of the process tree:
  (a) read only: `etl.read.read_path` (decode + normalize), the floor any ETL pays;
  (b) read + extract (`etl.extract.extract_document`) in 1 and 2 processes (ProcessPoolExecutor, chunked);
  (c) the full warehouse build `etl.warehouse.build(paths, db, jobs=N)`, and an unchanged re-run as a
      fraction of the full build.
On the synthetic corpus, strict precision/recall/F1 against its expected.jsonl (doc, province, year,
indicator, scope, value ±0.5 %, is_target), per indicator and per phrasing family, with the misses.

Run: `python -m bench.etl_throughput [--corpus DIR] [--synthetic N] [--jobs 1 2] [--profile N]`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import os
import pickle
import pstats
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench import synth_corpus
from bench.common import (
    DEFAULT_VNNEWS,
    OUT_DIR,
    REPO_ROOT,
    Measure,
    fmt_bytes,
    fmt_num,
    machine_info,
    markdown_table,
    run_measured,
)
from etl.extract import extract_document
from etl.read import ReadError, read_path

ARTICLE_NAME = re.compile(r"\d{5}\.txt")
OBS_FIELDS = ("doc", "province", "province_code", "year", "indicator", "scope", "value", "unit", "qualifier",
              "is_target", "evidence", "rule")


@dataclass
class Corpus:
    name: str
    files: list[Path]
    n_bytes: int
    build_paths: list[Path]  # what the warehouse build is given
    expected: list[dict] | None = None  # synthetic corpora only


def vnnews_corpus(folder: Path, limit: int | None = None) -> Corpus | None:
    """The vnnews articles (`NNNNN.txt`; the metadata files are left out), or None when absent."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.iterdir() if ARTICLE_NAME.fullmatch(p.name))[:limit]
    if not files:
        return None
    return Corpus("vnnews", files, sum(p.stat().st_size for p in files), files)


def synthetic_corpus(n_reports: int, seed: int = 0, out_dir: Path = OUT_DIR) -> Corpus:
    """A synthetic corpus of `n_reports` (generated once, reused while the phrasings are unchanged)."""
    root = synth_corpus.ensure_corpus(Path(out_dir) / f"synthetic_{n_reports}_s{seed}", n_reports, seed)
    files = synth_corpus.report_files(root)
    return Corpus(f"synthetic {fmt_num(n_reports)}", files, sum(p.stat().st_size for p in files),
                  [root / "reports"], synth_corpus.read_expected(root))


# --------------------------------------------------------------------------------------------------
# work done per file (module level: pickled into worker processes)


def read_only(path: str) -> int:
    try:
        return len(read_path(Path(path)).text)
    except ReadError:
        return -1


def read_extract(path: str) -> list[tuple]:
    try:
        doc = read_path(Path(path))
    except ReadError:
        return []
    return [tuple(getattr(o, f) for f in OBS_FIELDS) for o in extract_document(doc).observations]


def _warm_up() -> None:
    """Load catalog, gazetteer and compiled rules once, so no timed stage pays for them alone."""
    from etl.extract import extract_text

    extract_text("Sở TT&TT Lào Cai\n\nĐến hết năm 2013, toàn tỉnh có 912 trạm phát sóng di động.")


def _worker_cpu(_: int) -> tuple[int, float]:
    time.sleep(0.05)  # long enough for every worker to pick one up
    return os.getpid(), time.process_time()


def workers_cpu(pool: ProcessPoolExecutor, jobs: int) -> dict[int, float]:
    """CPU seconds used so far by each of the pool's `jobs` workers (starts them if needed)."""
    seen: dict[int, float] = {}
    while len(seen) < jobs:
        seen.update(pool.map(_worker_cpu, range(2 * jobs)))
    return seen


def start_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool whose `jobs` workers are all started and warmed up (forkserver, like the warehouse)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["etl.read", "etl.extract"])
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_warm_up)
    workers_cpu(pool, jobs)
    return pool


def map_files(work: Callable[[str], object], paths: list[str], pool: ProcessPoolExecutor | None, jobs: int) -> list:
    """`work` over every file, in this process (no pool) or in the pool's workers, in chunks."""
    if pool is None:
        return [work(p) for p in paths]
    chunk = max(1, min(100, len(paths) // (jobs * 16)))
    return list(pool.map(work, paths, chunksize=chunk))


# --------------------------------------------------------------------------------------------------
# each stage runs in a fresh child process: its peak memory is its own, not the benchmark's


STAGES = ("read", "extract", "warehouse", "rerun")


def _child(stage: str, jobs: int, list_file: Path, out_file: Path, db: Path | None) -> None:
    """Runs in the child: warm up, time the stage, pickle {seconds, result} into `out_file`."""
    paths = list_file.read_text(encoding="utf-8").splitlines()
    if stage in ("read", "extract"):
        _warm_up()
    else:  # a build loads what it needs itself (timed); only the import is left out, like the interpreter
        from etl.warehouse import build
    startup = 0.0
    pool = None
    cpu_before: dict[int, float] = {}
    if stage in ("read", "extract") and jobs > 1:
        t0 = time.perf_counter()
        pool = start_pool(jobs)
        startup = time.perf_counter() - t0
        cpu_before = workers_cpu(pool, jobs)
    t0, cpu0 = time.perf_counter(), time.process_time()
    if stage == "read":
        result: object = map_files(read_only, paths, pool, jobs)
    elif stage == "extract":
        result = map_files(read_extract, paths, pool, jobs)
    else:
        assert db is not None
        summary = build([Path(p) for p in paths], db, full=stage == "warehouse", jobs=jobs, curation_path=None,
                        progress=False)
        result = {"n_files": summary.n_files, "n_values": summary.n_values, "n_failed": summary.n_failed,
                  "n_unchanged": summary.n_unchanged, "n_read": summary.n_read, "kept": summary.kept}
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    workers_ok = True
    if pool is not None:
        cpu_after = workers_cpu(pool, jobs)
        workers_ok = set(cpu_after) == set(cpu_before)  # no worker replaced in between
        cpu += sum(cpu_after[pid] - cpu_before[pid] for pid in cpu_after if pid in cpu_before)
        pool.shutdown()
    if stage in ("warehouse", "rerun") and jobs > 1:
        workers_ok = False  # the warehouse's own workers are out of reach
    with open(out_file, "wb") as fh:
        pickle.dump({"seconds": seconds, "cpu": cpu if workers_ok else None, "startup": startup,
                     "result": result}, fh)


@dataclass
class StageRun:
    seconds: float  # measured inside the child, after imports, warm-up and pool start
    startup: float  # starting and warming up the worker pool (read/extract stages with 2+ processes)
    cpu: float | None  # CPU seconds of the timed part, all processes (None: the warehouse's workers)
    wall: float  # the child's whole life, interpreter start included
    peak_rss: int  # bytes, the child's process tree
    result: object


def run_stage(stage: str, paths: list[Path], jobs: int, db: Path | None = None) -> StageRun:
    """Run one stage in a fresh child process and measure it."""
    work = OUT_DIR / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    list_file, out_file = work / f"{stage}_{jobs}.list", work / f"{stage}_{jobs}.pkl"
    list_file.write_text("\n".join(str(p) for p in paths), encoding="utf-8")
    out_file.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "bench.etl_throughput", "--child", stage, "--jobs", str(jobs),
           "--list", str(list_file), "--out", str(out_file)] + (["--db", str(db)] if db else [])
    code, wall, peak = run_measured(cmd, cwd=REPO_ROOT)
    if code != 0 or not out_file.exists():
        raise RuntimeError(f"benchmark stage {stage!r} with {jobs} processes failed (exit code {code})")
    with open(out_file, "rb") as fh:
        data = pickle.load(fh)
    out_file.unlink()
    list_file.unlink()
    return StageRun(data["seconds"], data["startup"], data["cpu"], wall, peak, data["result"])


@dataclass
class StageRow:
    corpus: str
    stage: str
    jobs: int
    n_reports: int
    n_bytes: int
    run: StageRun
    baseline_s: float | None = None  # read-only seconds with the same number of processes
    note: str = ""

    def cells(self) -> list[object]:
        s = self.run.seconds
        return [
            self.corpus, self.stage, self.jobs, fmt_num(self.n_reports), f"{s:.1f}",
            f"{self.run.cpu:.1f}" if self.run.cpu is not None else "–", fmt_num(self.n_reports / s if s else None), f"{self.n_bytes / 1e6 / s:.2f}" if s else "–",
            f"{s / self.baseline_s:.1f}×" if self.baseline_s else "–", fmt_bytes(self.run.peak_rss), self.note,
        ]


STAGE_HEADERS = ["corpus", "stage", "processes", "reports", "seconds", "CPU s", "reports/s", "MB/s",
                 "time ÷ read-only", "peak RSS (tree)", "note"]


def throughput(corpus: Corpus, jobs_list: list[int], warehouse: bool = True) -> tuple[list[StageRow], list[tuple], list[str]]:
    """Stage rows, the observations of the 1-process extraction (for scoring), and messages."""
    rows: list[StageRow] = []
    messages: list[str] = []
    found: list[tuple] = []
    read_s: dict[int, float] = {}
    for jobs in jobs_list:
        r = run_stage("read", corpus.files, jobs)
        read_s[jobs] = r.seconds
        failed = sum(1 for n in r.result if n < 0)  # type: ignore[union-attr]
        rows.append(StageRow(corpus.name, "read only", jobs, len(corpus.files), corpus.n_bytes, r,
                             note=_notes(f"{failed} unreadable" if failed else "", r)))
        e = run_stage("extract", corpus.files, jobs)
        n_values = sum(len(x) for x in e.result)  # type: ignore[union-attr]
        rows.append(StageRow(corpus.name, "read + extract", jobs, len(corpus.files), corpus.n_bytes, e,
                             baseline_s=r.seconds, note=_notes(f"{fmt_num(n_values)} values", e)))
        if not found:
            found = [obs for x in e.result for obs in x]  # type: ignore[union-attr]
    if warehouse:
        wh_rows, wh_messages = warehouse_builds(corpus, jobs_list, read_s)
        rows += wh_rows
        messages += wh_messages
    return rows, found, messages


def _notes(note: str, run: StageRun) -> str:
    if run.startup:
        note = (note + "; " if note else "") + f"+{run.startup:.1f} s pool start"
    return note


def _cli_seconds(corpus: Corpus, db: Path) -> float:
    """Wall time of the real command (interpreter start and imports included) on the same inputs."""
    cmd = [sys.executable, "-m", "etl", "etl", *map(str, corpus.build_paths), "--db", str(db), "--quiet",
           "--curation", ""]
    code, wall, _ = run_measured(cmd, cwd=REPO_ROOT)
    return wall if code == 0 else float("nan")


def warehouse_builds(corpus: Corpus, jobs_list: list[int], read_s: dict[int, float]) -> tuple[list[StageRow], list[str]]:
    """Full builds with each number of processes, each followed by an unchanged re-run and a re-run with one
    report added."""
    try:
        from etl.warehouse import build  # noqa: F401 - only checks that the builder exists
    except ImportError as exc:
        return [], [f"warehouse build skipped: etl.warehouse.build is not importable ({exc})"]
    rows: list[StageRow] = []
    folder = OUT_DIR / "warehouse"
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"\W+", "_", corpus.name)
    for jobs in jobs_list:
        db = folder / f"{slug}_j{jobs}.duckdb"
        for stale in folder.glob(f"{db.name}*"):
            stale.unlink()
        full = run_stage("warehouse", corpus.build_paths, jobs, db)
        info = full.result
        assert isinstance(info, dict)
        rows.append(StageRow(corpus.name, "warehouse build (full)", jobs, info["n_files"], corpus.n_bytes, full,
                             baseline_s=read_s.get(jobs),
                             note=f"{fmt_num(info['n_values'])} values, {info['n_failed']} failed, "
                                  f"db {fmt_bytes(db.stat().st_size)}"))
        again = run_stage("rerun", corpus.build_paths, jobs, db)
        info2 = again.result
        assert isinstance(info2, dict)
        retried = ""
        if info2["n_unchanged"] < info2["n_files"]:  # the ETL code changed meanwhile (a shared tree): once more
            retried = f"; retried: the first re-run re-read {info2['n_files'] - info2['n_unchanged']} files"
            again = run_stage("rerun", corpus.build_paths, jobs, db)
            info2 = again.result
            assert isinstance(info2, dict)
        kept = "nothing changed: warehouse kept" if info2.get("kept") else "rebuilt from copies"
        rows.append(StageRow(corpus.name, "warehouse re-run (unchanged)", jobs, info2["n_files"], corpus.n_bytes,
                             again, note=f"{again.seconds / full.seconds:.1%} of the full build; "
                                         f"{info2['n_unchanged']} files unchanged, {kept}{retried}; "
                                         f"`ictdash etl` as a command: {_cli_seconds(corpus, db):.1f} s"))
        # incremental: one new report; the others are copied from the previous warehouse, not read
        added = folder / "added" / f"zz_added_{jobs}{corpus.files[0].suffix}"
        added.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus.files[0], added)
        one = run_stage("rerun", [*corpus.build_paths, added], jobs, db)
        info3 = one.result
        assert isinstance(info3, dict)
        rows.append(StageRow(corpus.name, "warehouse re-run (1 file added)", jobs, info3["n_files"],
                             corpus.n_bytes, one,
                             note=f"{one.seconds / full.seconds:.1%} of the full build; {info3['n_read']} read, "
                                  f"{info3['n_unchanged']} copied over"))
    shutil.rmtree(folder, ignore_errors=True)
    return rows, []


# --------------------------------------------------------------------------------------------------
# quality on the synthetic corpus


def quality_report(corpus: Corpus, found: list[tuple], max_examples: int = 3) -> str:
    assert corpus.expected is not None
    found_rows = [dict(zip(OBS_FIELDS, obs, strict=True)) for obs in found]
    sc = synth_corpus.score(corpus.expected, found_rows)
    t = sc.total
    out = [f"### Extraction quality on the {corpus.name} corpus (strict: doc, province, year, indicator, "
           "scope, value ±0.5 %, is_target)", "",
           markdown_table(["expected", "found", "matched", "precision", "recall", "F1", "qualifier agrees"],
                          [[t.expected, t.found, t.matched_found, f"{t.precision:.3f}", f"{t.recall:.3f}",
                            f"{t.f1:.3f}", f"{sc.qualifier_agreement:.3f}"]]), ""]
    rows = [[ind, c.expected, c.found, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"]
            for ind, c in sorted(sc.by_indicator.items(), key=lambda kv: (kv[1].f1, kv[0]))]
    out += ["Per indicator (worst first):", "",
            markdown_table(["indicator", "expected", "found", "precision", "recall", "F1"], rows), ""]
    examples: dict[str, str] = {}
    for miss in sc.misses:
        examples.setdefault(miss["template"], miss.get("sentence", ""))
    weak = [[tid, f"{c.matched_expected}/{c.expected}", f"{c.recall:.2f}", examples.get(tid, "")]
            for tid, c in sorted(sc.by_template.items(), key=lambda kv: (kv[1].recall, kv[0])) if c.recall < 1]
    if weak:
        out += ["Phrasing families (bench/phrasings.yaml) not fully recalled, with a missed sentence:", "",
                markdown_table(["template", "found", "recall", "example of a miss"], weak, align="llrl"), ""]
    if sc.extras:
        by_reason = Counter(f["diagnosis"] for f in sc.extras)
        ex_rows = []
        for reason, n in by_reason.most_common():
            shown = [f for f in sc.extras if f["diagnosis"] == reason][:max_examples]
            for k, f in enumerate(shown):
                ex_rows.append([reason if k == 0 else "", n if k == 0 else "", f["indicator"],
                                f"{f['province']} {f['year']} {f['scope']} {f['value']:g}"
                                + (" target" if f["is_target"] else ""), f["evidence"][:140]])
        out += ["Values found but not expected (by what differs from a missed value of the same document):", "",
                markdown_table(["diagnosis", "n", "indicator", "found", "evidence"], ex_rows, align="lrlll"), ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------
# profile


def profile_extraction(files: list[Path], top: int = 25) -> str:
    """cProfile of extraction only (documents read beforehand), top functions by own time."""
    docs = []
    for p in files:
        try:
            docs.append(read_path(p))
        except ReadError:
            continue
    _warm_up()
    prof = cProfile.Profile(time.process_time)  # CPU time: other load on the machine does not count
    prof.enable()
    for doc in docs:
        extract_document(doc)
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    entries = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)  # type: ignore[attr-defined]
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in entries[:top]:
        where = _short_path(filename)
        rows.append([f"{where}:{line}({func})", fmt_num(ncalls), f"{tottime:.2f}", f"{tottime / total:.1%}",
                     f"{cumtime:.2f}"])
    header = (f"Extraction profile: {len(docs)} documents, {total:.1f} s of CPU under cProfile "
              f"({total / max(len(docs), 1) * 1000:.1f} ms per document; cProfile slows Python code ~2×)")
    return header + "\n\n" + markdown_table(["function", "calls", "own s", "own %", "cumulative s"], rows,
                                            align="lrrrr")


def _short_path(filename: str) -> str:
    for marker in ("/etl/", "/bench/"):
        if marker in filename:
            return marker.strip("/") + "/" + filename.split(marker, 1)[1]
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    return filename.rsplit("/", 1)[-1] if "/" in filename else filename


# --------------------------------------------------------------------------------------------------
# the benchmark


def run(corpus_dir: Path = DEFAULT_VNNEWS, synthetic: int = 10000, jobs: list[int] | None = None,
        seed: int = 0, warehouse: bool = True, profile: int = 0, vnnews_limit: int | None = None) -> Iterator[str]:
    """The benchmark's markdown sections, yielded as each finishes."""
    jobs = jobs or [1, 2]
    corpora: list[Corpus] = []
    vn = vnnews_corpus(corpus_dir, vnnews_limit)
    if vn is None:
        yield f"vnnews benchmark skipped: no articles in {corpus_dir}"
    else:
        corpora.append(vn)
    if synthetic > 0:
        with Measure() as m_gen:
            syn = synthetic_corpus(synthetic, seed)
        corpora.append(syn)
        yield (f"Synthetic corpus: {fmt_num(len(syn.files))} reports, {fmt_bytes(syn.n_bytes)}, "
               f"{fmt_num(len(syn.expected or []))} expected values (ready in {m_gen.seconds:.1f} s; "
               "generated once and reused)")
    all_rows: list[StageRow] = []
    for corpus in corpora:
        rows, found, messages = throughput(corpus, jobs, warehouse)
        all_rows += rows
        yield f"### Throughput: {corpus.name} ({fmt_num(len(corpus.files))} files, {fmt_bytes(corpus.n_bytes)})"
        yield markdown_table(STAGE_HEADERS, [r.cells() for r in rows], align="llrrrrrrrrl")
        yield from messages
        if corpus.expected is not None:
            yield quality_report(corpus, found)
    if profile > 0:
        for corpus in corpora:
            yield f"### {corpus.name}: " + profile_extraction(corpus.files[:profile])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.etl_throughput", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_VNNEWS, help="vnnews folder (default: %(default)s)")
    ap.add_argument("--vnnews-limit", type=int, default=None, help="use only the first N vnnews articles")
    ap.add_argument("--synthetic", type=int, default=10000, help="synthetic reports (0: none; default 10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="process counts (default 1 2)")
    ap.add_argument("--no-warehouse", action="store_true", help="skip the warehouse builds")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="profile extraction of N files per corpus")
    ap.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)  # internal: run one stage
    ap.add_argument("--list", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child, args.jobs[0], args.list, args.out, args.db)
        return 0
    print(machine_info().header(), flush=True)
    for section in run(args.corpus, args.synthetic, args.jobs, args.seed, not args.no_warehouse, args.profile,
                       args.vnnews_limit):
        print("\n" + section, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
