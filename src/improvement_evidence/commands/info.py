"""``improvement-evidence info``: version, tables and how to cite."""

from __future__ import annotations

import json


def register(sub):
    p = sub.add_parser(
        "info",
        help="show the version, the tables with row counts, and how to cite",
        description="Show the data package version, each table with its row count and description, and how to cite this version.",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    return p


def run(args) -> int:
    from .. import __version__, descriptor, load

    desc = descriptor()
    ds = load()
    tables = [
        {"name": r["name"], "rows": int(len(ds[r["name"]])), "description": r.get("description", "")}
        for r in desc["resources"]
    ]
    if args.format == "json":
        print(json.dumps({"name": desc["name"], "version": __version__, "tables": tables}, indent=2))
        return 0
    print(f"{desc['title']}")
    print(f"version {__version__}\n")
    width = max(len(t["name"]) for t in tables)
    for t in tables:
        print(f"  {t['name']:<{width}}  {t['rows']:>4} rows  {t['description']}")
    print("\nHow to cite: improvement-evidence cite --format apa (or bibtex, ris, csl-json, cff).")
    print("Please cite the guide as well: Jones B, Pereira P. A guide to making the case for improvement. The Health Foundation.")
    return 0
