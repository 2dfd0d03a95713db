"""The `ictdash` command line (also `python -m etl`): extract, etl, status, export."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from etl.defaults import DEFAULT_CURATION, DEFAULT_DB, DEFAULT_REPORTS, LOCK_TIMEOUT_S

EXIT_NOTHING_LOADED = 1  # also: any error that stopped the command (unreadable warehouse, unwritable file)
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of our output went away (`ictdash status | head`)


def default_db() -> Path:
    """`$ICTDASH_DB` when set, else data/ictdash.duckdb under the repository root (what the dashboard reads)."""
    env = os.environ.get("ICTDASH_DB", "").strip()
    return Path(env).expanduser() if env else DEFAULT_DB


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "extract":
        from etl.extract_cli import main as extract_main

        return extract_main(args_list[1:])
    if args_list and args_list[0] == "evaluate":
        from etl.evaluate import main as evaluate_main

        return evaluate_main(args_list[1:])
    parser = _parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C: one line, not a traceback (a build removes its temporary file first)
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _silence_stdout() -> None:
    """After EPIPE: point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give 0 or more")
    return value


def _db_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("empty path; name a database file such as data/ictdash.duckdb")
    return Path(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ictdash", description="Provincial ICT figures from Vietnamese reports: extract, build, export.")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    sub.add_parser("extract", add_help=False, help="print the values found in report files (jsonl|table); "
                   "see `ictdash extract --help`")

    sub.add_parser("evaluate", add_help=False, help="score extraction on the real annotated corpus "
                   "(data/corpus); see `ictdash evaluate --help`")

    etl = sub.add_parser("etl", help="build the DuckDB warehouse from report files")
    etl.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_REPORTS],
                     help="report files or folders (default data/reports)")
    etl.add_argument("--db", type=_db_path, default=None,
                     help="database file (default $ICTDASH_DB, else data/ictdash.duckdb); an existing file "
                          "there must be an ictdash warehouse")
    etl.add_argument("--full", action="store_true", help="re-read every file, even unchanged ones")
    etl.add_argument("--jobs", "-j", type=int, default=1,
                     help="worker processes for reading (default 1; at most the machine's cores)")
    etl.add_argument("--curation", type=lambda s: Path(s) if s else "", default=None,
                     help="corrections file (default data/curation.csv when it exists; '' for none); a file "
                          "named here must exist")
    etl.add_argument("--wait", type=float, default=LOCK_TIMEOUT_S, metavar="SECONDS",
                     help=f"how long to wait for another build of the same database (default {LOCK_TIMEOUT_S:g})")
    etl.add_argument("--follow-links", action="store_true",
                     help="read files that symbolic links in the folders lead to outside them (default: such "
                          "links are skipped, each reported)")
    etl.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    etl.set_defaults(func=_cmd_etl)

    status = sub.add_parser("status", help="what the warehouse holds and how the last builds went")
    status.add_argument("--db", type=_db_path, default=None)
    status.add_argument("--runs", type=_non_negative, default=5, help="how many recent runs to list (default 5)")
    status.set_defaults(func=_cmd_status)

    export = sub.add_parser("export", help="export facts (one value per province, year, indicator, scope)")
    export.add_argument("--format", choices=("csv", "xlsx", "parquet"), default=None,
                        help="default: from --out's suffix, else csv")
    export.add_argument("--province", action="append", default=[], metavar="NAME_OR_ID",
                        help="a province name (Lào Cai) or id (63-10); repeat for several")
    export.add_argument("--indicator", action="append", default=[], metavar="ID", help="repeat for several")
    export.add_argument("--from-year", type=int, default=None)
    export.add_argument("--to-year", type=int, default=None)
    export.add_argument("--out", type=Path, default=None, help="output file (default: standard output)")
    export.add_argument("--db", type=_db_path, default=None)
    export.set_defaults(func=_cmd_export)

    from etl.review_cli import add_parser as add_review_parser  # review mode of the dashboard (issue 13)

    add_review_parser(sub)
    return parser


# --- etl ------------------------------------------------------------------------------------------


def _cmd_etl(args: argparse.Namespace) -> int:
    from etl.warehouse import BuildLocked, WarehouseError, build, usable_cores

    db = args.db or default_db()
    if args.curation is None:  # the default file, when there is one
        curation = DEFAULT_CURATION
    elif args.curation == "":
        curation = None
    elif not Path(args.curation).is_file():
        print(f"error: the curation file {args.curation} does not exist (or is not a file); give an existing "
              "file, or --curation '' for none", file=sys.stderr)
        return EXIT_USAGE
    else:
        curation = Path(args.curation)
    jobs = max(1, args.jobs)
    cores = usable_cores()
    if jobs > cores:
        print(f"notice: --jobs {jobs} is more than this machine's {cores} core(s); using {cores}", file=sys.stderr)
        jobs = cores
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so the temporary file gets removed
    try:
        summary = build(args.paths, db, full=args.full, jobs=jobs, curation_path=curation,
                        progress=not args.quiet, lock_timeout=args.wait, follow_links=args.follow_links)
    except BuildLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except WarehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING_LOADED
    finally:
        signal.signal(signal.SIGTERM, previous)
    print_summary(summary)
    if not summary.loaded_anything:
        what = "no input files found" if not summary.files else "every file failed"
        print(f"error: nothing could be loaded ({what}) from {', '.join(map(str, args.paths))}", file=sys.stderr)
        return EXIT_NOTHING_LOADED
    return 0


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def print_summary(summary: Any, out: Any = None, err: Any = None) -> None:
    """The end-of-build report: counts on stdout; every failure and warning on stderr."""
    out = out or sys.stdout
    err = err or sys.stderr
    print(f"ictdash etl → {summary.db_path}  (run {summary.run_id}, {summary.seconds:.1f} s)", file=out)
    if summary.kept:
        print("  nothing changed since that run (files, curation, reference data, extraction code): "
              "the warehouse was left as it was; --full rebuilds it anyway", file=out)
    print(f"  files: {summary.n_files}: {summary.n_read} read, {summary.n_unchanged} unchanged, "
          f"{summary.n_empty} empty, {summary.n_failed} failed", file=out)
    by_indicator = summary.values_by_indicator
    print(f"  values: {summary.n_values} in {len(by_indicator)} indicators", file=out)
    for indicator, n in sorted(by_indicator.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"    {indicator:<32} {n:>6}", file=out)
    print(f"  conflicts: {summary.n_conflicts} facts whose sources disagree", file=out)
    counts = summary.curation.counts()
    print(f"  curation: {counts['reject']} reject, {counts['correct']} correct, {counts['add']} add, "
          f"{counts.get('confirm', 0)} confirm applied; "
          f"{len(summary.curation.errors)} malformed, {len(summary.curation.warnings)} warnings", file=out)
    for f in summary.files:
        if f.status in ("failed", "empty"):
            print(f"{f.status.upper()}: {f.path}: {f.message}", file=err)
    for message in summary.warnings + summary.curation.messages:
        print(f"WARNING: {message}", file=err)


# --- status ---------------------------------------------------------------------------------------


def _open_read_only(db: Path) -> Any:
    import duckdb

    if not db.exists():
        raise FileNotFoundError(f"no warehouse at {db}; build it with `ictdash etl`")
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RuntimeError(f"the warehouse {db} cannot be opened ({reason}); if it is an ictdash warehouse, "
                           "`ictdash etl` moves it aside and rebuilds it from the reports") from None


def _unreadable(db: Path, exc: BaseException) -> int:
    """One line for a warehouse that opens but cannot be read (a corrupt block, a foreign database)."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    print(f"error: the warehouse {db} cannot be read ({reason}); if it is an ictdash warehouse, `ictdash etl` "
          "moves it aside and rebuilds it from the reports", file=sys.stderr)
    return EXIT_NOTHING_LOADED


def _cmd_status(args: argparse.Namespace) -> int:
    import duckdb

    db = args.db or default_db()
    try:
        con = _open_read_only(db)
    except Exception as exc:  # noqa: BLE001 - a missing or unreadable file is a message, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING_LOADED
    try:
        return _status(con, db, args)
    except duckdb.Error as exc:
        return _unreadable(db, exc)
    finally:
        con.close()


def _status(con: Any, db: Path, args: argparse.Namespace) -> int:
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    print(f"warehouse: {db}  built {meta.get('built_at', '?')}  extractor {meta.get('extractor_version', '?')}"
          f"  schema {meta.get('schema_version', '?')}")
    docs = con.execute("SELECT status, count(*) FROM documents GROUP BY status ORDER BY status").fetchall()
    print("documents: " + (", ".join(f"{n} {s}" for s, n in docs) or "none"))
    review = dict(con.execute(
        "SELECT review_status, count(*) FROM observations GROUP BY review_status").fetchall())
    n_obs = sum(review.values())
    curated = ", ".join(f"{n} {s}" for s, n in sorted(review.items()) if s != "machine")
    n_facts, n_conflicts = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE n_disagree > 0) FROM facts").fetchall()[0]
    print(f"observations: {n_obs}" + (f" ({curated})" if curated else "")
          + f"; facts: {n_facts} ({n_conflicts} with disagreeing sources)")
    runs = con.execute(
        "SELECT run_id, finished_at, n_files, n_read, n_unchanged, n_failed, n_values, n_conflicts, details "
        "FROM runs ORDER BY started_at DESC LIMIT ?", [args.runs]).fetchall()
    print("recent runs:")
    for run_id, finished, n_files, n_read, n_unchanged, n_failed, n_values, n_conflicts, details in runs:
        warnings = _run_warnings(details)
        print(f"  {run_id}  {finished:%Y-%m-%d %H:%M} UTC  {n_files} files: {n_read} read, {n_unchanged} "
              f"unchanged, {n_failed} failed; {n_values} values; {n_conflicts} conflicts"
              + (f"; {warnings} warnings" if warnings else ""))
    failed = _last_run_failures(runs[0][8]) if runs else []
    if not failed:
        failed = con.execute("SELECT path, status, error FROM documents WHERE status <> 'ok' "
                             "ORDER BY doc_id").fetchall()
    if failed:
        print("files not loaded:")
        for path, status, error in failed:
            print(f"  {status.upper()} {path}: {error}")
    if runs:
        for message in _last_run_messages(runs[0][8]):
            print(f"WARNING (last run): {message}", file=sys.stderr)
    return 0


def _last_run_failures(details: str | None) -> list[tuple[str, str, str]]:
    """(path, status, reason) of the files a run could not load, discovery problems included."""
    try:
        files = json.loads(details or "{}").get("files", [])
    except ValueError:
        return []
    return [(f["path"], f["status"], f.get("message") or "") for f in files if f["status"] in ("failed", "empty")]


def _run_warnings(details: str | None) -> int:
    return len(_last_run_messages(details))


def _last_run_messages(details: str | None) -> list[str]:
    try:
        data = json.loads(details or "{}")
    except ValueError:
        return []
    curation = data.get("curation") or {}
    return list(data.get("warnings", [])) + list(curation.get("errors", [])) + list(curation.get("warnings", []))


# --- export ---------------------------------------------------------------------------------------


def _cmd_export(args: argparse.Namespace) -> int:
    import duckdb

    from etl.export import ExportTooLarge, format_for_path

    try:
        fmt = args.format or (format_for_path(args.out) if args.out else "csv")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.out is not None:
        folder = args.out.parent if str(args.out.parent) else Path(".")
        if not folder.is_dir():
            print(f"error: cannot write {args.out}: the folder {folder} does not exist", file=sys.stderr)
            return EXIT_NOTHING_LOADED
        if args.out.is_dir():
            print(f"error: cannot write {args.out}: it is a folder; name a file", file=sys.stderr)
            return EXIT_NOTHING_LOADED
    db = args.db or default_db()
    try:
        con = _open_read_only(db)
    except Exception as exc:  # noqa: BLE001
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING_LOADED
    try:
        return _export(con, args, fmt)
    except ExportTooLarge as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING_LOADED
    except duckdb.OutOfMemoryException as exc:
        print(f"error: not enough memory for this export ({str(exc).splitlines()[0]}); export fewer rows "
              "(--province, --indicator, --from-year, --to-year)", file=sys.stderr)
        return EXIT_NOTHING_LOADED
    except duckdb.Error as exc:
        return _unreadable(db, exc)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        where = exc.filename or args.out or "standard output"
        print(f"error: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_NOTHING_LOADED
    finally:
        con.close()


def _export(con: Any, args: argparse.Namespace, fmt: str) -> int:
    """CSV and Parquet are streamed by DuckDB into the file (flat memory); XLSX, at most one sheet of rows,
    is checked against Excel's limit before anything is written."""
    from etl.export import (
        check_xlsx_rows,
        copy_facts,
        count_facts,
        export_frame,
        limit_memory,
        query_definitions,
        query_facts,
        write_export,
    )

    try:
        province_ids = _resolve_provinces(con, args.province)
        indicator_ids = _check_indicators(con, args.indicator)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    filters = (province_ids, indicator_ids, args.from_year, args.to_year)
    limit_memory(con)
    if fmt == "xlsx":
        check_xlsx_rows(count_facts(con, *filters))
        df = query_facts(con, *filters)
        definitions = query_definitions(con, sorted(set(df["indicator_id"])))
        n_rows = len(df)
        if args.out:
            write_export(df, args.out, fmt, definitions)
        else:
            sys.stdout.buffer.write(export_frame(df, fmt, definitions))
            sys.stdout.flush()
    else:
        n_rows = copy_facts(con, args.out or sys.stdout.buffer, fmt, *filters)
    if args.out:
        print(f"exported {n_rows} rows to {args.out}", file=sys.stderr)
    return 0


def _resolve_provinces(con: Any, wanted: list[str]) -> list[str]:
    """Province ids for names or ids; a name means that name in both schemes (Lào Cai: 63-10 and 34-15)."""
    from etl.provinces import lookup, name_key

    rows = con.execute("SELECT province_id, name FROM provinces").fetchall()
    ids: list[str] = []
    for text in wanted:
        names = {name_key(text)}
        found = lookup(text)
        if found is not None:
            names.add(name_key(found.name))
        matched = [pid for pid, name in rows if pid == text or name_key(name) in names]
        if not matched:
            raise ValueError(f"unknown province {text!r}; give a name (Lào Cai) or an id (63-10, 34-15)")
        ids.extend(pid for pid in matched if pid not in ids)
    return ids


def _check_indicators(con: Any, wanted: list[str]) -> list[str]:
    known = {r[0] for r in con.execute("SELECT indicator_id FROM indicators").fetchall()}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise ValueError(f"unknown indicator(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return list(wanted)
