"""``improvement-evidence show TABLE``: print a table."""

from __future__ import annotations

import sys

from ..cli import CliError


def register(sub):
    p = sub.add_parser(
        "show",
        help="print one table as CSV (default) or aligned text",
        description="Print one table of the bundled data package (or of PATH) to standard output.",
    )
    p.add_argument("table", help="table name (see `improvement-evidence info`)")
    p.add_argument("--path", default=None, help="a datapackage.json or its folder (default: the bundled package)")
    p.add_argument("--format", choices=["csv", "text"], default="csv", help="output format (default: csv, byte-identical to the shipped file)")
    return p


def run(args) -> int:
    from .. import list_tables, load_table
    from ..csvio import write_csv

    names = list_tables(args.path)
    if args.table not in names:
        raise CliError(f"no table named {args.table!r}; valid names are: {', '.join(names)}")
    df = load_table(args.table, args.path)
    if args.format == "csv":
        sys.stdout.write(write_csv(df, args.table, args.path))
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            print(df.to_string(index=False))
    return 0
