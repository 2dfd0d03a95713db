"""Default locations and settings shared by the command line, the build and the dashboard.

Defaults live under the repository root, so the CLI builds what the dashboard reads from whatever
directory it is run.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO_ROOT / "data" / "ictdash.duckdb"
DEFAULT_REPORTS = REPO_ROOT / "data" / "reports"
DEFAULT_CURATION = REPO_ROOT / "data" / "curation.csv"
POPULATION_CSV = REPO_ROOT / "data" / "reference" / "population.csv"
LOCK_TIMEOUT_S = 60.0  # how long a build waits for another build of the same database
FACTS_MIN_CONFIDENCE = 0.5  # a value below this stays in observations, listed for review, never in facts
