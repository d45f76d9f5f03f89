"""Every command survives every hostile package (tools/hostile.py).

For each case of the catalogue, every command in ``cli.COMMANDS`` (``cite``
and ``export`` once per format, ``diff`` with the case on either side) runs
on a damaged package next to a sentinel folder. A run fails on a traceback,
an internal error, a hang, the sentinel's content in any output, a file
written outside the output, an export failure that changed the previous
output, or a formula cell in an xlsx export. Commands are discovered from
``cli.COMMANDS``, so a new verb is covered without editing this file.
"""

from __future__ import annotations

import pytest

import hostile
from improvement_evidence import cli

# case name -> runs, filled by the parametrised test for the page check below
RUNS: dict[str, list] = {}


@pytest.mark.parametrize("case", hostile.CATALOGUE, ids=lambda c: c.name)
def test_every_command_survives(case):
    runs = hostile.run_isolated(case) if case.isolate else hostile.run_case(case)
    RUNS[case.name] = runs
    assert [r.command for r in runs] == hostile.variants(list(cli.COMMANDS))
    bad = [(r.command, r.failures, r.detail) for r in runs if r.failures]
    assert not bad, bad


# Cases that no command may accept: each must refuse (exit 2) or, for
# validate, verify and diff, report (exit 1) -- never print a result as if
# the package were fine.
REFUSED = [c.name for c in hostile.CATALOGUE if c.group in ("paths", "special files", "sizes")
           and c.name not in ("missing-data-file",)] + [
    "lone-surrogate-title", "nul-in-name", "lone-surrogate-field", "lone-surrogate-path", "resource-name-traversal",
    "resource-name-absolute", "resource-name-formula", "field-name-formula", "descriptor-is-a-list", "licenses-as-strings",
    "contributors-as-strings", "title-a-list", "schema-is-a-list", "backreference-pattern", "invalid-pattern",
]


@pytest.mark.parametrize("name", REFUSED)
def test_unsafe_packages_are_refused_not_used(name):
    runs = RUNS.get(name)
    if runs is None:
        c = hostile.case(name)
        runs = hostile.run_isolated(c) if c.isolate else hostile.run_case(c)
    accepted = [r.command for r in runs if r.rc == 0]
    assert not accepted, f"{name}: accepted by {accepted}"


def test_the_sentinel_would_be_seen():
    """The read-outside check is live: a command pointed at the sentinel's
    own folder (which is a valid package there) shows its token."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        pkg = hostile.write_base(Path(tmp) / "pkg")
        (pkg / "data" / "groups.csv").write_text(hostile.SECRET_CSV, encoding="utf-8")
        hostile.rehash(pkg)
        rc, out, err, problem = hostile.run_cli(["show", "groups", "--path", str(pkg)])
    assert rc == 0 and problem is None
    assert hostile.TOKEN in out


def test_reliability_page_shows_these_counts():
    """docs/reliability.md's hostile-input table is what this run found
    (`python tools/defect_report.py --write` writes it)."""
    import defect_report

    if set(RUNS) != {c.name for c in hostile.CATALOGUE}:
        pytest.skip("only part of the catalogue ran (-k?): the page is checked on a full run")
    counts = hostile.counts([r for runs in RUNS.values() for r in runs])
    doc = defect_report.DOC.read_text(encoding="utf-8")
    want = defect_report.replace_block(doc, "hostile", defect_report.hostile_table(counts, defect_report.baseline()))
    assert want == doc, "docs/reliability.md is stale: run python tools/defect_report.py --write"
