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
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DiffError, PackageError
from .package import Package

__all__ = ["BUMPS", "Change", "DiffError", "DiffReport", "RowChange", "TableDiff", "bump_between", "diff"]

BUMPS = ("none", "patch", "minor", "major")
_RANK = {b: i for i, b in enumerate(BUMPS)}


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
    spec: object  # TableSpec
    header: list[str]
    rows: list[list[str]]  # cells by position, as in the file


def _read_package(path: Path | str) -> tuple[Package, dict[str, _Table]]:
    """Open a package through the one package model and read each file as text."""
    try:
        pkg = Package.open(path)
    except PackageError as exc:
        raise DiffError(str(exc), file=exc.file, row=exc.row, field=exc.field) from None
    tables = {}
    for res in pkg.resources:
        try:
            text = pkg.read_text(res.name)
        except PackageError as exc:
            raise DiffError(f"cannot read the data of {res.name!r}: {exc}", file=exc.file or res.path, row=exc.row) from None
        old = csv.field_size_limit()
        csv.field_size_limit(max(old, len(text) + 1))
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise DiffError(f"cannot parse the data of {res.name!r} as CSV ({exc})", file=res.path) from None
        finally:
            csv.field_size_limit(old)
        header = records[0] if records else []
        rows = [r for r in records[1:] if r]
        tables[res.name] = _Table(res.name, res.entry, res.schema, res.spec, header, rows)
    return pkg, tables


# -- schema comparison -------------------------------------------------------------

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength")
_DOC_KEYS = ("title", "description", "example", "rdfType", "categories", "categoriesOrdered")


def _fk_set(spec) -> set[str]:
    return {f"{list(fk.fields)} -> {fk.resource or '(this table)'}.{list(fk.reference_fields)}" for fk in spec.foreign_keys}


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
                try:
                    tighter = b > a if key in _LOWER_BOUNDS else b < a
                except TypeError:  # e.g. a number against a date string: cannot tell, so assume it may admit less
                    tighter = True
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
    if old.spec.primary_key != new.spec.primary_key:
        out.append(Change(name, "primary-key-changed", f"primary key {list(old.spec.primary_key)} -> {list(new.spec.primary_key)}", "major"))
    for fk in sorted(_fk_set(new.spec) - _fk_set(old.spec)):
        out.append(Change(name, "foreign-key-added", f"foreign key added {fk}", "major"))
    for fk in sorted(_fk_set(old.spec) - _fk_set(new.spec)):
        out.append(Change(name, "foreign-key-removed", f"foreign key removed {fk}", "minor"))
    if old.spec.missing_values != new.spec.missing_values:
        out.append(Change(name, "missing-values-changed", f"missingValues {list(old.spec.missing_values)} -> {list(new.spec.missing_values)}", "major"))
    if old.header != new.header and (old.header != old.spec.field_names or new.header != new.spec.field_names):
        # the file's header changed in a way the schemas do not account for
        gone = [h for h in old.header if h not in new.header]
        more = [h for h in new.header if h not in old.header]
        what = (f"columns renamed or removed {gone[:10]}" if gone else "") + ("; " if gone and more else "") + (f"columns added {more[:10]}" if more else "")
        out.append(Change(name, "header-changed", f"the file's header changed: {what or 'columns reordered'}",
                          "major" if gone or not more else "minor"))
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
    """Compare values as their type where both sides agree on it: ``24`` equals
    ``24.0``; every NaN equals every NaN (so a package equals itself)."""
    def number(v: str):
        try:
            x = float(v)
        except ValueError:
            return v
        return "NaN" if math.isnan(x) else x

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


def _as_dicts(t: _Table) -> list[dict]:
    """Each row as field -> cell; cells beyond the header under '(column N)'."""
    out = []
    n = len(t.header)
    for r in t.rows:
        d = dict(zip(t.header, r))
        for i in range(n, len(r)):
            d[f"(column {i + 1})"] = r[i]
        out.append(d)
    return out


def _row_changes(td: TableDiff, old: _Table, new: _Table) -> None:
    otypes = {f.name: f.type for f in old.spec.fields}
    ntypes = {f.name: f.type for f in new.spec.fields}
    orows, nrows = _as_dicts(old), _as_dicts(new)
    # Fields in both files are compared; a column added or removed is a schema
    # (or header) change, not a change of every row.
    names = [h for h in new.header if h in old.header]
    extra = [k for r in (*orows, *nrows) for k in r if k.startswith("(column ")]
    names += [k for k in dict.fromkeys(extra) if k not in names]
    norm = {f: _normaliser(ntypes.get(f, "string")) if otypes.get(f) == ntypes.get(f) else (lambda v: v) for f in names}
    key_fields = list(new.spec.primary_key)
    if not key_fields or not all(k in old.header and k in new.header for k in key_fields):
        key_fields = list(old.spec.primary_key)
    if not key_fields or not all(k in old.header and k in new.header for k in key_fields):
        key_fields = []  # no usable key: a row is all its values

    def value(r: dict, f: str):
        # a missing column is not the same as an empty cell
        return norm[f](r[f]) if f in r else ("<no such column>",)

    def whole(r: dict) -> tuple:
        if names:
            return tuple(value(r, f) for f in names)
        return tuple(r.values())  # no column in common: compare by position

    def group(rows: list[dict]) -> dict[tuple, list[dict]]:
        out: dict[tuple, list[dict]] = {}
        for r in rows:
            out.setdefault(tuple(value(r, f) for f in key_fields), []).append(r)
        return out

    def shown(r: dict) -> dict:
        return {f: r.get(f, "") for f in (key_fields or names)}

    og, ng = group(orows), group(nrows)
    for k, rs in ng.items():
        if k not in og:
            td.added += [shown(r) for r in rs]
    for k, rs in og.items():
        if k not in ng:
            td.removed += [shown(r) for r in rs]
    for k, nrs in ng.items():
        ors = og.get(k)
        if ors is None:
            continue
        if len(ors) == 1 and len(nrs) == 1 and key_fields:
            o, r = ors[0], nrs[0]
            diffs = {f: [o.get(f, ""), r.get(f, "")] for f in names if value(o, f) != value(r, f)}
            if diffs:
                td.changed.append(RowChange(shown(r), diffs))
            continue
        # duplicate keys (or no key): compare the rows as a multiset
        oc, nc = Counter(whole(r) for r in ors), Counter(whole(r) for r in nrs)
        first = {whole(r): r for r in (*ors, *nrs)}
        for w, n in (nc - oc).items():
            td.added += [shown(first[w])] * n
        for w, n in (oc - nc).items():
            td.removed += [shown(first[w])] * n
    if key_fields:
        for label, groups in (("old", og), ("new", ng)):
            dups = sum(len(rs) - 1 for rs in groups.values() if len(rs) > 1)
            if dups:
                td.schema.append(Change(td.name, "duplicate-keys",
                                        f"{dups} row(s) in the {label} package repeat a primary key {key_fields}; those rows are compared as wholes",
                                        "patch"))


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
    opkg, otables = _read_package(old)
    npkg, ntables = _read_package(new)
    odesc, ndesc = opkg.descriptor, npkg.descriptor
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
        old=str(opkg.descriptor_path),
        new=str(npkg.descriptor_path),
        old_version=str(odesc.get("version", "0.0.0")),
        new_version=str(ndesc.get("version", "0.0.0")),
        tables=tables,
        metadata=_metadata_changes(odesc, ndesc),
    )
