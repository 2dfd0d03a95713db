"""Shared helpers of the benchmarks: machine description, markdown tables, timing and peak memory."""

from __future__ import annotations

import os
import platform
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "bench" / "out"  # generated corpora and databases (git-ignored)
DEFAULT_VNNEWS = REPO_ROOT.parent / "shared" / "corpus" / "vnnews"


# --------------------------------------------------------------------------------------------------
# the machine


@dataclass(frozen=True)
class MachineInfo:
    logical_cores: int
    physical_cores: int | None
    memory_bytes: int
    cpu_model: str
    python: str
    duckdb: str
    system: str
    load_1min: float | None = None

    def header(self) -> str:
        """One line for the top of a benchmark report."""
        cores = f"{self.logical_cores} cores"
        if self.physical_cores and self.physical_cores != self.logical_cores:
            cores += f" ({self.physical_cores} physical)"
        load = f"; load average {self.load_1min:.1f} at start" if self.load_1min is not None else ""
        busy = " (busy: other work shares the cores, timings are pessimistic)" if (
            self.load_1min is not None and self.load_1min > self.logical_cores * 0.75) else ""
        return (f"Machine: {cores}, {fmt_bytes(self.memory_bytes)} RAM, {self.cpu_model}; "
                f"Python {self.python}, DuckDB {self.duckdb}; {self.system}{load}{busy}")


def machine_info() -> MachineInfo:
    """Cores, memory, CPU model and the versions that matter for the figures."""
    try:
        import duckdb

        duckdb_version = duckdb.__version__
    except ImportError:  # pragma: no cover - duckdb is a dependency
        duckdb_version = "not installed"
    return MachineInfo(
        logical_cores=os.cpu_count() or 1, physical_cores=psutil.cpu_count(logical=False),
        memory_bytes=psutil.virtual_memory().total, cpu_model=_cpu_model(), python=platform.python_version(),
        duckdb=duckdb_version, system=f"{platform.system()} {platform.release()}", load_1min=_load(),
    )


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover - not on every platform
        return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


# --------------------------------------------------------------------------------------------------
# formatting


def fmt_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover


def fmt_num(x: float | int | None, digits: int = 1) -> str:
    """Thousands separated by a thin space; None as a dash."""
    if x is None:
        return "–"
    if isinstance(x, int) or float(x).is_integer() and abs(x) >= 100:
        return f"{int(round(x)):,}".replace(",", " ")
    return f"{x:,.{digits}f}".replace(",", " ")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None) -> str:
    """A GitHub markdown table; `align` holds one of l/r/c per column (default: numbers right)."""
    cells = [[_cell(c) for c in row] for row in rows]
    if align is None:
        align = "".join("r" if rows and all(_is_number(row[i]) for row in rows) else "l"
                        for i in range(len(headers)))
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    rule = {"l": lambda w: ":" + "-" * (w - 1), "r": lambda w: "-" * (w - 1) + ":", "c": lambda w: ":" + "-" * (w - 2) + ":"}
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        "| " + " | ".join(rule[a](max(w, 3)) for a, w in zip(align, widths, strict=True)) + " |",
    ]
    for r in cells:
        lines.append("| " + " | ".join((c.rjust(w) if a == "r" else c.ljust(w))
                                        for c, w, a in zip(r, widths, align, strict=True)) + " |")
    return "\n".join(lines)


def _cell(c: object) -> str:
    text = "" if c is None else str(c)
    return text.replace("|", "\\|").replace("\n", " ")


def _is_number(c: object) -> bool:
    if isinstance(c, int | float):
        return True
    text = str(c).replace(" ", "").replace("%", "").replace("×", "").replace("–", "")
    try:
        float(text)
        return True
    except ValueError:
        return text == ""


# --------------------------------------------------------------------------------------------------
# time and memory


def tree_rss(proc: psutil.Process | None = None) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    proc = proc or psutil.Process()
    total = 0
    for p in [proc, *_children(proc)]:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def _children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.children(recursive=True)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []


@dataclass
class Measurement:
    seconds: float = 0.0
    peak_rss: int = 0  # bytes, process tree
    start_rss: int = 0
    samples: int = 0


def run_measured(cmd: list[str], interval: float = 0.05, **popen_kwargs) -> tuple[int, float, int]:
    """Run `cmd` as a child process; (exit code, wall seconds, peak RSS of its process tree)."""
    import subprocess

    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, **popen_kwargs)
    try:
        proc = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            peak = max(peak, tree_rss(proc))
            time.sleep(interval)
    except psutil.NoSuchProcess:
        peak = 0
    code = child.wait()
    return code, time.perf_counter() - t0, peak


class Measure:
    """Wall time and peak RSS of the process tree, sampled every `interval` seconds in a thread.

    `with Measure() as m: ...` then `m.seconds`, `m.peak_rss`. Worker processes count while they live;
    a worker that starts and dies between two samples can be missed, so keep `interval` short.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.result = Measurement()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._t0 = 0.0

    def __enter__(self) -> Measurement:
        self.result.start_rss = self.result.peak_rss = tree_rss()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self._t0 = time.perf_counter()
        return self.result

    def __exit__(self, *exc: object) -> None:
        self.result.seconds = time.perf_counter() - self._t0
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.result.peak_rss = max(self.result.peak_rss, tree_rss())

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.interval):
            self.result.peak_rss = max(self.result.peak_rss, tree_rss(me))
            self.result.samples += 1
