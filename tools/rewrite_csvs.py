"""Rewrite every data/*.csv in the canonical CSV form, then refresh datapackage.json.

    python tools/rewrite_csvs.py           # rewrite the files that differ
    python tools/rewrite_csvs.py --check   # exit 1 if any file is not canonical; write nothing
    python tools/rewrite_csvs.py --package tests/data/mini-package   # another package folder

The canonical form is :mod:`improvement_evidence.csvio` (text cells quoted,
numbers, booleans and dates bare, LF line ends). Each table is read with
its schema and written back, so a value never changes, only its quoting.
Unlike ``tools/curate.py`` this needs no guide text and derives nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import refresh_package  # noqa: E402

from improvement_evidence.csvio import write_csv  # noqa: E402
from improvement_evidence.load import load_table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if any data file is not in canonical form")
    ap.add_argument("--package", type=Path, default=ROOT, help="the package folder (default: this repository)")
    args = ap.parse_args(argv)
    root = args.package.resolve()
    desc_file = root / "datapackage.json"
    desc = json.loads(desc_file.read_text(encoding="utf-8"))
    stale = []
    for res in desc["resources"]:
        name, csv_file = res["name"], root / res["path"]
        text = write_csv(load_table(name, root), name, root)
        if text.encode("utf-8") != csv_file.read_bytes():
            stale.append(name)
            if not args.check:
                csv_file.write_text(text, encoding="utf-8", newline="")
    if args.check:
        for name in stale:
            print(f"not canonical: data/{name}.csv; run python tools/rewrite_csvs.py", file=sys.stderr)
        return 1 if stale else 0
    if root == ROOT:
        refresh_package.main([])
    else:  # a package this tool does not own the layout of: update its entries in place
        for res in desc["resources"]:
            raw = (root / res["path"]).read_bytes()
            entry = {}
            for key, value in res.items():
                if key == "dialect":
                    continue
                entry[key] = value
                if key == "encoding":
                    entry["dialect"] = dict(refresh_package.DIALECT)
            entry["bytes"], entry["hash"] = len(raw), "sha256:" + hashlib.sha256(raw).hexdigest()
            res.clear()
            res.update(entry)
        desc_file.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    print(f"rewrote {len(stale)} file(s): {', '.join(stale) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
