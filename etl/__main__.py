"""`python -m etl ...` is the same CLI as the `ictdash` console script."""

from etl.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
