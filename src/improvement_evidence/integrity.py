"""Check a data package's files against the hashes its descriptor records.

``datapackage.json`` records, for every table, the byte count and the
SHA-256 of its CSV file. :func:`verify` recomputes both from the files on
disk (the installed package by default) and says which differ. It also
gives the package's *content hash*, the one fingerprint that
:func:`improvement_evidence.cite` prints in every citation:

    content hash = "sha256:" + SHA-256 of the text made of one line
                   "<hex digest>  <path>\\n" per data file,
                   sorted by path (code-point order)

That text is exactly what ``sha256sum`` prints, so in a copy of the
package folder ``LC_ALL=C sha256sum data/*.csv | sha256sum`` gives the
same digest. Two copies with the same content hash hold byte-identical
data files; see docs/versioning.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PackageError, VerifyError
from .package import Package, inspect

__all__ = ["FileCheck", "VerifyReport", "VerifyError", "content_hash", "file_record", "recorded_content_hash", "verify"]

_PREFIX = "sha256:"


def content_hash(digests: dict[str, str]) -> str:
    """The content hash of a package whose data files have these digests.

    Args:
        digests: resource path (e.g. ``data/areas.csv``) -> hex SHA-256 of
            that file (with or without the ``sha256:`` prefix).

    Returns:
        ``"sha256:"`` followed by 64 hex digits.

    Examples:
        >>> content_hash({"data/b.csv": "00" * 32, "data/a.csv": "ff" * 32})[:19]
        'sha256:aec5105f6c16'
        >>> content_hash({"data/a.csv": "ff" * 32, "data/b.csv": "00" * 32}) == \\
        ...     content_hash({"data/b.csv": "sha256:" + "00" * 32, "data/a.csv": "ff" * 32})
        True
    """
    lines = "".join(f"{_bare(d)}  {p}\n" for p, d in sorted(digests.items()))
    return _PREFIX + hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _bare(digest: str) -> str:
    return digest[len(_PREFIX):] if digest.startswith(_PREFIX) else digest


def file_record(data: bytes) -> dict:
    """The ``bytes`` and ``hash`` a descriptor records for a file with this content.

    Examples:
        >>> file_record(b"a,b\\n")["bytes"], file_record(b"")["hash"][:15]
        (4, 'sha256:e3b0c442')
    """
    return {"bytes": len(data), "hash": _PREFIX + hashlib.sha256(data).hexdigest()}


def _open(path: Path | str | None) -> tuple[Package, set[str]]:
    """The package, strictly opened except that a missing data file is
    allowed (verify reports it); returns the names of those tables."""
    pkg, problems = inspect(path)
    missing = set()
    for p in problems:
        if p.code == "missing-file" and p.field == "path" and pkg is not None:
            missing.add(p.table)
            continue
        if p.blocking:
            where = pkg.descriptor_path.name if pkg is not None else None
            if p.table is not None and where:
                where = f"{where}, resource {p.table!r}"
            raise VerifyError(p.message, file=where, field=p.field)
    return pkg, missing


def _recorded(pkg: Package) -> dict[str, tuple[str, int | None, str]]:
    """resource path -> (recorded hex sha256, recorded bytes, table name)."""
    out: dict[str, tuple[str, int | None, str]] = {}
    for i, res in enumerate(pkg.resources):
        where = f"{pkg.descriptor_path.name}: resources[{i}] ({res.name!r})"
        h = res.entry.get("hash")
        b = res.entry.get("bytes")
        if not isinstance(h, str) or not h.startswith(_PREFIX) or len(h) != len(_PREFIX) + 64:
            raise VerifyError(
                f"{where}, field 'hash': expected 'sha256:<64 hex digits>'; found {str(h)[:80]!r}. "
                "A bare hash is read as md5 by frictionless; run tools/refresh_package.py",
                file=pkg.descriptor_path.name, field="hash",
            )
        path = res.path or res.entry.get("path")
        out[str(path)] = (_bare(h).lower(), b if isinstance(b, int) and not isinstance(b, bool) else None, res.name)
    return out


def recorded_content_hash(path: Path | str | None = None) -> str:
    """The content hash computed from the hashes *recorded* in ``datapackage.json``.

    This is what :func:`improvement_evidence.cite` prints; it needs no data
    file. :func:`verify` recomputes the same value from the files.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.integrity import recorded_content_hash
        >>> recorded_content_hash().startswith("sha256:")
        True
    """
    pkg, _ = _open(path)
    return content_hash({p: h for p, (h, _, _) in _recorded(pkg).items()})


@dataclass(frozen=True)
class FileCheck:
    """One data file compared with its descriptor entry."""

    path: str
    status: str  # ok | changed | missing
    expected_hash: str
    actual_hash: str | None
    expected_bytes: int | None
    actual_bytes: int | None

    def message(self) -> str:
        if self.status == "ok":
            return f"{self.path}: ok"
        if self.status == "missing":
            return f"{self.path}: missing (datapackage.json lists it; the file is not there)"
        parts = []
        if self.expected_bytes is not None and self.expected_bytes != self.actual_bytes:
            parts.append(f"bytes expected {self.expected_bytes}, found {self.actual_bytes}")
        parts.append(f"sha256 expected {self.expected_hash[:12]}…, found {(self.actual_hash or '')[:12]}…")
        return (
            f"{self.path}: changed ({'; '.join(parts)}). The file was edited after datapackage.json "
            "was written: restore it, or run tools/refresh_package.py if the edit is intended"
        )


@dataclass
class VerifyReport:
    """Result of :func:`verify`; ``ok`` is True when every file matches."""

    descriptor: Path
    version: str
    files: list[FileCheck] = field(default_factory=list)
    recorded_content_hash: str = ""
    actual_content_hash: str | None = None
    unlisted: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.status == "ok" for f in self.files)

    @property
    def problems(self) -> list[FileCheck]:
        return [f for f in self.files if f.status != "ok"]

    def to_dict(self) -> dict:
        return {
            "descriptor": str(self.descriptor),
            "version": self.version,
            "ok": self.ok,
            "recorded_content_hash": self.recorded_content_hash,
            "actual_content_hash": self.actual_content_hash,
            "files": [f.__dict__ for f in self.files],
            "unlisted": self.unlisted,
        }


def verify(path: Path | str | None = None) -> VerifyReport:
    """Compare every data file with the bytes and SHA-256 recorded in ``datapackage.json``.

    Args:
        path: a ``datapackage.json`` or its folder; the installed package by default.

    Returns:
        A :class:`VerifyReport`: ``.ok``, ``.problems`` (the files that differ,
        each with ``.message()``), ``.recorded_content_hash`` (from the
        descriptor, what ``cite`` prints) and ``.actual_content_hash``
        (recomputed from the files; None when a file is missing).

    Raises:
        VerifyError: the descriptor is missing, not JSON, or records a hash
            that is not ``sha256:``.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.integrity import verify
        >>> report = verify()
        >>> report.ok, report.actual_content_hash == report.recorded_content_hash
        (True, True)
    """
    pkg, missing = _open(path)
    recorded = _recorded(pkg)
    checks: list[FileCheck] = []
    actual: dict[str, str] = {}
    for rel, (exp_hash, exp_bytes, name) in recorded.items():
        if name in missing:
            checks.append(FileCheck(rel, "missing", exp_hash, None, exp_bytes, None))
            continue
        try:
            digest, size = pkg.file_digest(name)
        except PackageError as exc:
            raise VerifyError(str(exc), file=rel) from None
        actual[rel] = digest
        same = digest == exp_hash and (exp_bytes is None or exp_bytes == size)
        checks.append(FileCheck(rel, "ok" if same else "changed", exp_hash, digest, exp_bytes, size))
    root = pkg.root
    listed = {Path(r).as_posix() for r in recorded}
    data_dir = root / "data"
    unlisted = sorted(
        p.relative_to(root).as_posix() for p in data_dir.glob("*.csv") if p.relative_to(root).as_posix() not in listed
    ) if data_dir.is_dir() and not data_dir.is_symlink() else []
    return VerifyReport(
        descriptor=pkg.descriptor_path,
        version=pkg.version,
        files=checks,
        recorded_content_hash=content_hash({p: h for p, (h, _, _) in recorded.items()}),
        actual_content_hash=content_hash(actual) if len(actual) == len(recorded) else None,
        unlisted=unlisted,
    )
