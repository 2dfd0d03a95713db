"""Input discovery: expand files and folders, attach each file's manifest.csv row.

A folder may hold `manifest.csv` with columns `file` (required) and optionally `url`, `title`,
`published`, `province`; its rows describe the files of that folder (a `file` value may also name a
file in a subfolder, "2020/bao-cao.pdf"). The manifest's values override what the readers detect.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from etl.read.decode import SAMPLE_BYTES, _utf16_without_bom, decode_bytes
from etl.read.errors import ReadError

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "url", "title", "published", "province")
SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".csv", ".xlsx"})
MAX_MANIFEST_BYTES = 20 * 1024**2
MAX_MANIFEST_TITLE = 300  # characters of a manifest title kept (the last one an ellipsis)
FOLLOW_HINT = "ictdash etl --follow-links reads it"


@dataclass
class Input:
    """A file to read and its manifest row (None when no manifest lists it)."""

    path: Path
    meta: dict[str, str] | None = None
    stat: os.stat_result | None = field(default=None, compare=False, repr=False)  # taken while discovering


def discover(paths: list[Path], *, follow_links: bool = False,
             warnings: list[str] | None = None) -> tuple[list[Input], list[ReadError]]:
    """Expand `paths` (files and folders, recursively, sorted) into Inputs, and the problems met.

    Hidden files and folders and manifest.csv files are skipped inside folders; unsupported formats,
    missing paths, broken manifests, manifest rows naming missing files and skipped links and special files
    (see `_folder_files`; links out of a folder are read only with `follow_links`) are ReadErrors. Problems
    with single manifest rows (unknown province, unreadable date, NUL byte, long title) are appended to
    `warnings` when given.
    """
    inputs: list[Input] = []
    errors: list[ReadError] = []
    seen: set[str] = set()
    manifests = _ManifestCache(errors, warnings if warnings is not None else [])
    real_dirs: dict[str, str] = {}
    for given in paths:
        if not isinstance(given, Path):
            given = Path(given)
        try:
            given_stat: os.stat_result | None = os.stat(given)
        except (OSError, ValueError) as exc:
            errors.append(ReadError(given, _missing_reason(given, exc)))
            continue
        mode = given_stat.st_mode
        if stat.S_ISDIR(mode):
            manifests.check_listed_files(given)
            files = _folder_files(given, errors, follow_links)
        elif stat.S_ISREG(mode):  # a file named on the command line is read even through a link: it was asked for
            files = [] if given.name.lower() == MANIFEST_NAME else [(given, os.path.islink(given), given_stat)]
        else:
            errors.append(ReadError(given, _by_mode(mode)[1] or "not a regular file"))
            continue
        for file, is_link, file_stat in files:
            key = _real_path(file, is_link, real_dirs)
            if key in seen:
                continue
            seen.add(key)
            if file.suffix.lower() not in SUPPORTED_SUFFIXES:
                errors.append(ReadError(file, f"unsupported format {file.suffix.lower() or '(no extension)'}"))
                continue
            inputs.append(Input(path=file, meta=manifests.row_for(key), stat=file_stat))
    return inputs, errors


def _missing_reason(given: Path, exc: BaseException) -> str:
    """Why a path named on the command line cannot be used."""
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if os.path.islink(given):
        return "broken symbolic link (its target does not exist)"
    return "no such file or folder"


def _real_path(file: Path, is_link: bool, real_dirs: dict[str, str]) -> str:
    """`str(file.resolve())`, resolving each folder once (a folder of 100,000 reports is one realpath call)."""
    if is_link:
        return os.path.realpath(file)
    parent, name = os.path.split(file)
    parent = parent or "."
    real = real_dirs.get(parent)
    if real is None:
        real = real_dirs[parent] = os.path.realpath(parent)
    return os.path.join(real, name)


def _folder_files(folder: Path, errors: list[ReadError], follow_links: bool = False) -> list[tuple[Path, bool, None]]:
    """Files under `folder` as (path, is a symbolic link, None), sorted by relative path; hidden entries and
    manifest.csv left out.

    Untrusted folders: a symbolic link leading outside `folder` is not followed unless `follow_links`;
    dangling links, link loops, named pipes, devices, sockets and folders that cannot be listed are skipped,
    each with a ReadError in `errors` naming it and the reason. Nothing is opened here (a FIFO never blocks).
    """
    root = os.path.realpath(folder)
    found: list[tuple[str, str, bool]] = []
    followed = {root}
    stack = [(str(folder), "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError as exc:
            errors.append(ReadError(directory, f"cannot list this folder ({_why(exc)}); its files were skipped"))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.lower() == MANIFEST_NAME:
                continue
            kind, reason = _classify(entry, root, follow_links)
            if kind == "dir":
                target = os.path.realpath(entry.path)
                if target in followed and entry.is_symlink():
                    continue  # a second link to a folder already walked
                followed.add(target)
                stack.append((entry.path, f"{prefix}{name}/"))
            elif kind == "file":
                found.append((prefix + name, entry.path, entry.is_symlink()))
            elif reason:
                errors.append(ReadError(entry.path, reason))
    found.sort()
    return [(Path(path), is_link, None) for _, path, is_link in found]


def _why(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _by_mode(mode: int) -> tuple[str, str | None]:
    """'file', 'dir' or 'skip' with the reason, from a stat mode (never opening the file)."""
    if stat.S_ISREG(mode):
        return "file", None
    if stat.S_ISDIR(mode):
        return "dir", None
    if stat.S_ISFIFO(mode):
        return "skip", "a named pipe (FIFO), not a report file; not opened"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "skip", "a device file, not a report file; not opened"
    if stat.S_ISSOCK(mode):
        return "skip", "a socket, not a report file; not opened"
    return "skip", "not a regular file; not opened"


def _classify(entry: os.DirEntry, root: str, follow_links: bool) -> tuple[str, str | None]:
    """What to do with one folder entry: ('file' | 'dir' | 'skip', reason; None: skip without a message)."""
    try:
        if entry.is_symlink():
            return _classify_link(entry.path, root, follow_links)
        return _by_mode(entry.stat(follow_symlinks=False).st_mode)
    except OSError as exc:
        return "skip", f"cannot be examined ({_why(exc)})"


def _classify_link(path: str, root: str, follow_links: bool) -> tuple[str, str | None]:
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "skip", "symbolic link loop; not followed"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "skip", "broken symbolic link (its target does not exist)"
        return "skip", f"symbolic link whose target cannot be examined ({_why(exc)})"
    target = os.path.realpath(path)
    inside = _inside(target, root)
    kind, reason = _by_mode(mode)
    if kind == "skip":
        return kind, f"symbolic link to {reason}"
    if kind == "dir":
        if inside:
            return "skip", None  # its files are read where they are
        if _inside(root, target) or _inside(os.path.dirname(os.path.abspath(path)), target):
            return "skip", "symbolic link loop (it leads to a folder that contains it); not followed"
        if not follow_links:
            return "skip", f"symbolic link to a folder outside {root}; not followed ({FOLLOW_HINT})"
        return "dir", None
    if not inside and not follow_links:
        return "skip", f"symbolic link to a file outside {root}; not read ({FOLLOW_HINT})"
    return "file", None


def _name_key(name: str) -> str:
    """Manifest file names compare NFC (macOS writes NFD names) and with forward slashes."""
    key = unicodedata.normalize("NFC", name.strip().replace("\\", "/"))
    while key.startswith("./"):
        key = key[2:]
    return key


class _ManifestCache:
    """Reads each folder's manifest once; reports its problems into `errors`."""

    def __init__(self, errors: list[ReadError], warnings: list[str]) -> None:
        self.errors = errors
        self.warnings = warnings
        self.by_folder: dict[str, dict[str, dict[str, str]]] = {}  # resolved folder -> rows
        self.checked: set[Path] = set()
        self.above: dict[str, list[tuple[str, dict[str, dict[str, str]]]]] = {}

    def rows(self, folder: Path | str, resolved: bool = False) -> dict[str, dict[str, str]]:
        """The manifest rows of `folder` ({} without a manifest); `resolved`: the path is resolved already."""
        key = str(folder) if resolved else str(Path(folder).resolve())
        found = self.by_folder.get(key)
        if found is None:
            found = self.by_folder[key] = {}
            path = os.path.join(key, MANIFEST_NAME)
            if os.path.isfile(path):
                try:
                    found = self.by_folder[key] = read_manifest(Path(path), self.warnings)
                except ReadError as error:
                    self.errors.append(error)
        return found

    def row_for(self, resolved: str) -> dict[str, str] | None:
        """The row naming the file at `resolved` (an absolute, resolved path) in its own folder's manifest,
        or in a manifest of a folder above (at most two up)."""
        for folder, rows in self._manifests_above(os.path.dirname(resolved)):
            relative = os.path.relpath(resolved, folder).replace(os.sep, "/")
            row = rows.get(_name_key(relative))
            if row is not None:
                return dict(row)
        return None

    def _manifests_above(self, directory: str) -> list[tuple[str, dict[str, dict[str, str]]]]:
        """The manifests of `directory` and of the two folders above it that have rows, nearest first."""
        found = self.above.get(directory)
        if found is None:
            found = []
            folder = directory
            for _ in range(3):
                rows = self.rows(folder, resolved=True)
                if rows:
                    found.append((folder, rows))
                parent = os.path.dirname(folder)
                if parent == folder:
                    break
                folder = parent
            self.above[directory] = found
        return found

    def check_listed_files(self, root: Path) -> None:
        """A manifest row whose file does not exist is an error (a typo would silently drop metadata)."""
        for manifest in sorted(root.rglob(MANIFEST_NAME)):
            folder = manifest.parent.resolve()
            if folder in self.checked or any(p.startswith(".") for p in manifest.relative_to(root).parts):
                continue
            self.checked.add(folder)
            existing = {_name_key(p.relative_to(folder).as_posix()) for p in folder.rglob("*") if p.is_file()}
            for name in self.rows(folder):
                if name not in existing:
                    self.errors.append(ReadError(folder / name, f"listed in {MANIFEST_NAME} but not found"))


def read_manifest(path: Path, warnings: list[str] | None = None) -> dict[str, dict[str, str]]:
    """manifest.csv -> {file name: row}; UTF-8 with or without BOM (other encodings detected).

    A row with a NUL byte is left out; an unknown province or an unreadable date is dropped from its row and
    a title is capped at MAX_MANIFEST_TITLE characters: each noted in `warnings` as "<manifest>: line N: why".
    """
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ReadError(path, f"{MANIFEST_NAME} too large")
    notes = warnings if warnings is not None else []
    data, nul_lines = _blank_nul_lines(path.read_bytes())
    text = decode_bytes(data, path).text
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [(cell or "").strip().lower().lstrip("\ufeff") for cell in next(reader, [])]
        if "file" not in header:
            raise ReadError(path, f"{MANIFEST_NAME} has no 'file' column")
        rows: dict[str, dict[str, str]] = {}
        for record in reader:
            if any("\x00" in cell for cell in record):
                nul_lines.append(reader.line_num)
                continue
            row = {
                column: record[index].strip()
                for index, column in enumerate(header)
                if column in MANIFEST_COLUMNS and index < len(record) and record[index].strip()
            }
            name = row.get("file")
            if name:
                for reason in _check_row(row):
                    notes.append(f"{path}: line {reader.line_num}: {reason}")
                rows.setdefault(_name_key(name), row)
    except csv.Error as exc:
        raise ReadError(path, f"{MANIFEST_NAME} is malformed ({exc})") from exc
    notes.extend(f"{path}: line {line}: a NUL byte; the row is ignored" for line in sorted(nul_lines))
    return rows


def _blank_nul_lines(data: bytes) -> tuple[bytes, list[int]]:
    """An 8-bit manifest with NUL bytes: each line holding one emptied (the rest still read), and the line
    numbers. UTF-16/32 text (NULs on every other byte) is left to the decoder."""
    if b"\x00" not in data or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            or _utf16_without_bom(data[:SAMPLE_BYTES]):
        return data, []
    lines = data.split(b"\n")
    bad = [i for i, line in enumerate(lines) if b"\x00" in line]
    for i in bad:
        lines[i] = b""
    return b"\n".join(lines), [i + 1 for i in bad]


def cap_title(title: str) -> str:
    """At most MAX_MANIFEST_TITLE characters, the last an ellipsis when it was longer."""
    return title if len(title) <= MAX_MANIFEST_TITLE else title[:MAX_MANIFEST_TITLE - 1].rstrip() + "…"


def _check_row(row: dict[str, str]) -> list[str]:
    """Problems with one manifest row; the values at fault are dropped (or shortened) in place."""
    from etl import provinces
    from etl.dates import parse_date

    name = row["file"]
    reasons = []
    if (province := row.get("province")) is not None and provinces.lookup(province) is None:
        reasons.append(f"unknown province {province[:80]!r} for {name!r}; ignored (the reports' own is used)")
        del row["province"]
    if (published := row.get("published")) is not None and parse_date(published) is None:
        reasons.append(f"date {published[:80]!r} for {name!r} not understood; ignored")
        del row["published"]
    if (title := row.get("title")) is not None and len(title) > MAX_MANIFEST_TITLE:
        row["title"] = cap_title(title)
        reasons.append(f"title of {len(title):,} characters for {name!r} shortened to {MAX_MANIFEST_TITLE}")
    return reasons
