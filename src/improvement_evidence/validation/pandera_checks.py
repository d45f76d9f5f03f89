"""Check the DataFrames users get against the schemas, with pandera.

The pandera schemas are built here from ``schemas/*.json`` (never written a
second time by hand): each field's dtype is the one the loader promises
(:class:`improvement_evidence.schema.FieldSpec.dtype`; enums as categoricals
with the schema's categories in order), and its constraints become checks:
required -> not nullable, unique -> unique, pattern -> full match,
minimum/maximum -> bounds, minLength/maxLength -> string length, a compound
primary key -> unique rows. pandera's own ``from_frictionless_schema`` is not
used: it types dates as strings and knows no ``year``.

frictionless has already checked the values in the file; what this adds is
the check that the loader turned them into what the schema says.
"""

from __future__ import annotations

import json
import sys
import warnings
from contextlib import contextmanager

from .frames import row_number
from .overlap import explained_cells
from .package import PackageInfo, Table
from .report import ValidationError

__all__ = ["build_schema", "check_frames"]


@contextmanager
def _without_hypothesis():
    # pandera imports hypothesis, when it is installed, for data synthesis we
    # never use (at import and again when its checks first run): about 0.3 s
    # of a 2 s validation. While pandera is first loaded and run, make
    # `import hypothesis` fail so pandera records it as absent; if hypothesis
    # is already loaded, nothing is hidden. Nothing outside sees a difference.
    hide = "hypothesis" not in sys.modules
    if hide:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if hide and sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]


def _pandera():
    # pandera warns on import about its own packaging; that is noise in a
    # validation report, and setting its environment variable would change
    # the user's environment, so the warning is silenced here only.
    with warnings.catch_warnings(), _without_hypothesis():
        warnings.simplefilter("ignore", FutureWarning)
        import pandera.pandas as pa
    return pa


def build_schema(table: Table):
    """The pandera ``DataFrameSchema`` of one table, from its Table Schema.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> info, _ = read_package(None)
        >>> s = build_schema(info.table("areas"))
        >>> [c.name for c in s.columns["order"].checks]
        ['dtype(Int64)', 'greater_than_or_equal_to', 'less_than_or_equal_to']
        >>> s.columns["area_id"].unique
        True
    """
    import pandas as pd

    pa = _pandera()

    columns = {}
    pk = list(table.spec.primary_key)
    for raw, spec in zip(table.schema["fields"], table.spec.fields):
        c = raw.get("constraints", {})
        # The exact dtype the loader promises, as the loader makes it from
        # the same name. Checked for equality, not with pandera's own dtype
        # check, which takes pandas 3's ``str`` (NaN for missing) for the
        # promised ``string`` (pd.NA) and checks strings element by element.
        expected = pd.CategoricalDtype(list(spec.enum)) if spec.enum is not None else pd.api.types.pandas_dtype(spec.dtype)
        checks = [pa.Check(lambda s, expected=expected: s.dtype == expected, name=f"dtype({expected})")]
        if "pattern" in c:
            # Table Schema patterns match the whole value.
            checks.append(_pattern_check(pa, c["pattern"]))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"]))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"]))
        if "minLength" in c or "maxLength" in c:
            checks.append(pa.Check.str_length(c.get("minLength"), c.get("maxLength")))
        unique = bool(c.get("unique")) or pk == [spec.name]
        nullable = not (spec.required or spec.name in pk)
        columns[spec.name] = pa.Column(None, checks=checks, nullable=nullable, unique=unique, name=spec.name)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=pk if len(pk) > 1 else None, name=table.name)


def _pattern_check(pa, pattern: str):
    """A full-match pattern check in linear time (RE2; see
    :mod:`improvement_evidence.patterns`), named as pandera names its own."""
    from ..patterns import compile_pattern

    rx = compile_pattern(pattern)
    return pa.Check(lambda s: s.astype(object).map(lambda v: rx.fullmatch(str(v)) is not None).astype(bool),
                    name="str_matches", error=f"str_matches('{pattern}')")


def _code(check: str) -> str:
    if check.startswith("dtype("):
        return "dtype-error"
    if check == "field_uniqueness":
        return "unique-error"
    if check == "multiple_fields_uniqueness":
        return "primary-key"
    if check in ("column_in_dataframe",):
        return "missing-label"
    if check in ("column_in_schema",):
        return "extra-label"
    if check == "column_ordered":
        return "incorrect-label"
    return "constraint-error"


def _message(code: str, check: str, case, column) -> str:
    where = "in the DataFrame load_table returns"
    if code == "dtype-error":
        return (f"expected the column {column!r} {where} to have dtype {check[6:-1]}; found {case}. "
                "Likely cause: the loader and the schema disagree about this field's type.")
    if check == "not_nullable":
        return f"expected a value (required) {where}; found a missing value. Likely cause: an empty cell, or a value the loader read as missing."
    if code in ("unique-error", "primary-key"):
        return f"expected unique values {where}; found {case!r} more than once."
    if code in ("missing-label", "extra-label", "incorrect-label"):
        return f"expected the columns of the schema, in order, {where}; {check} failed for {case!r}."
    return f"expected {check} {where}; found {case!r}."


def check_frame(table: Table, explained: dict | None = None) -> list[ValidationError]:
    """pandera's findings on one loaded table, as our errors, leaving out
    generic ones that ``explained`` (from :func:`.overlap.explained_cells`)
    says a specific error in the same cell accounts for.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.validation.package import read_package
        >>> info, _ = read_package(None)
        >>> t = info.table("areas")
        >>> t.frame = ie.load_table("areas").assign(order=lambda f: f["order"] + 10)
        >>> sorted({(e.code, e.field) for e in check_frame(t)})
        [('constraint-error', 'order')]
    """
    found = list(_findings(table))
    explained = explained or {}
    return [e for kind, e in found if kind not in explained.get((e.row, e.field), ())]


_KINDS = {"str_matches": "pattern", "str_length": "maxLength", "greater_than_or_equal_to": "minimum",
          "less_than_or_equal_to": "maximum", "not_nullable": "required"}


def _check_frame(table: Table) -> list[ValidationError]:
    """pandera's findings on one loaded table (nothing left out)."""
    return [e for _, e in _findings(table)]


def _findings(table: Table):
    """Yield (kind, error) for each pandera failure."""
    pa = _pandera()

    schema = build_schema(table)
    try:
        schema.validate(table.frame, lazy=True, inplace=True)  # inplace: no copy, nothing is coerced
    except pa.errors.SchemaErrors as exc:
        for rec in exc.failure_cases.to_dict("records"):
            check = str(rec.get("check"))
            code = _code(check)
            idx = rec.get("index")
            row = row_number(table, int(idx)) if idx is not None and idx == idx and code != "dtype-error" else None
            column = rec.get("column")
            field = None if code == "primary-key" else (str(column) if column is not None else None)
            if code in ("missing-label", "extra-label", "incorrect-label"):
                row, field = 1, str(rec.get("failure_case"))
            kind = _KINDS.get(check.split("(")[0], code)
            case = rec.get("failure_case")
            if code == "dtype-error" and column in table.frame.columns:
                case = table.frame[column].dtype
            yield kind, ValidationError(code, table.name, row, field, _message(code, check, case, column))


def check_frames(info: PackageInfo, earlier: list[ValidationError] = ()) -> tuple[list[ValidationError], str]:
    """Run :func:`check_frame` on every table that loaded.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> info, _ = read_package(None)
        >>> check_frames(info)[1].startswith("ran; not run on areas")  # nothing loaded yet
        True
    """
    errors: list[ValidationError] = []
    explained = explained_cells(list(earlier))
    with _without_hypothesis():
        for t in info.tables:
            if t.frame is not None:
                errors += check_frame(t, explained.get(t.name))
    skipped = [t.name for t in info.tables if t.frame is None]
    return errors, "ran" + (f"; not run on {', '.join(skipped)} (not loaded)" if skipped else "")
