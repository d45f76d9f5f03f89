"""Rebuild the resource list of datapackage.json from the files on disk.

Run after editing any CSV or schema:

    python tools/refresh_package.py          # rewrite hashes, bytes, titles
    python tools/refresh_package.py --check  # exit 1 if datapackage.json is stale

Only ``resources`` is rewritten; the version and every other top-level field
are edited by hand (the version bump is a decision, not a side effect).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The CSV dialect every data file is written in (improvement_evidence.csvio.DIALECT),
# declared on each resource so that readers need not guess it. Kept here as a
# literal so this tool runs without the package installed; a test checks the two agree.
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True, "lineTerminator": "\n"}

# Reading order for people: the guide's structure first, then the links and
# vocabularies, then sources and appraisal.
ORDER = [
    "areas", "benefits", "examples", "example_benefits", "metrics",
    "approaches", "example_approaches", "sources", "example_sources",
    "study_designs", "evaluations", "outcome_levels", "quality_dimensions",
    "evidence_ratings", "rating_overrides", "summary_anchors", "hedge_exceptions",
    "audiences", "benefit_audiences",
]


def resource_entry(name: str) -> dict:
    csv = ROOT / "data" / f"{name}.csv"
    schema = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    raw = csv.read_bytes()
    return {
        "name": name,
        "type": "table",
        "path": f"data/{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": dict(DIALECT),
        "title": schema.get("title", name),
        "description": schema.get("description", ""),
        "schema": f"schemas/{name}.json",
        "bytes": len(raw),
        "hash": "sha256:" + hashlib.sha256(raw).hexdigest(),
    }


def build() -> dict:
    desc = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    names = [n for n in ORDER if (ROOT / "schemas" / f"{n}.json").exists()]
    extra = sorted(p.stem for p in (ROOT / "schemas").glob("*.json") if p.stem not in ORDER)
    present = []
    for n in [*names, *extra]:
        if (ROOT / "data" / f"{n}.csv").exists():
            present.append(n)
        else:  # the tests fail on this; here it only warns, so work in progress can be refreshed
            print(f"refresh_package: schemas/{n}.json has no data/{n}.csv; left out", file=sys.stderr)
    desc["resources"] = [resource_entry(n) for n in present]
    return desc


def dump(desc: dict) -> str:
    return json.dumps(desc, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if datapackage.json is out of date")
    args = ap.parse_args(argv)
    new = dump(build())
    path = ROOT / "datapackage.json"
    if args.check:
        if path.read_text(encoding="utf-8") != new:
            print("datapackage.json is stale: run python tools/refresh_package.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, encoding="utf-8", newline="\n")
    print(f"datapackage.json: {len(json.loads(new)['resources'])} resources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
