"""``export zip``: the data package as one deterministic zip file."""

from __future__ import annotations

import json
from pathlib import Path

from . import ExportError, _package_file, source_date
from ._zipfile import DeterministicZip


def members(descriptor_file: Path) -> list[str]:
    """The package's files, relative to its folder: the descriptor, then
    every schema and data file it names, sorted."""
    desc = json.loads(descriptor_file.read_text(encoding="utf-8"))
    names = set()
    for res in desc.get("resources", []):
        for key in ("path", "schema"):
            if isinstance(res.get(key), str):
                names.add(res[key])
    return ["datapackage.json", *sorted(names)]


def write(out: Path, path) -> None:
    file = _package_file(path)
    desc = json.loads(file.read_text(encoding="utf-8"))
    root = file.parent
    with DeterministicZip(out, source_date(desc)) as z:
        for rel in members(file):
            src = file if rel == "datapackage.json" else root / rel
            if not src.is_file():
                raise ExportError(f"{src}: listed in datapackage.json but missing; the package is incomplete")
            z.add(rel, src.read_bytes())
