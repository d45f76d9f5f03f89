"""Every error improvement-evidence raises on purpose, rooted at one class.

Catch :class:`ImprovementEvidenceError` to handle any expected failure of any
verb (a package that cannot be opened, a table that does not load, an
export that cannot be written, a citation that cannot be made). Each error
carries ``file``, ``row`` (as a spreadsheet numbers it: header = 1) and
``field`` when known, and ``line()`` gives the one line the command line
prints.

Examples:
    >>> from improvement_evidence.errors import PackageError, ImprovementEvidenceError
    >>> e = PackageError("expected a relative path; found '/etc/passwd'", file="datapackage.json", field="path")
    >>> isinstance(e, ImprovementEvidenceError), e.line()
    (True, "datapackage.json, field 'path': expected a relative path; found '/etc/passwd'")
"""

from __future__ import annotations

__all__ = [
    "ImprovementEvidenceError",
    "PackageError",
    "LoadError",
    "VerifyError",
    "DiffError",
    "CiteError",
    "ExportError",
    "UsageError",
    "CliError",
]


class ImprovementEvidenceError(ValueError):
    """Base of every expected failure. ``file``, ``row``, ``field`` say where.

    A subclass of ``ValueError`` so code written against the older, separate
    error classes (all ``ValueError``) keeps working.
    """

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.file, self.row, self.field = file, row, field

    def where(self) -> str:
        """``file, row N, field 'x'`` -- the parts that are known.

        Examples:
            >>> ImprovementEvidenceError("m", file="a.csv", row=3, field="x").where()
            "a.csv, row 3, field 'x'"
            >>> ImprovementEvidenceError("m").where()
            ''
        """
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)

    def line(self) -> str:
        """One line: where, then the message, with no line breaks inside.

        Examples:
            >>> ImprovementEvidenceError("bad\\nvalue", file="a.csv").line()
            'a.csv: bad value'
        """
        where = self.where()
        msg = " ".join(str(self.message).split())
        if where and not msg.startswith(str(self.file or "\0")):
            return f"{where}: {msg}"
        return msg


class PackageError(ImprovementEvidenceError):
    """The package cannot be opened safely: a missing, unsafe, special,
    oversized or undecodable file, or a descriptor or schema of the wrong
    shape. ``code`` is the validation code of the same problem."""

    def __init__(self, message: str, *, code: str = "descriptor-error", **where):
        super().__init__(message, **where)
        self.code = code


class LoadError(ImprovementEvidenceError):
    """A table could not be read into the types its schema declares."""


class VerifyError(ImprovementEvidenceError):
    """The descriptor cannot be read or does not record sha256 hashes."""


class DiffError(ImprovementEvidenceError):
    """A package cannot be read well enough to compare."""


class CiteError(ImprovementEvidenceError):
    """An unknown format, or a descriptor without what a citation needs."""


class ExportError(ImprovementEvidenceError):
    """An export cannot be written: bad output path, missing extra, invalid data."""


class UsageError(ImprovementEvidenceError):
    """A command-line argument is wrong (a path that does not exist, a table
    that is not in the package)."""


# The name the command modules used before the hierarchy existed.
CliError = UsageError
