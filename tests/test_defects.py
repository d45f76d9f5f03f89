"""Every defect in the catalogue (tests/defects.py) is caught, through the
Python API and through the command line, with the network blocked; and
docs/reliability.md shows the figures tools/defect_report.py computes."""

from __future__ import annotations

import json

import pytest

import defects
from improvement_evidence.validation import validate
from synthetic_package import run_cli

ROOT = defects.ROOT
# name -> status as tools/defect_report.py would record it, filled by the
# parametrised test so the docs test need not run the catalogue again.
OUTCOMES: dict[str, tuple] = {}


def _foreign_keys() -> set[str]:
    out = set()
    for p in (ROOT / "schemas").glob("*.json"):
        for fk in json.loads(p.read_text(encoding="utf-8")).get("foreignKeys", []):
            own = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            out.add(f"dangling-foreign-key:{p.stem}.{own[0]}")
    return out


def test_catalogue_is_broad():
    names = [d.name for d in defects.CATALOGUE]
    assert len(names) == len(set(names))
    assert len(names) >= 30
    # one dangling-key defect for each foreign key declared in the schemas
    assert {n for n in names if n.startswith("dangling-foreign-key:")} == _foreign_keys()
    required = {
        "missing-column", "extra-column", "renamed-column", "wrong-type", "out-of-range", "empty-required-value",
        "duplicate-primary-key", "blank-key", "enum-violation", "pattern-violation", "range-inverted",
        "period-inverted", "quote-not-in-guide", "hash-mismatch", "byte-count-mismatch", "crlf-line-endings",
        "utf8-bom", "invalid-utf8", "zero-width-space-in-id", "non-breaking-space-in-id", "leading-space-in-id",
        "trailing-space-in-id", "formula-prefix-equals", "formula-prefix-plus", "formula-prefix-minus",
        "formula-prefix-at", "empty-file", "header-only", "missing-data-file", "missing-schema-file",
        "invalid-descriptor-json", "non-semver-version", "absolute-path", "parent-path", "remote-http-path",
        "very-large-field",
    }
    assert required <= set(names), required - set(names)


@pytest.mark.parametrize("d", defects.CATALOGUE, ids=lambda d: d.name)
def test_defect_is_caught(d, tmp_path, request):
    guide = request.getfixturevalue("guide_text_path") if d.needs_guide else None
    root, expected = defects.apply(d, tmp_path / "pkg")
    assert (root / "datapackage.json").exists() or d.name.startswith("invalid-descriptor")

    report = validate(root, source_text=guide)
    got = {(e.code, e.table, e.row, e.field) for e in report.errors}
    OUTCOMES[d.name] = (expected, "caught" if expected in got and "internal-error" not in report.codes() else "failed")
    assert not report.valid
    assert "internal-error" not in report.codes(), str(report)
    assert expected in got, f"expected {expected}; the report has:\n{report}"

    argv = ["validate", str(root), "--format", "json"] + (["--source-text", str(guide)] if guide else [])
    rc, out, err = run_cli(*argv)
    assert "Traceback" not in err, err
    assert rc == 1, (rc, err)
    data = json.loads(out)
    assert data["valid"] is False
    assert {"code": expected[0], "table": expected[1], "row": expected[2], "field": expected[3]} in [
        {k: e[k] for k in ("code", "table", "row", "field")} for e in data["errors"]
    ]


def _defect_report_module():
    import defect_report  # tools/ is on pytest's pythonpath (pyproject.toml)

    return defect_report


def test_reliability_page_shows_what_the_tool_computes(guide_text_path):
    """docs/reliability.md's generated tables are exactly what
    `python tools/defect_report.py --write` writes for this code and data."""
    tool = _defect_report_module()
    outcomes = []
    for d in defects.CATALOGUE:
        if d.name in OUTCOMES and OUTCOMES[d.name][1] == "caught":
            outcomes.append(tool.Outcome(d.name, d.description, OUTCOMES[d.name][0], "caught"))
        else:  # not run above (e.g. -k), or failed there: run it as the tool does
            outcomes.append(tool.run_one(d, guide_text_path))
    doc = tool.DOC.read_text(encoding="utf-8")
    assert tool.render(doc, outcomes) == doc, "docs/reliability.md is stale: run python tools/defect_report.py --write"
    assert all(o.status == "caught" for o in outcomes), [o for o in outcomes if o.status != "caught"]
