"""What changed between two versions of the data package, and the bump it implies.

Rows are matched by primary key. Files are read as text (not through the
typed loader) so that two versions can be compared even when a field was
retyped or a file no longer loads; where a field's type is the same on
both sides, values are compared as that type (``24`` equals ``24.0``).

The version each kind of change implies follows docs/versioning.md:

========================================================  =======
change                                                    bump
========================================================  =======
table removed or renamed; field removed, renamed,         major
retyped or reordered; primary key or missingValues
changed; a constraint tightened or a foreign key added;
rows removed (their IDs may be cited or joined on);
licence changed; a table's file moved
table, field or rows added; a constraint loosened or a    minor
foreign key removed
values corrected in existing rows; titles, descriptions   patch
and other documentation
========================================================  =======
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BUMPS", "Change", "DiffError", "DiffReport", "RowChange", "TableDiff", "bump_between", "diff"]

BUMPS = ("none", "patch", "minor", "major")
_RANK = {b: i for i, b in enumerate(BUMPS)}


class DiffError(ValueError):
    """A package cannot be read well enough to compare."""


@dataclass(frozen=True)
class Change:
    """One schema or metadata change, with the version bump it implies."""

    table: str | None
    kind: str
    detail: str
    bump: str


@dataclass
class RowChange:
    key: dict
    fields: dict  # field -> [old, new]


@dataclass
class TableDiff:
    name: str
    status: str  # added | removed | changed | unchanged
    added: list[dict] = field(default_factory=list)  # primary keys
    removed: list[dict] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    schema: list[Change] = field(default_factory=list)
    rows_old: int = 0
    rows_new: int = 0

    @property
    def rows_differ(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class DiffReport:
    """Result of :func:`diff`. ``identical`` is True when nothing differs."""

    old: str
    new: str
    old_version: str
    new_version: str
    tables: dict[str, TableDiff]
    metadata: list[Change]

    @property
    def changes(self) -> list[Change]:
        """Every change with its bump: schema, metadata and row-level."""
        out = list(self.metadata)
        for t in self.tables.values():
            out += t.schema
            if t.status in ("added", "removed"):
                continue
            if t.added:
                out.append(Change(t.name, "rows-added", f"{len(t.added)} row(s) added", "minor"))
            if t.removed:
                out.append(Change(t.name, "rows-removed", f"{len(t.removed)} row(s) removed", "major"))
            if t.changed:
                out.append(Change(t.name, "rows-changed", f"{len(t.changed)} row(s) changed", "patch"))
        return out

    @property
    def implied_bump(self) -> str:
        return max((c.bump for c in self.changes), key=_RANK.__getitem__, default="none")

    @property
    def actual_bump(self) -> str:
        return bump_between(self.old_version, self.new_version)

    @property
    def bump_sufficient(self) -> bool:
        actual = self.actual_bump
        if actual == "downgrade":
            return False
        return _RANK[actual] >= _RANK[self.implied_bump]

    @property
    def identical(self) -> bool:
        return not self.changes and self.old_version == self.new_version

    def to_dict(self) -> dict:
        return {
            "old": {"path": self.old, "version": self.old_version},
            "new": {"path": self.new, "version": self.new_version},
            "identical": self.identical,
            "implied_bump": self.implied_bump,
            "actual_bump": self.actual_bump,
            "bump_sufficient": self.bump_sufficient,
            "changes": [c.__dict__ for c in self.changes],
            "tables": {
                name: {
                    "status": t.status,
                    "rows_old": t.rows_old,
                    "rows_new": t.rows_new,
                    "rows_added": t.added,
                    "rows_removed": t.removed,
                    "rows_changed": [{"key": r.key, "fields": r.fields} for r in t.changed],
                    "schema": [c.__dict__ for c in t.schema],
                }
                for name, t in self.tables.items()
            },
        }

    def to_text(self) -> str:
        lines = [f"old: {self.old} (version {self.old_version})", f"new: {self.new} (version {self.new_version})", ""]
        for c in self.metadata:
            lines.append(f"package: {c.detail} [{c.bump}]")
        for t in self.tables.values():
            if t.status == "unchanged":
                continue
            if t.status in ("added", "removed"):
                lines.append(f"{t.name}: table {t.status} ({t.rows_new if t.status == 'added' else t.rows_old} rows)")
                continue
            lines.append(
                f"{t.name}: {len(t.added)} row(s) added, {len(t.removed)} removed, {len(t.changed)} changed"
            )
            for c in t.schema:
                lines.append(f"  schema: {c.detail} [{c.bump}]")
            lines += [f"  + {_key_text(k)}" for k in t.added]
            lines += [f"  - {_key_text(k)}" for k in t.removed]
            for r in t.changed:
                parts = "; ".join(f"{f}: {_short(o)} -> {_short(n)}" for f, (o, n) in r.fields.items())
                lines.append(f"  ~ {_key_text(r.key)}: {parts}")
        if self.identical:
            lines.append("identical: no differences")
            return "\n".join(lines) + "\n"
        lines.append("")
        implied = self.implied_bump
        actual = self.actual_bump
        lines.append(f"implied bump: {implied.upper()}")
        verdict = "enough" if self.bump_sufficient else f"NOT enough: the policy needs at least a {implied.upper()} bump"
        lines.append(f"version: {self.old_version} -> {self.new_version} is a {actual.upper()} bump: {verdict}")
        return "\n".join(lines) + "\n"


def _key_text(key: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in key.items())


def _short(value, width: int = 60) -> str:
    text = "(empty)" if value in ("", None) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _semver(version: str) -> tuple[int, int, int]:
    core = version.split("+")[0].split("-")[0]
    parts = core.split(".")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        raise DiffError(f"version {version!r} is not MAJOR.MINOR.PATCH") from None
    return tuple((nums + [0, 0, 0])[:3])  # type: ignore[return-value]


def bump_between(old: str, new: str) -> str:
    """Which part of the version changed: none, patch, minor, major or downgrade.

    Examples:
        >>> bump_between("1.0.0", "1.0.1"), bump_between("1.2.3", "2.0.0"), bump_between("1.1.0", "1.0.9")
        ('patch', 'major', 'downgrade')
    """
    a, b = _semver(old), _semver(new)
    if b < a:
        return "downgrade"
    if b[0] > a[0]:
        return "major"
    if b[1] > a[1]:
        return "minor"
    if b[2] > a[2]:
        return "patch"
    return "none"


# -- reading ---------------------------------------------------------------------


@dataclass
class _Table:
    name: str
    resource: dict
    schema: dict
    header: list[str]
    rows: list[dict]


def _descriptor_file(path: Path | str) -> Path:
    p = Path(path)
    return p / "datapackage.json" if p.is_dir() else p


def _read_package(path: Path | str) -> tuple[dict, dict[str, _Table]]:
    file = _descriptor_file(path)
    try:
        desc = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DiffError(f"{file}: not found; give a datapackage.json or the folder holding it") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DiffError(f"{file}: not valid UTF-8 JSON ({exc})") from None
    tables = {}
    for res in desc.get("resources", []):
        name = res.get("name")
        schema = res.get("schema", {})
        if isinstance(schema, str):
            try:
                schema = json.loads((file.parent / schema).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise DiffError(f"{file.parent / res['schema']}: cannot read the schema of {name!r} ({exc})") from None
        data = file.parent / res["path"]
        try:
            text = data.read_text(encoding="utf-8")
        except OSError as exc:
            raise DiffError(f"{data}: cannot read the data of {name!r} ({exc})") from None
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        rows = [dict(zip(header, r)) for r in reader]
        tables[name] = _Table(name, res, schema, header, rows)
    return desc, tables


# -- schema comparison -------------------------------------------------------------

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength")
_DOC_KEYS = ("title", "description", "example", "rdfType", "categories", "categoriesOrdered")


def _pk(schema: dict) -> list[str]:
    pk = schema.get("primaryKey", [])
    return [pk] if isinstance(pk, str) else list(pk)


def _fk_set(schema: dict) -> set[str]:
    return {json.dumps(fk, sort_keys=True) for fk in schema.get("foreignKeys", [])}


def _constraint_changes(table: str, fname: str, old: dict, new: dict) -> list[Change]:
    out = []

    def add(kind: str, detail: str):
        out.append(Change(table, f"constraint-{kind}", f"field {fname!r}: {detail}", "major" if kind == "tightened" else "minor"))

    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if key in ("required", "unique"):
            add("tightened" if b and not a else "loosened", f"{key} {bool(a)} -> {bool(b)}")
        elif key == "enum":
            if a is None:
                add("tightened", f"enum added {b}")
            elif b is None:
                add("loosened", "enum removed")
            else:
                gone, more = [v for v in a if v not in b], [v for v in b if v not in a]
                if gone:
                    add("tightened", f"enum values removed {gone}" + (f", added {more}" if more else ""))
                elif more:
                    add("loosened", f"enum values added {more}")
                else:
                    out.append(Change(table, "constraint-reordered", f"field {fname!r}: enum order changed", "patch"))
        elif key in _LOWER_BOUNDS or key in _UPPER_BOUNDS:
            if a is None:
                add("tightened", f"{key} {b} added")
            elif b is None:
                add("loosened", f"{key} {a} removed")
            else:
                tighter = b > a if key in _LOWER_BOUNDS else b < a
                add("tightened" if tighter else "loosened", f"{key} {a} -> {b}")
        elif a is None:
            add("tightened", f"{key} {b!r} added")
        elif b is None:
            add("loosened", f"{key} {a!r} removed")
        else:
            # e.g. a changed pattern: whether it admits less cannot be decided, so assume it may
            add("tightened", f"{key} {a!r} -> {b!r} (treated as tightened)")
    return out


def _schema_changes(name: str, old: _Table, new: _Table) -> list[Change]:
    out: list[Change] = []
    os_, ns = old.schema, new.schema
    of = {f["name"]: f for f in os_.get("fields", [])}
    nf = {f["name"]: f for f in ns.get("fields", [])}
    for f in of:
        if f not in nf:
            out.append(Change(name, "field-removed", f"field {f!r} removed", "major"))
    for f in nf:
        if f not in of:
            out.append(Change(name, "field-added", f"field {f!r} added", "minor"))
    common_old = [f for f in of if f in nf]
    common_new = [f for f in nf if f in of]
    if common_old != common_new:
        out.append(Change(name, "fields-reordered", "fields reordered", "major"))
    for fname in common_new:
        a, b = of[fname], nf[fname]
        if a.get("type", "string") != b.get("type", "string"):
            out.append(Change(name, "field-retyped", f"field {fname!r}: type {a.get('type', 'string')} -> {b.get('type', 'string')}", "major"))
        if a.get("format", "default") != b.get("format", "default"):
            out.append(Change(name, "field-retyped", f"field {fname!r}: format {a.get('format', 'default')} -> {b.get('format', 'default')}", "major"))
        out += _constraint_changes(name, fname, a.get("constraints", {}), b.get("constraints", {}))
        for key in _DOC_KEYS:
            if a.get(key) != b.get(key):
                out.append(Change(name, "field-documentation", f"field {fname!r}: {key} changed", "patch"))
    if _pk(os_) != _pk(ns):
        out.append(Change(name, "primary-key-changed", f"primary key {_pk(os_)} -> {_pk(ns)}", "major"))
    for fk in sorted(_fk_set(ns) - _fk_set(os_)):
        out.append(Change(name, "foreign-key-added", f"foreign key added {fk}", "major"))
    for fk in sorted(_fk_set(os_) - _fk_set(ns)):
        out.append(Change(name, "foreign-key-removed", f"foreign key removed {fk}", "minor"))
    if os_.get("missingValues", [""]) != ns.get("missingValues", [""]):
        out.append(Change(name, "missing-values-changed", f"missingValues {os_.get('missingValues', [''])} -> {ns.get('missingValues', [''])}", "major"))
    for key in ("title", "description"):
        if os_.get(key) != ns.get(key):
            out.append(Change(name, "table-documentation", f"schema {key} changed", "patch"))
    if old.resource.get("path") != new.resource.get("path"):
        out.append(Change(name, "path-changed", f"file moved {old.resource.get('path')} -> {new.resource.get('path')}", "major"))
    for key in ("title", "description"):
        if old.resource.get(key) != new.resource.get(key):
            out.append(Change(name, "table-documentation", f"resource {key} changed", "patch"))
    return out


# -- row comparison ------------------------------------------------------------------


def _normaliser(type_: str):
    def number(v: str):
        try:
            return float(v)
        except ValueError:
            return v

    def integer(v: str):
        try:
            return int(v)
        except ValueError:
            return v

    if type_ == "number":
        return number
    if type_ in ("integer", "year"):
        return integer
    if type_ == "boolean":
        return str.lower
    return lambda v: v


def _row_changes(td: TableDiff, old: _Table, new: _Table) -> None:
    otypes = {f["name"]: f.get("type", "string") for f in old.schema.get("fields", [])}
    ntypes = {f["name"]: f.get("type", "string") for f in new.schema.get("fields", [])}
    common = [f for f in new.header if f in old.header]
    norm = {f: _normaliser(ntypes.get(f, "string")) if otypes.get(f) == ntypes.get(f) else (lambda v: v) for f in common}
    key_fields = _pk(new.schema)
    if not key_fields or not all(k in old.header and k in new.header for k in key_fields):
        key_fields = _pk(old.schema)
    if not key_fields or not all(k in old.header and k in new.header for k in key_fields):
        key_fields = common  # no usable key: a row is its values

    def index(t: _Table) -> dict[tuple, dict]:
        out = {}
        for r in t.rows:
            k = tuple(norm[f](r.get(f, "")) if f in norm else r.get(f, "") for f in key_fields)
            out[k] = r
        return out

    oi, ni = index(old), index(new)
    for k, r in ni.items():
        if k not in oi:
            td.added.append({f: r.get(f, "") for f in key_fields})
    for k, r in oi.items():
        if k not in ni:
            td.removed.append({f: r.get(f, "") for f in key_fields})
    for k, r in ni.items():
        o = oi.get(k)
        if o is None:
            continue
        diffs = {
            f: [o.get(f, ""), r.get(f, "")]
            for f in common
            if norm[f](o.get(f, "")) != norm[f](r.get(f, ""))
        }
        if diffs:
            td.changed.append(RowChange({f: r.get(f, "") for f in key_fields}, diffs))


# -- package metadata -------------------------------------------------------------------

_IGNORED_TOP = {"resources", "version"}


def _metadata_changes(old: dict, new: dict) -> list[Change]:
    out = []
    for key in sorted((set(old) | set(new)) - _IGNORED_TOP):
        if old.get(key) != new.get(key):
            bump = "major" if key in ("licenses", "name") else "patch"
            out.append(Change(None, "metadata-changed", f"{key} changed", bump))
    return out


def diff(old: Path | str, new: Path | str) -> DiffReport:
    """Compare two versions of the data package.

    Args:
        old: the earlier package (a ``datapackage.json`` or its folder).
        new: the later package.

    Returns:
        A :class:`DiffReport`: ``.tables`` (per table: rows added, removed and
        changed by primary key, with old -> new values; schema changes),
        ``.changes`` (every change with the bump it implies), ``.implied_bump``,
        ``.actual_bump`` (from the two versions), ``.bump_sufficient``,
        ``.identical``, ``.to_text()`` and ``.to_dict()``.

    Raises:
        DiffError: a package, schema or data file cannot be read.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.diff import diff
        >>> report = diff(ie.package_path(), ie.package_path())
        >>> report.identical, report.implied_bump
        (True, 'none')
    """
    odesc, otables = _read_package(old)
    ndesc, ntables = _read_package(new)
    tables: dict[str, TableDiff] = {}
    for name in [*otables, *[n for n in ntables if n not in otables]]:
        o, n = otables.get(name), ntables.get(name)
        if n is None:
            td = TableDiff(name, "removed", rows_old=len(o.rows))
            td.schema.append(Change(name, "table-removed", f"table {name!r} removed", "major"))
        elif o is None:
            td = TableDiff(name, "added", rows_new=len(n.rows))
            td.schema.append(Change(name, "table-added", f"table {name!r} added", "minor"))
        else:
            td = TableDiff(name, "unchanged", rows_old=len(o.rows), rows_new=len(n.rows))
            td.schema = _schema_changes(name, o, n)
            _row_changes(td, o, n)
            if td.schema or td.rows_differ:
                td.status = "changed"
        tables[name] = td
    return DiffReport(
        old=str(_descriptor_file(old)),
        new=str(_descriptor_file(new)),
        old_version=str(odesc.get("version", "0.0.0")),
        new_version=str(ndesc.get("version", "0.0.0")),
        tables=tables,
        metadata=_metadata_changes(odesc, ndesc),
    )
