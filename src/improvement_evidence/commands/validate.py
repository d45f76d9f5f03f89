"""``improvement-evidence validate [PATH | --path PKG]``: check a copy of the data package.

Exit status: 0 valid, 1 invalid (the report lists every problem), 2 when
PATH does not exist or is a folder without datapackage.json, or
--source-text does not exist (a usage error, not a verdict on a package).
Never a traceback, whatever the files hold.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UsageError
from . import add_path_option, package_arg


def register(sub):
    """Add the ``validate`` verb to the CLI's subparsers.

    Examples:
        >>> import argparse
        >>> sub = argparse.ArgumentParser().add_subparsers()
        >>> register(sub).parse_args(["pkg", "--format", "json"]).format
        'json'
    """
    p = sub.add_parser(
        "validate",
        help="check a data package: files, types, keys, cross-table rules, quotes",
        description=(
            "Validate a copy of the data package (default: the bundled one) and list every problem, "
            "grouped by table, with row and field. Exit 0 if valid, 1 if not, 2 if PATH does not exist."
        ),
    )
    add_path_option(p, positional=True)
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument("--source-text", default=None, metavar="FILE",
                   help="the guide's text, to check quotes and page locators "
                        "(default: $IMPROVEMENT_EVIDENCE_SOURCE_TEXT or ../shared/source/)")
    return p


def run(args) -> int:
    """Validate and print the report; return the exit status.

    Examples:
        >>> import argparse
        >>> run(argparse.Namespace(path=None, path_positional=None, format="text", source_text=None))  # doctest: +ELLIPSIS
        /...datapackage.json
        VALID: no problems found
        ...
        0
    """
    from ..validation import validate

    path = package_arg(args)
    if path is not None:
        p = Path(path)
        if not p.exists() and not p.is_symlink():
            raise UsageError(f"{path}: no such file or folder; give a datapackage.json or the folder holding it")
        if p.is_dir() and not (p / "datapackage.json").exists() and not (p / "datapackage.json").is_symlink():
            raise UsageError(f"{path}: this folder has no datapackage.json; give a data package's folder or its datapackage.json")
    if args.source_text is not None and not Path(args.source_text).is_file():
        raise UsageError(f"--source-text {args.source_text}: no such file")
    report = validate(path, source_text=args.source_text)
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        sys.stdout.write(str(report))
    return 0 if report.valid else 1
