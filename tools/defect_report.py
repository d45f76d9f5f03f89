"""Run the defect and hostile-input catalogues and publish what they find.

    python tools/defect_report.py            # run every defect and hostile case, print the counts
    python tools/defect_report.py --write    # also regenerate the tables in docs/reliability.md
    python tools/defect_report.py --check    # exit 1 if docs/reliability.md is not what --write would write

The hostile catalogue (tools/hostile.py) runs every command on every hostile
package; its failures per command are published beside the figures recorded
for the code at 1.0.0 (tools/hostile_baseline.json, made by running the same
catalogue on commit 6e19f64).

Each defect in tools/defects.py is applied to a fresh temporary copy of the
package and validated with :func:`improvement_evidence.validate`. A defect is
*caught* when the report holds its expected (code, table, row, field); a
*crash* is an exception out of validate() or an ``internal-error`` in the
report; anything else is *missed*. Defects checked against the guide's text
are *not run* when the text is absent (the figures then say so).

The generated parts of docs/reliability.md (between the ``BEGIN generated``
and ``END generated`` markers) come only from here, so the published figures
are the output of one command anyone can rerun.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import json

import defects  # tools/defects.py, beside this file
import hostile  # tools/hostile.py, beside this file

from improvement_evidence.provenance import find_source_text
from improvement_evidence.validation import CODES, validate

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "reliability.md"
BASELINE = Path(__file__).resolve().parent / "hostile_baseline.json"


@dataclass
class Outcome:
    """What became of one defect: caught, missed, crash or not run.

    Examples:
        >>> Outcome("utf8-bom", "A BOM.", ("bom", "benefits", 1, None), "caught").status
        'caught'
    """

    name: str
    description: str
    expected: tuple | None
    status: str  # caught | missed | crash | not run
    detail: str = ""


def run_one(d: defects.Defect, guide: Path | None) -> Outcome:
    """Apply ``d`` to a fresh temporary copy of the package and validate it.

    Examples:
        >>> d = next(d for d in defects.CATALOGUE if d.name == "utf8-bom")
        >>> run_one(d, None).status
        'caught'
    """
    if d.needs_guide and guide is None:
        return Outcome(d.name, d.description, None, "not run", "the guide's text is absent")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            root, expected = defects.apply(d, Path(tmp) / "pkg")
        except Exception as exc:  # the defect itself could not be applied to this data
            return Outcome(d.name, d.description, None, "crash", f"defect not applicable: {type(exc).__name__}: {exc}")
        try:
            report = validate(root, source_text=guide)
        except Exception as exc:
            return Outcome(d.name, d.description, expected, "crash", f"validate raised {type(exc).__name__}: {exc}")
    found = {(e.code, e.table, e.row, e.field) for e in report.errors}
    if "internal-error" in report.codes():
        return Outcome(d.name, d.description, expected, "crash", "internal-error in the report")
    if expected in found:
        return Outcome(d.name, d.description, expected, "caught")
    return Outcome(d.name, d.description, expected, "missed", "; ".join(sorted(f"{c}@{t}:{r}:{f}" for c, t, r, f in found))[:300])


def run_all(guide: Path | None) -> list[Outcome]:
    """:func:`run_one` for every defect in the catalogue, in its order."""
    return [run_one(d, guide) for d in defects.CATALOGUE]


def _cell(v) -> str:
    return "" if v is None else str(v).replace("|", "\\|")


def summary_table(outcomes: list[Outcome]) -> str:
    """The counts as a Markdown table.

    Examples:
        >>> print(summary_table([Outcome("x", "", None, "caught")]).splitlines()[2])
        | 1 (of which 0 foreign keys) | 1 | 1 | 0 | 0 | 0 |
    """
    tried = [o for o in outcomes if o.status != "not run"]
    n = lambda s: sum(o.status == s for o in outcomes)  # noqa: E731
    fk = sum(o.name.startswith("dangling-foreign-key:") for o in outcomes)
    lines = [
        "| defect classes | tried | caught | missed | crashes | not run |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {len(outcomes)} (of which {fk} foreign keys) | {len(tried)} | {n('caught')} | {n('missed')} | {n('crash')} | {n('not run')} |",
    ]
    return "\n".join(lines)


def defect_table(outcomes: list[Outcome]) -> str:
    """One Markdown row per defect: name, description, expected error, result.

    Examples:
        >>> print(defect_table([Outcome("x", "A | B.", ("bom", "t", 1, None), "caught")]).splitlines()[2])
        | `x` | A \\| B. | bom, t, 1, — | caught |
    """
    lines = ["| defect | what it does | expected error (code, table, row, field) | result |", "|---|---|---|---|"]
    for o in outcomes:
        exp = ", ".join(_cell(v) or "—" for v in o.expected) if o.expected else "—"
        lines.append(f"| `{o.name}` | {_cell(o.description)} | {exp} | {o.status} |")
    return "\n".join(lines)


def codes_table() -> str:
    """Every error code with who detects it and what it means, as Markdown.

    Examples:
        >>> codes_table().splitlines()[2].startswith("| `missing-file` |")
        True
    """
    lines = ["| code | detected by | meaning |", "|---|---|---|"]
    for code, (by, meaning) in CODES.items():
        lines.append(f"| `{code}` | {by} | {_cell(meaning)} |")
    return "\n".join(lines)


_HEADINGS = {"traceback": "tracebacks", "internal-error": "internal errors", "hang": "hangs", "read-outside": "reads outside",
             "write-outside": "writes outside", "data-loss": "data loss", "formula": "xlsx formulas"}


def hostile_table(after: dict[str, dict[str, int]], before: dict | None = None) -> str:
    """Failed runs per command and kind, ``before -> now``, as Markdown.

    Examples:
        >>> row = {"runs": 2, **{k: 0 for k in hostile.FAILURES}}
        >>> print(hostile_table({"show": row}, {"counts": {"show": dict(row, traceback=2)}}).splitlines()[2])
        | `show` | 2 | 2 → **0** | 0 → **0** | 0 → **0** | 0 → **0** | 0 → **0** | 0 → **0** | 0 → **0** |
    """
    before_counts = (before or {}).get("counts", {})
    kinds = list(hostile.FAILURES)
    lines = ["| command | runs | " + " | ".join(_HEADINGS[k] for k in kinds) + " |", "|---|---:|" + "---:|" * len(kinds)]
    for cmd, row in after.items():
        old = before_counts.get(cmd)
        cells = []
        for k in kinds:
            was = "—" if old is None or k not in old else str(old[k])
            cells.append(f"{was} → **{row[k]}**")
        lines.append(f"| `{cmd}` | {row['runs']} | " + " | ".join(cells) + " |")
    total = {k: sum(r[k] for r in after.values()) for k in ["runs", *kinds]}
    lines.append(f"| all | {total['runs']} | " + " | ".join(
        f"{sum(before_counts.get(c, {}).get(k, 0) for c in after) if before_counts else '—'} → **{total[k]}**" for k in kinds) + " |")
    return "\n".join(lines)


def baseline() -> dict | None:
    """The recorded counts for the code before the package model, if present."""
    return json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.is_file() else None


def render(doc: str, outcomes: list[Outcome], hostile_counts: dict | None = None) -> str:
    """Replace each generated block of ``doc`` with fresh content.

    Examples:
        >>> block = "<!-- BEGIN generated: {0} x -->" + chr(10) + "STALE" + chr(10) + "<!-- END generated: {0} -->" + chr(10)
        >>> doc = "".join(block.format(n) for n in ("summary", "defects", "codes"))
        >>> "STALE" in render(doc, [])
        False
    """
    blocks = {"summary": summary_table(outcomes), "defects": defect_table(outcomes), "codes": codes_table()}
    if hostile_counts is not None:
        blocks["hostile"] = hostile_table(hostile_counts, baseline())
    for name, body in blocks.items():
        doc = replace_block(doc, name, body)
    return doc


def replace_block(doc: str, name: str, body: str) -> str:
    """``doc`` with the generated block ``name`` holding ``body``."""
    pattern = re.compile(rf"(<!-- BEGIN generated: {name} .*?-->\n).*?(<!-- END generated: {name} -->)", re.S)
    if not pattern.search(doc):
        raise SystemExit(f"{DOC}: the marker for the generated block {name!r} is missing")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), doc)


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring); exit 1 on a missed or
    crashing defect, or with --check on a stale page."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--write", action="store_true", help="regenerate the tables in docs/reliability.md")
    g.add_argument("--check", action="store_true", help="exit 1 if docs/reliability.md is stale")
    ap.add_argument("--source-text", default=None, help="the guide's text (default: found as validate finds it)")
    args = ap.parse_args(argv)
    guide = find_source_text(args.source_text)
    outcomes = run_all(guide)
    for o in outcomes:
        if o.status not in ("caught",):
            print(f"{o.status}: {o.name}: {o.detail}", file=sys.stderr)
    print(summary_table(outcomes))
    runs = hostile.run_all()
    for r in runs:
        if r.failures:
            print(f"hostile: {r.case}: {r.command}: {', '.join(r.failures)}: {r.detail}", file=sys.stderr)
    counts = hostile.counts(runs)
    print(hostile_table(counts, baseline()))
    current = DOC.read_text(encoding="utf-8")
    new = render(current, outcomes, counts)
    if args.check:
        if new != current:
            print(f"{DOC.relative_to(ROOT)} is stale: run python tools/defect_report.py --write", file=sys.stderr)
            return 1
        return 0
    if args.write:
        DOC.write_text(new, encoding="utf-8", newline="\n")
        print(f"wrote {DOC.relative_to(ROOT)}")
    bad = sum(o.status in ("missed", "crash") for o in outcomes) + sum(bool(r.failures) for r in runs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
