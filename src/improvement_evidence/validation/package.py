"""The package as validation sees it: :mod:`improvement_evidence.package`'s
lenient reading, with a place for what each stage learns per table.

Every path, size, encoding and shape rule lives in
:mod:`improvement_evidence.package`, the one module that opens a package;
this module only turns its problems into :class:`ValidationError` records
and carries per-table state between the stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..package import SEMVER, inspect, locate, path_problem
from ..schema import TableSpec
from .report import ValidationError

__all__ = ["Table", "PackageInfo", "read_package", "SEMVER", "path_problem"]


@dataclass
class Table:
    """One resource of the package and what the stages learned about it.

    Examples:
        >>> info, _ = read_package(None)
        >>> t = info.table("areas")
        >>> t.rel_path, t.spec.primary_key
        ('data/areas.csv', ('area_id',))
    """

    name: str
    entry: dict
    csv_path: Path | None = None  # None: unsafe or missing, not to be read
    rel_path: str | None = None
    schema: dict | None = None  # the parsed Table Schema
    spec: TableSpec | None = None
    # Filled by the files stage.
    text: str | None = None  # decoded text (BOM removed); None if unreadable
    digest: str | None = None  # sha256 of the file's bytes
    raw: object = None  # pandas DataFrame of strings, positional columns; row 0 is the header
    blank: set[int] = field(default_factory=set)  # positions in ``raw`` of blank lines
    columns: dict[str, int] = field(default_factory=dict)  # schema field -> column position
    too_wide: bool = False  # so many stray cells that frictionless is not run on it
    # Filled after loading.
    frame: object = None  # the DataFrame load_table returns
    frame_rows: object = None  # spreadsheet row number of each frame row

    @property
    def readable(self) -> bool:
        """The file exists, is decodable and has a schema: row checks can run.

        Examples:
            >>> Table("t", {}).readable
            False
        """
        return self.text is not None and self.spec is not None


@dataclass
class PackageInfo:
    """The package as the descriptor stage read it: where it is and its tables.

    Examples:
        >>> info, _ = read_package(None)
        >>> info.descriptor_path.name, info.table("nope")
        ('datapackage.json', None)
    """

    descriptor_path: Path
    root: Path
    descriptor: dict | None
    tables: list[Table]
    package: object = None  # the improvement_evidence.package.Package, when the descriptor was usable

    def table(self, name: str) -> Table | None:
        """The table called ``name``, or None (see the class example)."""
        for t in self.tables:
            if t.name == name:
                return t
        return None


def read_package(path: Path | str | None) -> tuple[PackageInfo, list[ValidationError]]:
    """Read the descriptor and every resource entry and schema.

    Never raises: every problem becomes an error, and a table whose file or
    schema cannot be used is kept with ``csv_path`` or ``spec`` None so later
    stages skip it.

    Examples:
        >>> info, errors = read_package("/nonexistent/datapackage.json")
        >>> [e.code for e in errors], info.tables
        (['missing-file'], [])
    """
    pkg, problems = inspect(path)
    errors = [ValidationError(p.code, p.table, None, p.field, p.message) for p in problems]
    if pkg is None:
        try:
            dpath = locate(path)
        except Exception:  # the bundled package itself is missing
            dpath = Path(str(path))
        return PackageInfo(dpath, dpath.parent, None, []), errors
    info = PackageInfo(pkg.descriptor_path, pkg.root, pkg.descriptor, [], pkg)
    for r in pkg.resources:
        t = Table(r.name, r.entry)
        if r.csv_file is not None:
            t.csv_path, t.rel_path = r.csv_file, r.path
        t.schema, t.spec = r.schema, r.spec
        info.tables.append(t)
    return info, errors
