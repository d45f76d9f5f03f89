"""``export zip``: the data package as one deterministic zip file.

The archive holds ``datapackage.json``, the licence files found beside it
(``LICENSE``, ``LICENSE-DATA``), and every schema and data file the
descriptor names, with an entry for each folder (``data/``, ``schemas/``)
before its files: readers that create folders only from folder entries
(datapackage-js) need them.

An export of a modified copy (see :mod:`._stamp`) records the hashes and
byte counts of the files it holds, and its version gains ``+modified``, so
the archive never claims to be a released version it is not.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

from . import ExportError, _package_file, source_date
from ._zipfile import DeterministicZip

LICENCE_FILES = ("LICENSE", "LICENSE-DATA")


def members(descriptor_file: Path) -> list[str]:
    """The package's files, relative to its folder: the descriptor, the
    licence files present, then every schema and data file it names, sorted.

    Examples:
        >>> from improvement_evidence.package import locate
        >>> names = members(locate(None))
        >>> names[:3], "data/areas.csv" in names
        (['datapackage.json', 'LICENSE', 'LICENSE-DATA'], True)
    """
    from ..package import read_descriptor

    desc = read_descriptor(descriptor_file)[1]
    names = set()
    for res in desc.get("resources", []):
        for key in ("path", "schema"):
            if isinstance(res.get(key), str):
                names.add(res[key])
    licences = [n for n in LICENCE_FILES if (descriptor_file.parent / n).is_file()]
    return ["datapackage.json", *licences, *sorted(names)]


def folders(names: list[str]) -> list[str]:
    """Every folder the entries lie in, parents first, each ending in ``/``.

    Examples:
        >>> folders(["datapackage.json", "data/a.csv", "schemas/a.json", "data/b.csv"])
        ['data/', 'schemas/']
    """
    out: list[str] = []
    for name in names:
        for parent in reversed(PurePosixPath(name).parents[:-1]):
            entry = parent.as_posix() + "/"
            if entry not in out:
                out.append(entry)
    return out


def honest_descriptor(file: Path, released: bool) -> bytes:
    """The descriptor as archived: as is for a release; for a modified copy,
    with the hashes and byte counts of its files and ``+modified`` on its version."""
    raw = file.read_bytes()
    if released:
        return raw
    desc = json.loads(raw)
    for res in desc.get("resources", []):
        if isinstance(res.get("path"), str):
            data = (file.parent / res["path"]).read_bytes()
            res["bytes"], res["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    version = str(desc.get("version", ""))
    if "+modified" not in version:
        desc["version"] = version + "+modified"
    return (json.dumps(desc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write(out: Path, path) -> None:
    from ._stamp import stamp

    file = _package_file(path)
    desc = json.loads(file.read_text(encoding="utf-8"))
    root = file.parent
    names = members(file)
    for rel in names[1:]:
        if not (root / rel).is_file():
            raise ExportError(f"{root / rel}: listed in datapackage.json but missing; the package is incomplete")
    released = stamp(file).released
    with DeterministicZip(out, source_date(desc)) as z:
        z.add("datapackage.json", honest_descriptor(file, released))
        for rel in names[1:]:
            if "/" not in rel:
                z.add(rel, (root / rel).read_bytes())
        for folder in folders(names):
            z.add_folder(folder)
            for rel in names:
                if rel.startswith(folder) and "/" not in rel[len(folder):]:
                    z.add(rel, (root / rel).read_bytes())
