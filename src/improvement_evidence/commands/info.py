"""``improvement-evidence info``: version, tables and how to cite."""

from __future__ import annotations

import json

from . import add_path_option, package_arg


def register(sub):
    p = sub.add_parser(
        "info",
        help="show the version, the tables with row counts, and how to cite",
        description="Show the data package version, each table with its row count and description, and how to cite this version.",
    )
    add_path_option(p)
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    return p


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def run(args) -> int:
    from ..load import read_table
    from ..package import Package

    pkg = Package.open(package_arg(args))
    tables = [
        {"name": r.name, "rows": int(len(read_table(pkg, r.name))), "description": _text(r.entry.get("description"))}
        for r in pkg.resources
    ]
    desc = pkg.descriptor
    name = _text(desc.get("name")) or "(unnamed)"
    if args.format == "json":
        print(json.dumps({"name": name, "version": pkg.version, "tables": tables}, indent=2))
        return 0
    print(_text(desc.get("title")) or name)
    print(f"version {pkg.version}\n")
    width = max(len(t["name"]) for t in tables)
    for t in tables:
        print(f"  {t['name']:<{width}}  {t['rows']:>4} rows  {t['description']}")
    print("\nHow to cite: improvement-evidence cite --format apa (or bibtex, ris, csl-json, cff).")
    print("Please cite the guide as well: Jones B, Pereira P. A guide to making the case for improvement. The Health Foundation.")
    return 0
