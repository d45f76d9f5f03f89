"""Regenerate data/evidence_ratings.csv from the other tables by the published rules.

    python tools/build_ratings.py           # write the table, then refresh datapackage.json
    python tools/build_ratings.py --check   # exit 1 if the shipped table is stale; write nothing

The rules are in src/improvement_evidence/ratings.py and docs/rating-rules.md.
Run this after any change to benefits, example_benefits, metrics, evaluations,
study_designs, sources, example_sources or rating_overrides. The table is never
edited by hand: to change a rating, change the data or add a curator override
(with its rationale) to data/rating_overrides.csv.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import refresh_package  # tools/ is on sys.path when this file is run as a script

from improvement_evidence import _resources
from improvement_evidence.csvio import write_csv

ROOT = Path(__file__).resolve().parents[1]
from improvement_evidence.ratings import compute_ratings  # noqa: E402

TABLE = "evidence_ratings"
OUT = ROOT / "data" / f"{TABLE}.csv"


def render(register: bool = True) -> tuple[str | None, int]:
    """The table the rules give on the data in this checkout, as canonical CSV
    text, and its number of rows. Text is None when the table is not yet
    registered in datapackage.json and ``register`` is False."""
    frame = compute_ratings(ROOT)
    if TABLE not in _resources.resource_names(ROOT):
        if not register:
            return None, len(frame)
        # write_csv finds the schema through datapackage.json: register the
        # table first (refresh_package needs a file, so write its header).
        if not OUT.exists():
            OUT.write_text(",".join(frame.columns) + "\n", encoding="utf-8", newline="")
        refresh_package.main([])

    return write_csv(frame, TABLE, ROOT), len(frame)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if data/evidence_ratings.csv differs from what the rules give")
    args = ap.parse_args(argv)
    try:
        text, n = render(register=not args.check)
    except (KeyError, ValueError, FileNotFoundError) as exc:
        print(f"build_ratings: {exc}", file=sys.stderr)
        return 2
    current = OUT.read_text(encoding="utf-8") if OUT.exists() else None
    if args.check:
        if text is None or text != current:
            print(f"stale: {OUT.relative_to(ROOT)} differs from the rules' output (or is not in datapackage.json); run python tools/build_ratings.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8", newline="")
    refresh_package.main([])
    print(f"{OUT.relative_to(ROOT)}: {n} benefits rated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
