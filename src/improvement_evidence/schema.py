"""Typed specs of Table Schemas: one source of truth for types and keys.

Every type decision the loader makes is read from ``schemas/*.json``; nothing
here names a column. :mod:`improvement_evidence.package` checks each schema's
shape and parses it once into a :class:`TableSpec`; callers use the spec
(fields, types, constraints, primary key, foreign keys, missing values),
never the schema dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

__all__ = ["FieldSpec", "ForeignKey", "TableSpec", "SUPPORTED_TYPES", "table_spec", "table_spec_from_dict"]

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
SUPPORTED_TYPES = tuple(_DTYPES)


@dataclass(frozen=True)
class FieldSpec:
    """One field: name, type, enum, required, and every constraint."""

    name: str
    type: str
    enum: tuple[str, ...] | None
    required: bool
    description: str
    constraints: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), compare=False)
    format: str = "default"
    title: str = ""

    @property
    def dtype(self) -> str:
        """The pandas dtype name ('category' for enum fields)."""
        if self.enum is not None:
            return "category"
        try:
            return _DTYPES[self.type]
        except KeyError:
            raise ValueError(f"field {self.name!r}: unsupported Table Schema type {self.type!r}") from None

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique"))

    @property
    def pattern(self) -> str | None:
        return self.constraints.get("pattern")


@dataclass(frozen=True)
class ForeignKey:
    """``fields`` of this table refer to ``reference_fields`` of ``resource``
    (``""`` for the same table). Always tuples, whatever the JSON wrote."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    missing_values: tuple[str, ...]
    description: str
    foreign_keys: tuple[ForeignKey, ...] = ()
    title: str = ""

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> FieldSpec | None:
        """The field called ``name``, or None."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


def _keys(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def table_spec_from_dict(name: str, raw: dict) -> TableSpec:
    """Build a :class:`TableSpec` from a Table Schema already checked by
    :func:`improvement_evidence.package.schema_problem`.

    Examples:
        >>> s = table_spec_from_dict("t", {"fields": [{"name": "id"}, {"name": "p", "type": "integer"}],
        ...     "primaryKey": "id", "foreignKeys": [{"fields": "p", "reference": {"resource": "", "fields": "id"}}]})
        >>> s.primary_key, s.foreign_keys[0]
        (('id',), ForeignKey(fields=('p',), resource='', reference_fields=('id',)))
    """
    fields = []
    for f in raw["fields"]:
        c = dict(f.get("constraints") or {})
        enum = tuple(c["enum"]) if "enum" in c else None
        fields.append(FieldSpec(f["name"], f.get("type", "string"), enum, bool(c.get("required")), f.get("description", ""),
                                MappingProxyType(c), f.get("format", "default"), f.get("title", "")))
    fks = tuple(ForeignKey(_keys(fk["fields"]), fk["reference"].get("resource", ""), _keys(fk["reference"]["fields"]))
                for fk in raw.get("foreignKeys", []))
    return TableSpec(name, tuple(fields), _keys(raw.get("primaryKey", [])), tuple(raw.get("missingValues", [""])),
                     raw.get("description", ""), fks, raw.get("title", ""))


def table_spec(name: str, schema_file: Path | str) -> TableSpec:
    """Read the Table Schema of ``name`` from ``schema_file`` under the
    package policy (regular file, bounded size, strict UTF-8, checked shape).

    Raises:
        improvement_evidence.errors.PackageError: the file is unusable.
    """
    from .errors import PackageError
    from .package import parse_json, read_file, schema_problem

    p = Path(schema_file)
    raw = parse_json(read_file(p), p.name, code="schema-error")
    problem = schema_problem(raw)
    if problem:
        raise PackageError(f"{p.name}: not a usable Table Schema: {problem}.", code="schema-error")
    return table_spec_from_dict(name, raw)
