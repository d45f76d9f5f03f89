"""The data dictionary and a readable page per table.

A table page shows a few columns chosen for reading (:data:`DEFAULT_COLUMNS`),
with every other field of the row one click away in the row's own
``<details>``. Codes that point at another table show that row's label and
link to it; verification statuses show their badge. Each row's first cell is a
heading carrying the row's id, so links and search results land on the row
(highlighted by ``:target``). The header stays in place while scrolling; on a
phone each row becomes a card.
"""

from __future__ import annotations

import pandas as pd

from improvement_evidence.figures import format_value

from .markup import BANNER, badge, esc, link, status_legend, text
from .read import Package

# Columns shown by default, in order; the rest are in each row's "all fields".
DEFAULT_COLUMNS = {
    "areas": ["area_id", "label", "heading", "page"],
    "benefits": ["benefit_id", "heading", "area_id", "page"],
    "examples": ["example_id", "name", "kind", "setting", "country"],
    "example_benefits": ["example_id", "benefit_id", "finding", "page"],
    "metrics": ["metric_id", "figure", "measure", "example_id", "benefit_id", "verification_status"],
    "approaches": ["approach_id", "label", "definition"],
    "example_approaches": ["example_id", "approach_id", "basis"],
    "sources": ["source_id", "citation", "source_type", "doi", "pmid", "verification"],
    "example_sources": ["example_id", "source_id", "relation", "link_basis"],
    "study_designs": ["design_id", "label", "tier", "definition"],
    "evaluations": ["evaluation_id", "example_id", "design_id", "source_id", "n_sites"],
    "outcome_levels": ["outcome_level_id", "label", "definition"],
    "quality_dimensions": ["quality_dimension_id", "label", "definition"],
    "evidence_ratings": ["benefit_id", "confidence", "effect_size_metric_id", "cost_evidence", "best_design_id"],
    "rating_overrides": ["benefit_id", "confidence", "rationale", "curator", "date"],
}
# Columns computed for the page (not in the CSV): name -> what it shows.
DERIVED = {"figure": "the value as people write it (value, qualifier, unit)", "citation": "short citation"}
# The column of a referenced table that labels its rows.
LABEL_COLUMNS = ("label", "heading", "name")
IDENTIFIER_LINKS = {
    "doi": "https://doi.org/",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/",
    "pmcid": "https://www.ncbi.nlm.nih.gov/pmc/articles/",
}


def row_id(frame: pd.DataFrame, pk: list[str], i: int) -> str:
    return "--".join(text(frame[k].iloc[i]) for k in pk) if pk else f"row-{i + 1}"


class TablePages:
    def __init__(self, pkg: Package):
        self.pkg = pkg
        self._labels: dict[str, dict[str, str]] = {}

    def labels(self, table: str) -> dict[str, str]:
        """id -> label for the rows of ``table`` (its label column, or a short citation for sources)."""
        if table not in self._labels:
            frame = self.pkg.data[table]
            pk = self.pkg.primary_key(table)
            out: dict[str, str] = {}
            if table == "sources":
                out = dict(self.pkg.short_citations)
            elif len(pk) == 1:
                col = next((c for c in LABEL_COLUMNS if c in frame.columns), None)
                if col:
                    out = dict(zip(frame[pk[0]].astype("string"), frame[col].astype("string")))
            self._labels[table] = {str(k): str(v) for k, v in out.items()}
        return self._labels[table]

    def _references(self, name: str) -> dict[str, str]:
        """field -> referenced table, for single-field foreign keys to a single-key table."""
        out = {}
        for fields, ref, ref_fields in self.pkg.foreign_keys(name):
            if len(fields) == 1 and ref in self.pkg.names and self.pkg.primary_key(ref) == ref_fields:
                out[fields[0]] = ref
        return out

    def _cell(self, name: str, col: str, value, row: dict, types: dict, refs: dict, constraints: dict) -> str:
        if col == "figure":
            return esc(format_value(row))
        if col == "citation":
            return esc(self.labels("sources").get(text(row.get("source_id")), ""))
        t = text(value, types.get(col, "string"))
        if not t:
            return ""
        if col == "verification_status":
            return badge(t)
        if col in refs:
            ref = refs[col]
            url = f"#{t}" if ref == name else f"../{ref}/#{t}"
            label = self.labels(ref).get(t)
            return (f'{link(url, label)} <code class="ie-code">{esc(t)}</code>' if label and label != t else link(url, t))
        if col in IDENTIFIER_LINKS:
            return link(IDENTIFIER_LINKS[col] + t, t)
        if constraints.get(col, {}).get("pattern", "").startswith("^https?://") or (col == "url" and t.startswith(("https://", "http://"))):
            return link(t, t)
        return esc(t)

    def table_page(self, name: str) -> str:
        pkg = self.pkg
        frame = pkg.data[name]
        spec = pkg.spec(name)
        types = pkg.field_types(name)
        constraints = pkg.field_constraints(name)
        refs = self._references(name)
        pk = pkg.primary_key(name)
        fields = spec.field_names
        shown = [c for c in DEFAULT_COLUMNS.get(name, fields[:5]) if c in fields or c in DERIVED]
        if pk and pk[0] not in shown:
            shown.insert(0, pk[0])
        rest = [c for c in fields if c not in shown]
        descriptions = {f.name: f.description for f in spec.fields}
        records = frame.to_dict("records")
        # Columns of long text get room to be read; short codes stay narrow.
        wide = {c for c in shown if c == "citation" or max((len(text(r.get(c), types.get(c, "string"))) for r in records), default=0) > 60}
        head = "".join(
            f'<div role="columnheader" class="ie-grid__th{" ie-wide" if c in wide else ""}" '
            f'title="{esc(descriptions.get(c) or DERIVED.get(c, ""))}">{esc(c)}</div>'
            for c in shown) + ('<div role="columnheader" class="ie-grid__th">more</div>' if rest else "")
        rows = []
        for i, row in enumerate(records):
            rid = row_id(frame, pk, i)
            cells = []
            for j, col in enumerate(shown):
                inner = self._cell(name, col, row.get(col), row, types, refs, constraints)
                if j == 0:
                    # The row's heading is a cell of the row itself, so that search
                    # indexes the whole row under it and links land on the row.
                    cells.append(f'<h3 role="cell" class="ie-grid__td ie-rowhead" id="{esc(rid)}" data-label="{esc(col)}">{inner or esc(rid)}</h3>')
                else:
                    cells.append(f'<div role="cell" class="ie-grid__td" data-label="{esc(col)}">{inner}</div>')
            if rest:
                items = " ".join(
                    f"<dt>{esc(c)}</dt><dd>{self._cell(name, c, row.get(c), row, types, refs, constraints) or '<span class=ie-muted>(empty)</span>'}</dd>"
                    for c in rest)
                cells.append(f'<div role="cell" class="ie-grid__td" data-label="more"><details><summary>{len(rest)} more field{"s" if len(rest) != 1 else ""}</summary>'
                             f'<dl class="ie-more">{items}</dl></details></div>')
            rows.append(f'<div role="row" class="ie-grid__row">{" ".join(cells)}</div>')
        # A table built of divs (ARIA roles, CSS table layout): an <h3> may not be a
        # child of <tr>, and a heading nested in a <td> would end its search section there.
        table = (f'<div class="ie-table-wrap"><div role="table" class="ie-grid" aria-label="{esc(name)}">\n'
                 f'<div role="rowgroup" class="ie-grid__head"><div role="row" class="ie-grid__row">{head}</div></div>\n'
                 '<div role="rowgroup" class="ie-grid__body">\n' + "\n".join(rows) + "\n</div></div></div>")
        desc = pkg.resource(name).get("description", "")
        out = [
            "---\nhide:\n  - toc\n---\n",
            BANNER,
            f"# {name}\n",
            f"{desc}\n",
            f"{len(frame)} rows, {len(fields)} fields. Shown: {', '.join(f'`{c}`' for c in shown)}"
            + (f"; the other {len(rest)} are under “more” in each row" if rest else "")
            + f". Field definitions: [data dictionary](../data-dictionary.md#{name}). "
            f"Download: [{name}.csv](../downloads/{name}.csv) (the file in `data/`, byte for byte). "
            f"In Python: `improvement_evidence.load_table(\"{name}\")`.\n",
        ]
        if refs:
            out.append("Codes that point at another table show that row's label and link to it: "
                       + ", ".join(f"`{c}` → [{r}](../tables/{r}.md)" if r != name else f"`{c}`" for c, r in refs.items()) + ".\n")
        if "verification_status" in fields:
            out.append("`verification_status`, as the badges show it:\n")
            out.append(status_legend(frame["verification_status"].astype("string").dropna().unique().tolist()))
        if "figure" in shown:
            out.append(f"`figure`: {DERIVED['figure']}, from `value`, `value_low`, `value_high`, `qualifier`, `unit` and `counted`.\n")
        out.append(table + "\n")
        return "\n".join(out)

    def tables_index(self) -> str:
        pkg = self.pkg
        rows = [f"| [{n}]({n}.md) | {len(pkg.data[n])} | {pkg.resource(n).get('description', '').replace('|', '&#124;')} |"
                for n in pkg.names]
        return "\n".join([
            BANNER, "# Tables\n",
            "Every row of every table, one page per table. The same data as the CSV files "
            "([downloads](../downloads.md)); see the [data dictionary](../data-dictionary.md) for what each field means.\n",
            "| table | rows | description |", "|---|--:|---|", *rows, "",
        ])

    # -- data dictionary ----------------------------------------------------------------------------

    @staticmethod
    def _constraints(c: dict) -> str:
        parts = []
        if c.get("unique"):
            parts.append("unique")
        if "enum" in c:
            parts.append("one of: " + ", ".join(c["enum"]))
        if "pattern" in c:
            parts.append(f"pattern {c['pattern']}")
        for key, label in (("minimum", "min"), ("maximum", "max"), ("minLength", "min length"), ("maxLength", "max length")):
            if key in c:
                parts.append(f"{label} {c[key]}")
        return "; ".join(parts)

    def data_dictionary(self) -> str:
        from .markup import html_table

        pkg = self.pkg
        out = [BANNER, "# Data dictionary\n"]
        out.append(
            f"Version **{pkg.version}** of the data package has {len(pkg.names)} tables. "
            "Each table is a CSV file in `data/` (UTF-8, LF line endings, a header row) described by a "
            "[Table Schema](https://datapackage.org/standard/table-schema/) in `schemas/`; "
            "this page is generated from those schemas. The *pandas dtype* column is what "
            "`improvement_evidence.load()` gives each field. Identifiers are stable kebab-case slugs, "
            "never reused. An empty cell is a missing value; no other text (not even `NA`) is.\n"
        )
        summary = pd.DataFrame({"table": pkg.names, "rows": [len(pkg.data[n]) for n in pkg.names],
                                "description": [pkg.resource(n).get("description", "") for n in pkg.names]})
        out.append(html_table(summary, numeric={"rows"}, links={"table": "#"}).replace("<table>", '<table class="ie-plain">', 1) + "\n")
        for name in pkg.names:
            res, spec = pkg.resource(name), pkg.spec(name)
            constraints = pkg.field_constraints(name)
            out.append(f"## {name}\n")
            out.append(f"{res.get('description') or spec.description}\n")
            facts = [
                f"- **Rows:** {len(pkg.data[name])}",
                f"- **File:** `{res['path']}`; **schema:** `{res['schema']}`",
                f"- **Browse:** [all rows](tables/{name}.md); **download:** [{name}.csv](downloads/{name}.csv)",
            ]
            pk = pkg.primary_key(name)
            if pk:
                facts.append("- **Primary key:** " + ", ".join(f"`{k}`" for k in pk))
            for fields, ref, ref_fields in pkg.foreign_keys(name):
                facts.append("- **Foreign key:** " + ", ".join(f"`{f}`" for f in fields)
                             + " → " + ", ".join(f"`{f}`" for f in ref_fields) + f" in [{ref}](#{ref})")
            refs = pkg.referenced_by(name)
            if refs:
                facts.append("- **Referenced by:** " + "; ".join(", ".join(f"`{f}`" for f in fs) + f" in [{o}](#{o})" for o, fs in refs))
            out.append("\n".join(facts) + "\n")
            fields = pd.DataFrame([
                {"field": f.name, "type": f.type, "pandas dtype": f.dtype, "required": "yes" if f.required else "no",
                 "constraints": self._constraints(constraints.get(f.name, {})), "description": f.description}
                for f in spec.fields
            ])
            out.append(html_table(fields).replace("<table>", '<table class="ie-plain">', 1) + "\n")
        return "\n".join(out)

    def pages(self) -> dict[str, str]:
        out = {"data-dictionary.md": self.data_dictionary(), "tables/index.md": self.tables_index()}
        for name in self.pkg.names:
            out[f"tables/{name}.md"] = self.table_page(name)
        return out

    def nav(self) -> list:
        return [{"All tables": "tables/index.md"}, *({n: f"tables/{n}.md"} for n in self.pkg.names)]
