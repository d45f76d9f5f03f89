"""Foreign keys, generated from every schema's ``foreignKeys``.

Checked on the file's text values (the strings frictionless would compare:
every key in this package is a string), so a reference is checked even when
the referenced table has other problems. A row whose key cells are all
missing values refers to nothing and is not checked, as in frictionless.
"""

from __future__ import annotations

from .package import PackageInfo, Table
from .report import ValidationError

__all__ = ["check_foreign_keys"]


def _body(t: Table):
    body = t.raw.iloc[1:]
    if t.blank:
        body = body.drop(index=[i for i in t.blank if i > 0])
    return body


def _keys(t: Table, fields: list[str]):
    """Series of key tuples (or strings for one field), indexed like ``raw``."""
    body = _body(t)
    cols = [body[t.columns[f]] for f in fields]
    if len(cols) == 1:
        return cols[0]
    import pandas as pd

    return pd.Series(list(zip(*cols)), index=body.index)


def check_foreign_keys(info: PackageInfo) -> tuple[list[ValidationError], str]:
    """Every foreign key of every table against the referenced table's rows.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> from improvement_evidence.validation.files import check_file
        >>> info, _ = read_package(None)
        >>> for t in info.tables: _ = check_file(t)
        >>> check_foreign_keys(info)[0]
        []
    """
    errors: list[ValidationError] = []
    skipped: list[str] = []
    for t in info.tables:
        if t.raw is None or t.schema is None:
            continue
        for fk in t.spec.foreign_keys:
            own, ref = list(fk.fields), list(fk.reference_fields)
            ref_name = fk.resource or t.name  # "" means this table
            target = info.table(ref_name)
            label = ",".join(own)
            if target is None:
                errors.append(ValidationError("missing-resource", t.name, None, label,
                    f"expected a table named {ref_name!r} for the foreign key {label} -> {ref_name}.{','.join(ref)}; "
                    "the package has none. Likely cause: a resource removed from datapackage.json or renamed."))
                continue
            if target.raw is None or any(f not in target.columns for f in ref) or any(f not in t.columns for f in own):
                skipped.append(f"{t.name}.{label}")
                continue
            child = _keys(t, own)
            missing = set(t.spec.missing_values)
            if len(own) == 1:
                present = ~child.isin(list(missing))
            else:
                present = child.map(lambda k: not all(v in missing for v in k)).astype(bool)
            parent = set(_keys(target, ref).tolist())
            found = child.isin(list(parent)) if len(own) == 1 else child.map(parent.__contains__).astype(bool)
            bad = present & ~found
            for i, v in child[bad].items():
                errors.append(ValidationError("foreign-key", t.name, int(i) + 1, label,
                    f"expected {label} to name an existing {ref_name}.{','.join(ref)}; found {v!r}, which {ref_name} does not have. "
                    "Likely cause: a typo, an identifier renamed in one table only, or a row missing from the referenced table."))
    status = "ran" + (f"; not checked: {', '.join(skipped)} (a file or column is unusable, reported above)" if skipped else "")
    return errors, status
