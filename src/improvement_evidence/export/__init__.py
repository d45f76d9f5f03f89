"""Release artefacts: the data package as zip, Parquet, SQLite, Excel or CSV.

Every export is deterministic: the same data gives the same bytes (zip,
xlsx; Parquet and SQLite for the same library versions), so a file can be
checked against a published one. Timestamps inside archives come from
``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else
from the descriptor's ``created`` date.

pyarrow (Parquet) and openpyxl (Excel) are in the ``export`` extra and are
imported only when those formats are asked for.

Writing cannot hurt what is already there. The package is opened (and
refused, if unsafe) before the output is touched; the export is written to a
temporary file or folder beside ``out`` and renamed into place only once it
is complete, so an existing output is replaced only by a finished export
(``--force``), and a failure or a kill leaves the old output as it was.
Without ``--force``, an output that appears meanwhile (a second export
racing to the same path) is never overwritten: one export wins, the other
fails cleanly. File names inside a folder export come from resource names,
which :mod:`improvement_evidence.package` accepts only without path
separators.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ExportError

__all__ = ["FORMATS", "ExportError", "export", "read_parquet", "source_date"]

FORMATS = ("zip", "parquet", "sqlite", "xlsx", "csv")

# Formats that write a folder (the rest write one file).
_FOLDERS = {"parquet": "*.parquet", "csv": "*.csv"}

_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)  # the earliest time a zip entry can hold


def source_date(desc: dict) -> datetime:
    """The timestamp written inside archives: ``SOURCE_DATE_EPOCH`` if set,
    else the descriptor's ``created``; never before 1980 (the zip format's start).

    Examples:
        >>> import os
        >>> os.environ.pop("SOURCE_DATE_EPOCH", None) and None
        >>> source_date({"created": "2026-11-27T00:00:00Z"}).isoformat()
        '2026-11-27T00:00:00+00:00'
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw:
        try:
            when = datetime.fromtimestamp(int(raw), tz=timezone.utc)
        except ValueError:
            raise ExportError(f"SOURCE_DATE_EPOCH: expected whole seconds since 1970; found {raw!r}") from None
    elif desc.get("created"):
        text = str(desc["created"]).replace("Z", "+00:00")
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            raise ExportError(f"datapackage.json, field 'created': expected an ISO 8601 date-time; found {desc['created']!r}") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
    else:
        when = _ZIP_EPOCH
    return max(when.astimezone(timezone.utc), _ZIP_EPOCH)


def _check_target(out: Path, fmt: str, force: bool) -> None:
    """Refuse an output that is in the way; nothing is deleted here."""
    if not out.name or out.name in (".", ".."):
        raise ExportError(f"{out}: expected a file or folder name to write; found none")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent}: folder does not exist; create it first")
    exists = os.path.lexists(out)
    if fmt in _FOLDERS:
        if exists and (out.is_symlink() or not out.is_dir()):
            raise ExportError(f"{out}: is a file; the {fmt} export writes a folder. Give a folder path")
        if exists and any(out.iterdir()):
            if not force:
                raise ExportError(f"{out}: folder exists and is not empty; use --force to replace its {_FOLDERS[fmt]} files")
        return
    if exists and (out.is_dir() and not out.is_symlink()):
        raise ExportError(f"{out}: is a folder; the {fmt} export writes one file. Give a file path")
    if exists and not force:
        raise ExportError(f"{out}: file exists; use --force to overwrite it")
    if exists and not out.is_file():
        raise ExportError(f"{out}: is not a regular file; refusing to replace it")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0


def _keep_others(out: Path, new: Path, fmt: str) -> None:
    """Carry the files of ``out`` that are not this format's into ``new``
    (hard links, so nothing is copied): --force replaces only the export."""
    for p in out.iterdir():
        if not p.is_symlink() and p.is_file() and p.match(_FOLDERS[fmt]):
            continue  # the previous export's own files: replaced
        target = new / p.name
        if os.path.lexists(target):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.copytree(p, target, symlinks=True, copy_function=_link_or_copy)
        elif p.is_symlink():
            os.symlink(os.readlink(p), target)
        else:
            _link_or_copy(p, target)


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _install(new: Path, out: Path, fmt: str, force: bool) -> None:
    """Move the finished export ``new`` to ``out`` in one step."""
    try:
        if fmt not in _FOLDERS:
            if force:
                os.replace(new, out)  # atomic: readers see the old file or the new one
                return
            try:
                os.link(new, out)  # fails if out appeared meanwhile: never overwrite without --force
            except FileExistsError:
                raise ExportError(f"{out}: file exists (written meanwhile by another process?); use --force to overwrite it") from None
            except OSError:  # no hard links here: a rename after one more check
                if os.path.lexists(out):
                    raise ExportError(f"{out}: file exists; use --force to overwrite it") from None
                os.rename(new, out)
            return
        if os.path.lexists(out) and any(out.iterdir()):
            if not force:
                raise ExportError(f"{out}: folder exists and is not empty (written meanwhile by another process?); use --force")
            _keep_others(out, new, fmt)
            if _exchange(new, out):
                return  # ``new`` now holds the old export; the caller removes it
            old = new.with_name(new.name + ".old")
            os.rename(out, old)
            os.rename(new, out)
            return
        os.rename(new, out)  # onto a missing or empty folder: atomic
    except ExportError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise ExportError(f"{out}: appeared meanwhile (another export?); nothing was replaced") from None
        raise ExportError(f"{out}: the finished export could not be moved into place ({exc.strerror or exc}); the old output is untouched") from None


def export(format: str, out: Path | str, path: Path | str | None = None, *, force: bool = False) -> Path:
    """Write the data package (the installed one, or ``path``) to ``out`` in ``format``.

    Formats:
        * ``zip`` -- the data package itself (datapackage.json, schemas, data)
          as one zip file; byte-identical for the same data.
        * ``parquet`` -- a folder with one ``<table>.parquet`` per table,
          keeping every dtype (categoricals, Int64, Float64, boolean, datetime);
          read one back with :func:`read_parquet` (``pandas.read_parquet``
          is exact too, except for the categories of an empty table).
        * ``sqlite`` -- one database file with PRIMARY KEY, FOREIGN KEY, NOT
          NULL, UNIQUE and enum CHECK constraints from the schemas, plus a
          ``_datapackage`` table (name, version, content hash).
        * ``xlsx`` -- one sheet per table, a ``README`` sheet and a
          ``codebook`` sheet; no cell can run as a formula.
        * ``csv`` -- a folder with ``evidence.csv`` (the tidy evidence view,
          one row per figure, when the package has the tables it needs) and
          every table as its canonical CSV.

    Args:
        format: one of :data:`FORMATS`.
        out: the file (zip, sqlite, xlsx) or folder (parquet, csv) to write.
        path: a ``datapackage.json`` or its folder; the installed package by default.
        force: replace an existing file, or a folder holding only a previous
            export of this format, once the new export is complete.

    Returns:
        ``out`` as a Path.

    Raises:
        ExportError: unknown format, output in the way, the ``export`` extra
            missing, or data that breaks its own keys.
        PackageError: the package cannot be opened safely (see
            :mod:`improvement_evidence.package`).

    Examples:
        >>> import tempfile, zipfile, pathlib
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.export import export
        >>> out = export("zip", pathlib.Path(tempfile.mkdtemp()) / "ie.zip")
        >>> "datapackage.json" in zipfile.ZipFile(out).namelist()
        True
    """
    if format not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; expected one of: {', '.join(FORMATS)}")
    from ..package import Package

    out = Path(out)
    pkg = Package.open(path)  # refuse an unsafe or unreadable package before touching the output
    _check_target(out, format, force)
    from importlib import import_module

    writer = import_module(f"{__name__}._{format}")
    work = Path(tempfile.mkdtemp(prefix=f".{out.name[:60]}.", suffix=".partial", dir=out.parent))
    try:
        if format in _FOLDERS:
            new = work / "export"
            new.mkdir()
        else:
            new = work / out.name
        writer.write(new, pkg.descriptor_path)
        _install(new, out, format, force)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _package_file(path: Path | str | None) -> Path:
    from ..package import locate

    return locate(path)


def _load(path: Path | str | None):
    """Load every table, turning a load failure into an ExportError."""
    from ..load import LoadError, load

    try:
        return load(path)
    except LoadError as exc:
        raise ExportError(f"cannot export: {exc}") from None


def _need(module: str, fmt: str):
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError:
        raise ExportError(
            f"the {fmt} export needs {module.split('.')[0]}, which is not installed; "
            "install it with: pip install 'improvement-evidence[export]'"
        ) from None


def read_parquet(file: Path | str):
    """Read one table of a Parquet export with the dtypes ``load_table`` gives.

    Examples:
        >>> import tempfile, pathlib
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.export import export, read_parquet
        >>> out = export("parquet", pathlib.Path(tempfile.mkdtemp()) / "pq")
        >>> read_parquet(out / "benefits.parquet").equals(ie.load_table("benefits"))
        True
    """
    from ._parquet import read_parquet as _read

    return _read(file)
