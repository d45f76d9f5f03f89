"""The package as the site sees it: every read the generator makes goes through here.

The page modules never open a file of the package themselves. This module
uses the package's public API (``load``, ``list_tables``, ``evidence``,
``gap_matrix``, ``cite``, ``export``, the figure renderer); the two things
that API does not yet give (foreign keys and field constraints of a schema,
for the data dictionary and the links between table rows) are read here, in
one place, so that a typed schema API can replace them without touching a
page.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

import improvement_evidence as ie
from improvement_evidence import figures
from improvement_evidence.schema import TableSpec

ROOT = Path(__file__).resolve().parents[1]

# Audiences of the downloadable briefs (improvement_evidence.brief), in the order shown.
AUDIENCES = ("policy", "executive", "operational", "front-line")


class Package:
    """The data package read once for a site build.

    Examples:
        >>> pkg = Package(ROOT)
        >>> len(pkg.data["benefits"]), pkg.version == pkg.descriptor["version"]
        (22, True)
    """

    def __init__(self, path: Path = ROOT):
        self.path = Path(path)
        self.data = ie.load(self.path)
        self.names = ie.list_tables(self.path)

    # -- metadata ---------------------------------------------------------------------------

    @cached_property
    def opened(self):
        """The package as the package model opens it (one policy for every reader)."""
        from improvement_evidence.package import Package as Opened

        return Opened.open(self.path)

    @property
    def descriptor(self) -> dict:
        return self.opened.descriptor

    @property
    def version(self) -> str:
        return self.data.version

    @cached_property
    def content_hash(self) -> str:
        from improvement_evidence.integrity import recorded_content_hash

        return recorded_content_hash(self.path)

    def resource(self, name: str) -> dict:
        return self.opened.resource(name).entry

    def csv_file(self, name: str) -> Path:
        return self.opened.resource(name).csv_file

    # -- schemas ----------------------------------------------------------------------------

    def schema_file(self, name: str) -> Path:
        return self.opened.resource(name).schema_file

    def spec(self, name: str) -> TableSpec:
        return self.opened.resource(name).spec

    def field_constraints(self, name: str) -> dict[str, dict]:
        return {f.name: dict(f.constraints) for f in self.spec(name).fields}

    def field_types(self, name: str) -> dict[str, str]:
        return {f.name: f.type for f in self.spec(name).fields}

    def primary_key(self, name: str) -> list[str]:
        return list(self.spec(name).primary_key)

    def foreign_keys(self, name: str) -> list[tuple[list[str], str, list[str]]]:
        """(fields, referenced table, referenced fields) for each foreign key of ``name``."""
        return [(list(fk.fields), fk.resource or name, list(fk.reference_fields)) for fk in self.spec(name).foreign_keys]

    def referenced_by(self, name: str) -> list[tuple[str, list[str]]]:
        return [(other, fields) for other in self.names for fields, ref, _ in self.foreign_keys(other) if ref == name]

    # -- views ------------------------------------------------------------------------------

    @cached_property
    def evidence(self) -> pd.DataFrame:
        """One tidy row per figure (``improvement_evidence.evidence``)."""
        return ie.evidence(self.data)

    def gap_matrix(self, rows: str, cols: str) -> pd.DataFrame:
        return ie.gap_matrix(rows, cols, data=self.data)

    @cached_property
    def confirmed_evaluations(self) -> pd.DataFrame:
        from improvement_evidence.appraisal import confirmed_evaluations

        return confirmed_evaluations(self.data)

    @cached_property
    def short_citations(self) -> dict[str, str]:
        from improvement_evidence.appraisal import short_citations

        return {str(k): str(v) for k, v in short_citations(self.data["sources"]).items()}

    def figures(self, *, benefit_id: str | None = None, example_id: str | None = None) -> list[figures.Figure]:
        """The figures of a benefit or example, worded by the one renderer."""
        return figures.render_all(self.data, benefit_id=benefit_id, example_id=example_id)

    def figure(self, metric_id: str) -> figures.Figure:
        return figures.render(metric_id, self.data)

    def cite(self, format: str) -> str:
        return ie.cite(format=format, path=self.path)

    @property
    def guide_authors(self) -> list[str]:
        """The guide's authors as the dataset's citation names them ("Bryan Jones")."""
        from improvement_evidence.citation import GUIDE

        return [f"{given} {family}" for family, given in GUIDE.authors]

    def export(self, format: str, out: Path) -> Path:
        from improvement_evidence.export import export

        return export(format, out, self.path, force=True)

    # -- briefs (built on another branch; optional until it lands) -----------------------------

    @staticmethod
    def brief_function():
        """``improvement_evidence.brief`` when the installed package has it, else None."""
        try:
            return getattr(ie, "brief")
        except AttributeError:
            return None

    def write_brief(self, audience: str, format: str, path: Path) -> Path:
        """Write the ``audience`` brief in ``format`` to ``path``.

        The installed package is read as it is; any other package is named to
        ``brief``, which validates it first (and refuses it if it fails)."""
        brief = self.brief_function()
        installed = Path(ie.package_path()).resolve().parent
        here = Path(self.path).resolve()
        here = here.parent if here.is_file() else here
        content = brief(audience, format=format, path=None if here == installed else self.path)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(content)
        return path
