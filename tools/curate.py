"""Derive what can be derived, then put every CSV in canonical form.

    python tools/curate.py            # fill locators, canonicalise, refresh hashes
    python tools/curate.py --check    # exit 1 if anything would change

Derived columns are never typed by hand:

* ``section``, ``page``, ``page_end``, ``page_basis`` of every row drawn from
  the guide come from locating its heading or quote in the guide's text
  (:mod:`improvement_evidence.provenance`); an example's locator is that of
  its earliest quote in ``example_benefits``;
* ``evidence_ratings`` is rebuilt by the published rules (tools/build_ratings.py).

Needs the guide's text (``IMPROVEMENT_EVIDENCE_SOURCE_TEXT`` or
``../shared/source/``).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import build_ratings  # tools/ is on sys.path when this file is run as a script
import refresh_package

ROOT = Path(__file__).resolve().parents[1]

from improvement_evidence.provenance import GuideText, find_source_text  # noqa: E402

LOCATOR = ["section", "page", "page_end", "page_basis"]


def read_rows(name: str) -> tuple[list[str], list[dict]]:
    text = (ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def render(name: str, header: list[str], rows: list[dict]) -> str:
    """Rows of cell texts in the canonical CSV form (improvement_evidence.csvio)."""
    import json

    from improvement_evidence.csvio import render_csv

    fields = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))["fields"]
    by_name = {f["name"]: f.get("type", "string") for f in fields}
    return render_csv(header, ([r[h] for h in header] for r in rows), [by_name.get(h, "string") for h in header])


def set_locator(row: dict, loc) -> None:
    row.update(section=loc.section, page=str(loc.page), page_end=str(loc.page_end), page_basis=loc.page_basis)


def fill_locators(guide: GuideText) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, col in (("areas", "heading"), ("benefits", "heading")):
        header, rows = read_rows(name)
        for r in rows:
            set_locator(r, guide.locate(r[col]))
        out[name] = render(name, header, rows)
    header, links = read_rows("example_benefits")
    first: dict[str, tuple] = {}
    for r in links:
        loc = guide.locate(r["quote"])
        set_locator(r, loc)
        key = (int(loc.page), guide._word_offset(r["quote"])[0])
        if r["example_id"] not in first or key < first[r["example_id"]][0]:
            first[r["example_id"]] = (key, loc)
    out["example_benefits"] = render("example_benefits", header, links)
    header, rows = read_rows("examples")
    for r in rows:
        if r["example_id"] in first:
            set_locator(r, first[r["example_id"]][1])
    out["examples"] = render("examples", header, rows)
    header, rows = read_rows("metrics")
    for r in rows:
        if r["reported_in"] == "guide":
            set_locator(r, guide.locate(r["quote"]))
        else:
            r.update({k: "" for k in LOCATOR})
    out["metrics"] = render("metrics", header, rows)
    return out


def canonical(name: str) -> str:
    from improvement_evidence.csvio import write_csv
    from improvement_evidence.load import load_table

    return write_csv(load_table(name, ROOT), name, ROOT)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="report files that would change and exit 1; write nothing")
    args = ap.parse_args(argv)
    src = find_source_text()
    if src is None:
        print("curate: the guide's text was not found; set IMPROVEMENT_EVIDENCE_SOURCE_TEXT", file=sys.stderr)
        return 2
    guide = GuideText.from_path(src)
    before = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "data").glob("*.csv")}
    derived = fill_locators(guide)
    if args.check:
        stale = [n for n, t in derived.items() if t != before.get(n)]
        stale += [n for n in before if n not in derived and canonical(n) != before[n]]
        if refresh_package.dump(refresh_package.build()) != (ROOT / "datapackage.json").read_text(encoding="utf-8"):
            stale.append("datapackage.json")
        if build_ratings.main(["--check"]) != 0:
            stale.append("evidence_ratings")
        for n in stale:
            print(f"stale: {n}", file=sys.stderr)
        return 1 if stale else 0
    for n, t in derived.items():
        (ROOT / "data" / f"{n}.csv").write_text(t, encoding="utf-8", newline="")
    refresh_package.main([])
    for n in before:
        (ROOT / "data" / f"{n}.csv").write_text(canonical(n), encoding="utf-8", newline="")
    refresh_package.main([])
    # The ratings are computed from nearly every table: rebuild them last.
    build_ratings.main([])
    refresh_package.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
