"""Release artefacts: the data package as zip, Parquet, SQLite, Excel or CSV.

Every export is deterministic: the same data gives the same bytes (zip,
xlsx; Parquet and SQLite for the same library versions), so a file can be
checked against a published one. Timestamps inside archives come from
``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else
from the descriptor's ``created`` date.

pyarrow (Parquet) and openpyxl (Excel) are in the ``export`` extra and are
imported only when those formats are asked for.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["FORMATS", "ExportError", "export", "read_parquet", "source_date"]

FORMATS = ("zip", "parquet", "sqlite", "xlsx", "csv")

# Formats that write a folder (the rest write one file).
_FOLDERS = {"parquet": "*.parquet", "csv": "*.csv"}

_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)  # the earliest time a zip entry can hold


class ExportError(ValueError):
    """An export cannot be written: bad output path, missing extra, invalid data."""


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


def _prepare(out: Path, fmt: str, force: bool) -> None:
    if fmt in _FOLDERS:
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out}: is a file; the {fmt} export writes a folder. Give a folder path")
        if out.is_dir() and any(out.iterdir()):
            if not force:
                raise ExportError(f"{out}: folder exists and is not empty; use --force to replace its {_FOLDERS[fmt]} files")
            for old in out.glob(_FOLDERS[fmt]):
                old.unlink()
        out.mkdir(parents=True, exist_ok=True)
        return
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; the {fmt} export writes one file. Give a file path")
    if out.exists():
        if not force:
            raise ExportError(f"{out}: file exists; use --force to overwrite it")
        out.unlink()
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent}: folder does not exist; create it first")


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
        force: overwrite an existing file, or the matching files in an
            existing folder.

    Returns:
        ``out`` as a Path.

    Raises:
        ExportError: unknown format, output in the way, the ``export`` extra
            missing, or data that breaks its own keys.

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
    out = Path(out)
    _prepare(out, format, force)
    from importlib import import_module

    writer = import_module(f"{__name__}._{format}")
    try:
        writer.write(out, path)
    except BaseException:
        # never leave a half-written file that looks like a finished export
        if out.is_file():
            out.unlink()
        raise
    return out


def _package_file(path: Path | str | None) -> Path:
    from ..integrity import _descriptor_file

    return _descriptor_file(path)


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
