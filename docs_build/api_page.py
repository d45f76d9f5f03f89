"""The Python API page: the public functions, each documented from its docstring.

Generated (not hand-written) so that ``brief`` is documented exactly when the
installed package has it. The docstrings cross-refer with Sphinx roles
(``:func:`load```); :func:`plain_roles` turns what they render to into plain
code, so no raw role markup reaches the page.
"""

from __future__ import annotations

import re

from .markup import BANNER
from .read import Package

PAGE = "api.md"

# (section title, introduction, objects documented in it)
SECTIONS = [
    ("Load the data", "Every table as a typed pandas DataFrame, offline, from the package installed with the code.",
     ["improvement_evidence.load.load", "improvement_evidence.load_table", "improvement_evidence.list_tables",
      "improvement_evidence.Dataset", "improvement_evidence.LoadError", "improvement_evidence.package_path"]),
    ("Evidence views", "The figures with their context, and gap matrices across any two dimensions.",
     ["improvement_evidence.appraisal.evidence", "improvement_evidence.appraisal.gap_matrix",
      "improvement_evidence.appraisal.short_citations", "improvement_evidence.appraisal.confirmed_evaluations"]),
    ("Figures in words", "The one renderer of a figure, used by this site, the briefs, `show` and the xlsx README.",
     ["improvement_evidence.figures.render", "improvement_evidence.figures.render_all",
      "improvement_evidence.figures.Figure", "improvement_evidence.figures.format_value",
      "improvement_evidence.figures.format_money", "improvement_evidence.figures.status_label"]),
    ("Briefs", "A brief for an audience, with every figure worded by the renderer.", ["improvement_evidence.brief"]),
    ("Cite, verify, validate", "Cite an exact version; check that files are the released ones; validate a package.",
     ["improvement_evidence.citation.cite", "improvement_evidence.integrity.verify",
      "improvement_evidence.validation.validate"]),
    ("Export and compare", "Release artefacts in other formats, and what changed between two versions.",
     ["improvement_evidence.export.export", "improvement_evidence.export.read_parquet", "improvement_evidence.diff.diff"]),
]


def page(pkg: Package) -> str:
    has_brief = pkg.brief_function() is not None
    out = [
        BANNER,
        "# Python API\n",
        "```python\nimport improvement_evidence as ie\n\nds = ie.load()                       # every table, typed\n"
        "ev = ie.evidence()                   # one row per figure, with its context\n"
        "m = ie.gap_matrix(\"benefit\", \"approach\")\nprint(ie.cite())\n```\n",
        "`evidence`, `gap_matrix`, `cite`, `verify` and `validate` are also available at the top level "
        "(`ie.cite()`); the sections below name the module each is defined in.\n",
    ]
    for title, intro, objects in SECTIONS:
        if title == "Briefs" and not has_brief:
            continue
        out.append(f"## {title}\n\n{intro}\n")
        out += [f"::: {obj}\n    options:\n      heading_level: 3\n" for obj in objects]
    return "\n".join(out)


# The leading ":" is lost when a docstring parser splits "A :class:`X`" at the colon.
_ROLE = re.compile(r"(?:(?<=[\s>])|^):?(?:func|class|meth|data|mod|attr|exc|obj):(<code>)")
_ROLE_TEXT = re.compile(r":(?:func|class|meth|data|mod|attr|exc|obj):`~?([^`]+)`")


def plain_roles(html: str) -> str:
    """Drop Sphinx role prefixes left in rendered docstrings.

    Examples:
        >>> plain_roles("see :func:<code>load</code> and :class:<code>Figure</code>")
        'see <code>load</code> and <code>Figure</code>'
        >>> plain_roles("<p>class:<code>Dataset</code>: tables</p>")
        '<p><code>Dataset</code>: tables</p>'
        >>> plain_roles("raw :func:`improvement_evidence.load` text")
        'raw <code>improvement_evidence.load</code> text'
    """
    html = _ROLE.sub(r"\1", html)
    return _ROLE_TEXT.sub(r"<code>\1</code>", html)
