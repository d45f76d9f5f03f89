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
    p.add_argument("--format", choices=["csv", "text", "figures"], default="csv",
                   help="output format (default: csv, byte-identical to the shipped file); 'figures' (metrics only): "
                        "one line per figure, worded as on the portal and in the briefs")
    p.add_argument("--benefit", metavar="ID", help="with --format figures: only this benefit's figures")
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
    if args.format == "figures":
        return _figures(pkg, args)
    if args.benefit:
        raise UsageError("--benefit goes with --format figures")
    df = read_table(pkg, args.table)
    if args.format == "csv":
        sys.stdout.write(write_csv(df, args.table, pkg.descriptor_path))
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            print(df.to_string(index=False))
    return 0


def _figures(pkg, args) -> int:
    """One line per figure from the shared renderer (:mod:`improvement_evidence.figures`)."""
    from ..errors import UsageError
    from ..figures import render_all
    from ..load import load

    if args.table != "metrics":
        raise UsageError(f"--format figures shows the metrics table; found {args.table!r}")
    data = load(pkg.descriptor_path)
    if args.benefit is not None and args.benefit not in set(data["benefits"]["benefit_id"]):
        raise UsageError(f"no benefit {args.benefit!r}; valid benefit_id values are: {', '.join(data['benefits']['benefit_id'])}")
    for fig in render_all(data, benefit_id=args.benefit):
        print(f"{fig.metric_id}: {fig.line()}")
    return 0
