"""``improvement-evidence verify [PATH | --path PKG]``: are these the files that were released?"""

from __future__ import annotations

import json

from . import add_path_option, package_arg


def register(sub):
    p = sub.add_parser(
        "verify",
        help="check the data files against the hashes recorded in datapackage.json",
        description=(
            "Recompute the SHA-256 and byte count of every data file and compare them with "
            "datapackage.json; print the content hash that `cite` gives. "
            "Exit 0 when every file matches, 1 when any differs, 2 when the descriptor cannot be read."
        ),
    )
    add_path_option(p, positional=True)
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    return p


def run(args) -> int:
    from ..integrity import verify

    report = verify(package_arg(args))
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
        return 0 if report.ok else 1
    print(f"{report.descriptor} (version {report.version}): {len(report.files)} data files")
    for check in report.problems:
        print(f"  {check.message()}")
    for rel in report.unlisted:
        print(f"  {rel}: not listed in datapackage.json (not part of the package; ignored)")
    print(f"content hash recorded: {report.recorded_content_hash}")
    print(f"content hash of files: {report.actual_content_hash or 'cannot be computed: a file is missing'}")
    if report.ok:
        print("OK: every data file matches datapackage.json")
        return 0
    print(f"DIFFERENT: {len(report.problems)} of {len(report.files)} data files do not match datapackage.json")
    return 1
