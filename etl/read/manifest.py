"""Input discovery: expand files and folders, attach each file's manifest.csv row.

A folder may hold `manifest.csv` with columns `file` (required) and optionally `url`, `title`,
`published`, `province`; its rows describe the files of that folder (a `file` value may also name a
file in a subfolder, "2020/bao-cao.pdf"). The manifest's values override what the readers detect.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from etl.read.decode import decode_bytes
from etl.read.errors import ReadError

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "url", "title", "published", "province")
SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".csv", ".xlsx"})
MAX_MANIFEST_BYTES = 20 * 1024**2


@dataclass
class Input:
    """A file to read and its manifest row (None when no manifest lists it)."""

    path: Path
    meta: dict[str, str] | None = None
    stat: os.stat_result | None = field(default=None, compare=False, repr=False)  # taken while discovering


def discover(paths: list[Path]) -> tuple[list[Input], list[ReadError]]:
    """Expand `paths` (files and folders, recursively, sorted) into Inputs, and the problems met.

    Hidden files and folders and manifest.csv files are skipped inside folders; unsupported formats,
    missing paths, broken manifests and manifest rows naming missing files are ReadErrors.
    """
    inputs: list[Input] = []
    errors: list[ReadError] = []
    seen: set[str] = set()
    manifests = _ManifestCache(errors)
    real_dirs: dict[str, str] = {}
    for given in paths:
        if not isinstance(given, Path):
            given = Path(given)
        try:
            given_stat: os.stat_result | None = os.stat(given)
        except (OSError, ValueError):
            given_stat = None
        mode = given_stat.st_mode if given_stat else 0
        if stat.S_ISDIR(mode):
            manifests.check_listed_files(given)
            files = _folder_files(given)
        elif stat.S_ISREG(mode):
            files = [] if given.name.lower() == MANIFEST_NAME else [(given, os.path.islink(given), given_stat)]
        else:
            errors.append(ReadError(given, "no such file or folder"))
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


def _folder_files(folder: Path) -> list[tuple[Path, bool, None]]:
    """Files under `folder` as (path, is a symbolic link, None), sorted by relative path; hidden entries and
    manifest.csv left out.

    Symbolic links to folders are not followed (no loops); links to files are read. A folder that
    cannot be listed is skipped (as os.walk does).
    """
    found: list[tuple[str, str, bool]] = []
    stack = [(str(folder), "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{prefix}{name}/"))
                elif name.lower() != MANIFEST_NAME and entry.is_file():
                    found.append((prefix + name, entry.path, entry.is_symlink()))
            except OSError:
                continue
    found.sort()
    return [(Path(path), is_link, None) for _, path, is_link in found]


def _name_key(name: str) -> str:
    """Manifest file names compare NFC (macOS writes NFD names) and with forward slashes."""
    key = unicodedata.normalize("NFC", name.strip().replace("\\", "/"))
    while key.startswith("./"):
        key = key[2:]
    return key


class _ManifestCache:
    """Reads each folder's manifest once; reports its problems into `errors`."""

    def __init__(self, errors: list[ReadError]) -> None:
        self.errors = errors
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
                    found = self.by_folder[key] = read_manifest(Path(path))
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


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """manifest.csv -> {file name: row}; UTF-8 with or without BOM (other encodings detected)."""
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ReadError(path, f"{MANIFEST_NAME} too large")
    text = decode_bytes(path.read_bytes(), path).text
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
            row = {
                column: record[index].strip()
                for index, column in enumerate(header)
                if column in MANIFEST_COLUMNS and index < len(record) and record[index].strip()
            }
            name = row.get("file")
            if name:
                rows.setdefault(_name_key(name), row)
    except csv.Error as exc:
        raise ReadError(path, f"{MANIFEST_NAME} is malformed ({exc})") from exc
    return rows
