"""Read the data package into typed pandas DataFrames.

Types come from the Table Schemas (see :mod:`improvement_evidence.schema`).
Only the schema's ``missingValues`` (by default just the empty string) become
missing: a literal ``NA``, ``None``, ``null`` or ``N/A`` stays a string.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from ._resources import descriptor, resource_names, resource_path, schema_path
from .schema import TableSpec, table_spec

__all__ = ["Dataset", "LoadError", "load", "load_table", "list_tables"]


class LoadError(ValueError):
    """A table could not be read into the types its schema declares.

    ``file``, ``row`` (as a spreadsheet numbers it: header = 1) and ``field``
    say where, when known, so callers need not parse the message.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None, field: str | None = None):
        super().__init__(message)
        self.file, self.row, self.field = file, row, field


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
    return resource_names(path)


def _spec(name: str, path: Path | str | None) -> TableSpec:
    return table_spec(name, schema_path(name, path))


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


def _read(name: str, path: Path | str | None) -> pd.DataFrame:
    spec = _spec(name, path)
    file = resource_path(name, path)
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
                file,
                dtype=dtypes,
                keep_default_na=False,
                na_values=list(spec.missing_values),
                encoding="utf-8",
                encoding_errors="strict",
                # Without this a row with one cell too many silently turns
                # the first column into the index.
                index_col=False,
            )
    except pd.errors.ParserWarning as exc:
        raise LoadError(f"{file.name}: a row has more cells than the header ({exc}); run `improvement-evidence validate` for the row",
                        file=file.name) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise LoadError(f"{file.name}: cannot be read as its schema declares ({exc}); run `improvement-evidence validate` for details",
                        file=file.name) from None
    if list(frame.columns) != spec.field_names:
        raise LoadError(
            f"{file.name}: expected columns {spec.field_names}; found {list(frame.columns)}. "
            "The file and its schema disagree; run `improvement-evidence validate`.",
            file=file.name,
        )
    return _convert(frame, spec, file)


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
    return _read(name, path)


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
    desc = descriptor(path)
    tables = {name: _read(name, path) for name in resource_names(path)}
    root = Path(path) if path is not None else None
    if root is None:
        from ._resources import package_path

        root = package_path()
    return Dataset(tables, desc["version"], Path(root))
