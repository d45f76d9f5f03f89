"""``improvement-evidence show TABLE``: print a table."""

from __future__ import annotations

import sys

from . import add_path_option, package_arg


def register(sub):
    p = sub.add_parser(
        "show",
        help="print one table as CSV (default) or aligned text",
        description="Print one table of the bundled data package (or of --path) to standard output.",
    )
    p.add_argument("table", help="table name (see `improvement-evidence info`)")
    add_path_option(p)
    p.add_argument("--format", choices=["csv", "text"], default="csv", help="output format (default: csv, byte-identical to the shipped file)")
    return p


def run(args) -> int:
    from ..csvio import write_csv
    from ..errors import UsageError
    from ..load import read_table
    from ..package import Package

    path = package_arg(args)
    pkg = Package.open(path)
    if args.table not in pkg.names:
        raise UsageError(f"no table named {args.table!r}; valid names are: {', '.join(pkg.names)}")
    df = read_table(pkg, args.table)
    if args.format == "csv":
        sys.stdout.write(write_csv(df, args.table, pkg.descriptor_path))
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            print(df.to_string(index=False))
    return 0
