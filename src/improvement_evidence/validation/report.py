"""The validation report: typed errors, grouped and rendered.

Every problem any check finds becomes one :class:`ValidationError` with a
stable kebab-case ``code`` (listed with its meaning in :data:`CODES` and in
docs/reliability.md), the table it is in, the spreadsheet row (header = 1,
first data row = 2, as frictionless counts) and the field.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

__all__ = ["CODES", "ERRORS_PER_TABLE", "ValidationError", "Report"]

# The most errors one check stage lists for one table. A file made of nothing
# but errors would otherwise cost memory in proportion to its cells; past this
# many the report says how many more there were (``too-many-errors``).
ERRORS_PER_TABLE = 10_000

# code -> (detected by, meaning). The order is the order of the table in
# docs/reliability.md. Codes are part of the public contract: never rename
# one; add new ones at the end of their group.
CODES: dict[str, tuple[str, str]] = {
    # package and descriptor
    "missing-file": ("improvement-evidence", "A file the package needs does not exist: the datapackage.json given, or a table's CSV."),
    "descriptor-error": ("improvement-evidence", "datapackage.json is not valid JSON, not an object, or a resource entry is malformed (no name, path or schema; a duplicate name; a format other than CSV; a hash without an algorithm prefix)."),
    "version-error": ("improvement-evidence", "The package version is missing or is not semantic versioning (MAJOR.MINOR.PATCH)."),
    "unsafe-path": ("improvement-evidence", "A resource or schema path is absolute, climbs out of the package (`..`), is remote (`http://`, `https://` or any URL scheme) or uses backslashes; it is refused before anything reads it, so no network is ever used."),
    "special-file": ("improvement-evidence", "A file the descriptor names is a FIFO, device, socket or folder, not a regular file; it is never opened, so nothing can block or stream endlessly."),
    "too-large": ("improvement-evidence", "The package's files together exceed the size limit (32 MiB by default; IMPROVEMENT_EVIDENCE_MAX_BYTES raises it); the file is not read."),
    "too-many-errors": ("improvement-evidence", f"A check stage found more than {10_000:,} errors in one table; the first ones are listed and this error says how many more were left out (or that the stage stopped there)."),
    "missing-schema": ("improvement-evidence", "A resource's schema file does not exist."),
    "schema-error": ("improvement-evidence / frictionless", "A schema file is not valid JSON or is not a Table Schema (frictionless reports the latter)."),
    "missing-resource": ("improvement-evidence", "A foreign key refers to a table that is not in the package."),
    "hash-count": ("improvement-evidence (frictionless code)", "The file's SHA-256 (or MD5) differs from the `hash` in datapackage.json: the file changed without refreshing the descriptor."),
    "byte-count": ("improvement-evidence (frictionless code)", "The file's size differs from the `bytes` in datapackage.json."),
    # bytes and text of a file
    "empty-file": ("improvement-evidence", "The CSV file is empty: not even a header row."),
    "encoding-error": ("improvement-evidence (frictionless code)", "The file is not valid UTF-8 (typically saved as Windows-1252 or Latin-1 by a spreadsheet)."),
    "bom": ("improvement-evidence", "The file starts with a UTF-8 byte-order mark (Excel's 'CSV UTF-8' adds one); the package's files have none."),
    "line-ending": ("improvement-evidence", "The file has CRLF (Windows) line endings; the package's files use LF, and hashes are of LF files."),
    "header-only": ("improvement-evidence", "The table has a header row but no data rows; every table must have at least one row except those in `MAY_BE_EMPTY`."),
    "non-canonical": ("improvement-evidence", "A value or row is not written in the package's canonical CSV form (e.g. `24.0` for `24`, `TRUE` for `true`, `0099` for a year, unneeded quotes), so load-then-write would not reproduce the file."),
    "invisible-character": ("improvement-evidence", "A cell holds an invisible or control character: zero-width space or joiner, byte-order mark, non-breaking or other non-ASCII space, soft hyphen, bidirectional control, NUL or another C0/C1 control."),
    "id-whitespace": ("improvement-evidence", "An identifier cell has leading or trailing whitespace."),
    "cell-whitespace": ("improvement-evidence", "A text cell has leading or trailing whitespace."),
    "formula-prefix": ("improvement-evidence", "A text cell starts with `=`, `+`, `-` or `@`, which a spreadsheet may run as a formula (CSV injection). Number cells such as `-16.7` are not text and are not checked."),
    "field-too-large": ("improvement-evidence", "A cell is longer than 32,767 characters, the most a spreadsheet cell holds."),
    # frictionless, passed through with our message
    "missing-label": ("frictionless", "A column the schema declares is missing from the header."),
    "extra-label": ("frictionless", "The header has a column the schema does not declare."),
    "incorrect-label": ("frictionless", "A header label differs from the schema's field name at that position (a renamed or reordered column)."),
    "blank-label": ("frictionless", "A header label is empty."),
    "duplicate-label": ("frictionless", "Two header labels are the same."),
    "extra-cell": ("frictionless", "A row has more cells than the header (an unquoted comma)."),
    "missing-cell": ("frictionless", "A row has fewer cells than the header."),
    "blank-row": ("frictionless", "A row is entirely empty."),
    "type-error": ("frictionless", "A cell cannot be read as its field's type (integer, number, year, date, boolean)."),
    "constraint-error": ("frictionless / pandera", "A cell breaks a constraint: required, enum, pattern, minimum, maximum, minLength or maxLength."),
    "unique-error": ("frictionless / pandera", "A value that must be unique appears in more than one row."),
    "primary-key": ("frictionless", "A primary key is duplicated or blank."),
    "foreign-key": ("improvement-evidence (frictionless code)", "A value refers to a row that does not exist in the referenced table."),
    "source-error": ("frictionless", "frictionless could not read the file at all."),
    # the DataFrames the loader returns
    "load-error": ("improvement-evidence", "`load_table` could not read a table that frictionless accepted: the loader and the schema disagree."),
    "dtype-error": ("pandera", "A column of the loaded DataFrame does not have the dtype the schema implies."),
    # across tables
    "range-order": ("improvement-evidence", "value_low ≤ value ≤ value_high does not hold."),
    "period-order": ("improvement-evidence", "period_end is before period_start."),
    "page-order": ("improvement-evidence", "page_end is before page."),
    "unlinked-example": ("improvement-evidence", "An example is not used as evidence for any benefit (it has no example_benefits row)."),
    "missing-span": ("improvement-evidence", "A figure reported in the guide has no verbatim quote."),
    "missing-locator": ("improvement-evidence", "A row drawn from the guide lacks its section, page, page_end or page_basis."),
    "area-mismatch": ("improvement-evidence", "A figure's area_id differs from the area of its benefit."),
    "status-mismatch": ("improvement-evidence", "reported_in and verification_status disagree (primary-source figures, and only they, have status primary_source), or compares_with is set on a guide figure or points at a figure that is not from the guide."),
    "evaluation-relation": ("improvement-evidence", "An evaluations row names an (example, source) pair that example_sources does not link with relation `evaluation`."),
    "year-date-mismatch": ("improvement-evidence", "A source's year is empty or differs from the year of its date."),
    "list-in-cell": ("improvement-evidence", "A field that holds one value (an identifier, a reference to a row, url, doi, pmid, pmcid, isbn or compares_with) holds a `;`-separated list."),
    "guide-authors": ("improvement-evidence", "The guide's own row in sources does not carry the authors on the guide's title page (Jones B, Pereira P), or CITATION.cff names other authors for the guide."),
    "anchor-unresolved": ("improvement-evidence", "A summary_anchors or hedge_exceptions row names a benefit or example that does not exist."),
    "anchor-stale": ("improvement-evidence", "A summary_anchors or hedge_exceptions row points past the end of its summary, or the summary sentence it anchors has changed since (its hash differs)."),
    "unanchored-sentence": ("improvement-evidence", "A sentence of a benefit or example summary has no row in summary_anchors."),
    # against the guide's text
    "quote-not-in-guide": ("improvement-evidence", "A quote or heading is not found verbatim in the guide's text (whitespace-normalised)."),
    "locator-mismatch": ("improvement-evidence", "section, page, page_end or page_basis differ from what the guide's text gives for the quote or heading."),
    # a check failed to run
    "internal-error": ("improvement-evidence", "A check crashed; this is a bug in improvement-evidence, please report it. The other checks still ran."),
}


@dataclass(frozen=True)
class ValidationError:
    """One problem found by :func:`improvement_evidence.validate`.

    ``row`` is the row number a spreadsheet shows (the header is row 1, the
    first data row 2); None for problems of a whole file or of the package.

    Examples:
        >>> e = ValidationError("type-error", "metrics", 5, "page", "expected an integer; found 'five'")
        >>> str(e)
        "metrics, row 5, field page: expected an integer; found 'five' [type-error]"
    """

    code: str
    table: str | None
    row: int | None
    field: str | None
    message: str

    def where(self) -> str:
        """Where the problem is, as words.

        Examples:
            >>> ValidationError("bom", "areas", 1, None, "m").where()
            'areas, row 1'
        """
        parts = [self.table or "package"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message} [{self.code}]"


@dataclass
class Report:
    """What :func:`improvement_evidence.validate` found.

    Attributes:
        path: the datapackage.json validated.
        errors: every problem, package-level first, then by table in
            descriptor order, then by row.
        checked: check stage -> what happened: ``"ran"``, ``"ran; ..."``
            with what was left out and why, or ``"skipped: <reason>"``.
            ``checked["quotes"]`` says whether quotes and locators were
            checked against the guide's text or skipped because it was absent.

    Examples:
        >>> r = Report("datapackage.json", [ValidationError("bom", "areas", 1, None, "starts with a BOM")], {"files": "ran"})
        >>> r.valid, list(r.by_table())
        (False, ['areas'])
        >>> r.to_dict()["errors"][0]["code"]
        'bom'
    """

    path: str
    errors: list[ValidationError] = field(default_factory=list)
    checked: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when no check found a problem.

        Examples:
            >>> Report("p").valid
            True
        """
        return not self.errors

    def by_table(self) -> dict[str | None, list[ValidationError]]:
        """Errors grouped by table (None for the package), in report order.

        Examples:
            >>> r = Report("p", [ValidationError("version-error", None, None, None, "m")])
            >>> list(r.by_table())
            [None]
        """
        out: dict[str | None, list[ValidationError]] = {}
        for e in self.errors:
            out.setdefault(e.table, []).append(e)
        return out

    def codes(self) -> set[str]:
        """The distinct error codes in the report.

        Examples:
            >>> Report("p").codes()
            set()
        """
        return {e.code for e in self.errors}

    def to_dict(self) -> dict:
        """A JSON-serialisable dict: path, valid, error count, checked, errors.

        Examples:
            >>> import json
            >>> json.dumps(Report("p").to_dict())
            '{"path": "p", "valid": true, "error_count": 0, "checked": {}, "errors": []}'
        """
        return {
            "path": self.path,
            "valid": self.valid,
            "error_count": len(self.errors),
            "checked": dict(self.checked),
            "errors": [asdict(e) for e in self.errors],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text.

        Examples:
            >>> Report("p").to_json().startswith("{")
            True
        """
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def __str__(self) -> str:
        groups = self.by_table()
        if self.valid:
            head = "VALID: no problems found"
        else:
            n_tables = len([t for t in groups if t is not None])
            head = f"INVALID: {len(self.errors)} problem{'s' if len(self.errors) != 1 else ''}"
            if n_tables:
                head += f" in {n_tables} table{'s' if n_tables != 1 else ''}"
            if None in groups:
                head += (" and" if n_tables else " in") + " the package"
        lines = [f"{self.path}", head, "", "checks:"]
        lines += [f"  {stage}: {status}" for stage, status in self.checked.items()]
        for table, errs in groups.items():
            lines += ["", f"{table or 'package'} ({len(errs)}):"]
            for e in errs:
                loc = ", ".join(p for p in (f"row {e.row}" if e.row is not None else "", f"field {e.field}" if e.field is not None else "") if p)
                lines.append(f"  {loc + ': ' if loc else ''}{e.message} [{e.code}]")
        return "\n".join(lines) + "\n"
