"""Read the data package into typed pandas DataFrames.

Types come from the Table Schemas (see :mod:`improvement_evidence.schema`).
Only the schema's ``missingValues`` (by default just the empty string) become
missing: a literal ``NA``, ``None``, ``null`` or ``N/A`` stays a string.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from .errors import LoadError
from .package import Package
from .schema import TableSpec

__all__ = ["Dataset", "LoadError", "load", "load_table", "list_tables", "read_table"]

def list_tables(path: Path | str | None = None) -> list[str]:
    """Return the names of the tables in the data package.

    Args:
        path: a ``datapackage.json`` or the folder holding it; the bundled
            package by default.

    Examples:
        >>> import improvement_evidence as ie
        >>> "metrics" in ie.list_tables()
        True
    """
    return Package.open(path).names


def _convert(frame: pd.DataFrame, spec: TableSpec, file: Path) -> pd.DataFrame:
    for field in spec.fields:
        col = frame[field.name]
        if field.enum is not None:
            # Codes by dictionary look-up, then from_codes: several times
            # cheaper than pd.Categorical(values, categories) on small tables.
            codes = col.map({v: i for i, v in enumerate(field.enum)})
            bad = (col.notna() & codes.isna()).to_numpy()
            if bad.any():
                i = int(bad.nonzero()[0][0])
                raise LoadError(
                    f"{file.name}: row {i + 2}, field {field.name!r}: expected one of "
                    f"{', '.join(field.enum)}; found {col.iloc[i]!r}. "
                    "Run `improvement-evidence validate` on the package for a full report.",
                    file=file.name, row=i + 2, field=field.name,
                )
            frame[field.name] = pd.Categorical.from_codes(codes.fillna(-1).astype("int64").to_numpy(), categories=list(field.enum))
        elif field.type == "boolean":
            mapped = col.map({"true": True, "false": False}, na_action="ignore")
            bad = col.notna() & mapped.isna()
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise LoadError(f"{file.name}: row {i + 2}, field {field.name!r}: expected true or false; found {col.iloc[i]!r}",
                                file=file.name, row=i + 2, field=field.name)
            frame[field.name] = mapped.astype("boolean")
        elif field.type == "date":
            try:
                frame[field.name] = pd.to_datetime(col, format="%Y-%m-%d").astype("datetime64[ns]")
            except (ValueError, TypeError) as exc:
                raise LoadError(f"{file.name}: field {field.name!r}: expected dates as YYYY-MM-DD; {exc}",
                                file=file.name, field=field.name) from None
    return frame


def read_table(pkg: Package, name: str) -> pd.DataFrame:
    """Table ``name`` of an opened :class:`~improvement_evidence.package.Package`
    as a typed DataFrame (what :func:`load_table` returns).

    Examples:
        >>> from improvement_evidence.package import Package
        >>> int(len(read_table(Package.open(), "areas")))
        4
    """
    res = pkg.resource(name)
    spec, shown = res.spec, res.path
    text = pkg.read_text(name)
    # Enum, boolean and date columns are read as strings first and converted
    # with checks, so an unexpected value raises instead of silently
    # becoming missing.
    dtypes = {f.name: ("string" if f.enum is not None or f.type in ("boolean", "date") else f.dtype) for f in spec.fields}
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row has more cells than the header,
            # and drops the extra cells: never lose data silently.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=dtypes,
                keep_default_na=False,
                na_values=list(spec.missing_values),
                # Without this a row with one cell too many silently turns
                # the first column into the index.
                index_col=False,
            )
    except pd.errors.ParserWarning as exc:
        _check_width(text, spec, shown)  # raises, naming the row
        raise LoadError(f"{shown}: a row has more cells than the header ({_first_line(exc)}); run `improvement-evidence validate` for the row",
                        file=shown) from None
    except (ValueError, OverflowError, pd.errors.ParserError) as exc:
        raise LoadError(f"{shown}: cannot be read as its schema declares ({_first_line(exc)}); run `improvement-evidence validate` for details",
                        file=shown) from None
    if list(frame.columns) != spec.field_names:
        raise LoadError(
            f"{shown}: expected columns {spec.field_names}; found {[str(c)[:80] for c in frame.columns][:50]}. "
            "The file and its schema disagree; run `improvement-evidence validate`.",
            file=shown, row=1,
        )
    return _convert(frame, spec, Path(shown))


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200]


def _check_width(text: str, spec: TableSpec, shown: str) -> None:
    """Raise a LoadError naming the first row with more cells than the header."""
    import csv

    width = len(spec.fields)
    reader = csv.reader(io.StringIO(text, newline=""))
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, len(text) + 1))
    try:
        for row in reader:
            if len(row) > width:
                raise LoadError(f"{shown}: row {reader.line_num}: expected at most {width} cells (the header's); found {len(row)}. "
                                "Likely cause: an unquoted comma; run `improvement-evidence validate` for details",
                                file=shown, row=reader.line_num)
    except csv.Error as exc:
        raise LoadError(f"{shown}: cannot be parsed as CSV near line {reader.line_num} ({exc})", file=shown, row=reader.line_num) from None
    finally:
        csv.field_size_limit(old)


def load_table(name: str, path: Path | str | None = None) -> pd.DataFrame:
    """Load one table as a typed DataFrame.

    Args:
        name: a table name from :func:`list_tables`.
        path: a ``datapackage.json`` or its folder; the bundled package by default.

    Raises:
        KeyError: ``name`` is not a table; the message lists the valid names.

    Examples:
        >>> import improvement_evidence as ie
        >>> areas = ie.load_table("areas")
        >>> list(areas["area_id"])[:2]
        ['workforce', 'patients-service-users-society']
        >>> str(areas["order"].dtype)
        'Int64'
    """
    return read_table(Package.open(path), name)


class Dataset(Mapping[str, pd.DataFrame]):
    """All tables of one version of the data package.

    Tables are attributes (``ds.metrics``) and items (``ds["metrics"]``);
    ``ds.tables`` is the name -> DataFrame mapping and ``ds.version`` the
    data package version.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], version: str, path: Path):
        self.tables = tables
        self.version = version
        self.path = path

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"no table named {name!r}; valid names are: {', '.join(self.tables)}") from None

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"no table named {name!r}; valid names are: {', '.join(tables)}")

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def __dir__(self):
        return [*super().__dir__(), *self.tables]

    def __repr__(self) -> str:
        rows = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"<Dataset improvement-evidence {self.version}: {rows}>"


def load(path: Path | str | None = None) -> Dataset:
    """Load every table of the data package.

    Args:
        path: a ``datapackage.json`` or its folder; the bundled package by default.

    Returns:
        A :class:`Dataset`: ``ds.metrics``, ``ds["benefits"]``, ``ds.tables``, ``ds.version``.

    Examples:
        >>> import improvement_evidence as ie
        >>> ds = ie.load()
        >>> ds.version == ie.__version__
        True
        >>> int(len(ds.benefits))
        22
    """
    pkg = Package.open(path)
    tables = {name: read_table(pkg, name) for name in pkg.names}
    return Dataset(tables, pkg.version, Path(path) if path is not None else pkg.descriptor_path)
