"""`ictdash review --reviewer "Tên"`: the dashboard in review mode (issue 13).

Starts the same Streamlit app as `make run`, with the reviewer's name in the server's environment
(ICTDASH_REVIEWER, read once when the review module is imported), the warehouse in ICTDASH_DB and the
curation file the review actions append to in ICTDASH_CURATION. Without this command the dashboard has
no reviewer and no write control.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from etl.defaults import DEFAULT_CURATION, REPO_ROOT

EXIT_USAGE = 2


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    review = sub.add_parser("review", help="serve the dashboard in review mode (analysts confirm, reject, "
                                           "correct and add values; each action is a line of the curation file)")
    review.add_argument("--reviewer", required=True, help="the reviewer's name, written on every line")
    review.add_argument("--db", type=Path, default=None,
                        help="database file (default $ICTDASH_DB, else data/ictdash.duckdb)")
    review.add_argument("--curation", type=Path, default=None,
                        help="the curation file review actions append to (default data/curation.csv)")
    review.add_argument("--port", type=int, default=8501, help="server port (default 8501)")
    review.add_argument("--address", default=None,
                        help="address to listen on (default: Streamlit's; 127.0.0.1 keeps it on this machine)")
    review.set_defaults(func=run)
    return review


def server_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]] | str:
    """(argv, environment) of the review server, or the message saying why it cannot start."""
    from etl.queries import default_db_path
    from etl.review import CURATION_ENV, REVIEWER_ENV, ReviewError, check_reviewer

    try:
        reviewer = check_reviewer(args.reviewer)
    except ReviewError as exc:
        return f"--reviewer: {exc}"
    db = Path(args.db) if args.db else default_db_path()
    if not db.is_file():
        return f"the warehouse {db} does not exist; build it first (`ictdash etl` or `make etl`)"
    curation = Path(args.curation) if args.curation else DEFAULT_CURATION
    if not curation.parent.is_dir():
        return f"--curation: the folder {curation.parent} does not exist"
    if curation.exists() and not os.access(curation, os.W_OK):
        return f"--curation: {curation} is not writable"
    if not os.access(curation.parent, os.W_OK):
        return f"--curation: the folder {curation.parent} is not writable (the file is replaced atomically)"
    env = {**os.environ, REVIEWER_ENV: reviewer, "ICTDASH_DB": str(db.absolute()),
           CURATION_ENV: str(curation.absolute())}
    argv = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "dashboard.py"),
            "--server.port", str(args.port)]
    if args.address:
        argv += ["--server.address", args.address]
    return argv, env


def run(args: argparse.Namespace) -> int:
    made = server_command(args)
    if isinstance(made, str):
        print(f"error: {made}", file=sys.stderr)
        return EXIT_USAGE
    argv, env = made
    print(f"review mode as {env['ICTDASH_REVIEWER']!r}: {env['ICTDASH_DB']}, actions append to "
          f"{env['ICTDASH_CURATION']}", file=sys.stderr)
    os.chdir(REPO_ROOT)
    os.execve(argv[0], argv, env)  # the server replaces this process: Ctrl-C stops it directly
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    """`python -m etl.review_cli --reviewer "Tên"` (the same as `ictdash review`)."""
    parser = argparse.ArgumentParser(prog="ictdash")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["review", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
