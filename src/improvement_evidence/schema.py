"""Pandas dtypes derived from the Table Schemas: one source of truth for types.

Every type decision the loader makes is read from ``schemas/*.json``; nothing
here names a column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["FieldSpec", "TableSpec", "table_spec", "table_spec_from_dict"]

# Table Schema type -> the pandas dtype the loader gives it. Nullable dtypes
# throughout, so an empty cell is <NA> and never turns an integer into float.
_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "year": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    enum: tuple[str, ...] | None
    required: bool
    description: str

    @property
    def dtype(self) -> str:
        """The pandas dtype name ('category' for enum fields)."""
        if self.enum is not None:
            return "category"
        try:
            return _DTYPES[self.type]
        except KeyError:
            raise ValueError(f"field {self.name!r}: unsupported Table Schema type {self.type!r}") from None


@dataclass(frozen=True)
class TableSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    missing_values: tuple[str, ...]
    description: str

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def table_spec_from_dict(name: str, raw: dict) -> TableSpec:
    """Build a :class:`TableSpec` from an already parsed Table Schema."""
    fields = []
    for f in raw["fields"]:
        c = f.get("constraints") or {}
        enum = tuple(c["enum"]) if "enum" in c else None
        fields.append(FieldSpec(f["name"], f.get("type", "string"), enum, bool(c.get("required")), f.get("description", "")))
    pk = raw.get("primaryKey", [])
    pk = (pk,) if isinstance(pk, str) else tuple(pk)
    return TableSpec(name, tuple(fields), pk, tuple(raw.get("missingValues", [""])), raw.get("description", ""))


@lru_cache(maxsize=64)
def _spec_from_file(name: str, path: str, stamp: tuple[int, int]) -> TableSpec:
    with open(path, encoding="utf-8") as fh:
        return table_spec_from_dict(name, json.load(fh))


def table_spec(name: str, schema_file: Path | str) -> TableSpec:
    """Read the Table Schema of ``name`` from ``schema_file`` (cached)."""
    p = Path(schema_file).resolve()
    st = p.stat()
    return _spec_from_file(name, str(p), (st.st_mtime_ns, st.st_size))
