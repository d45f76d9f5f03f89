"""``improvement-evidence diff OLD NEW``: what changed, and the bump it needs."""

from __future__ import annotations

import json
import sys



def register(sub):
    p = sub.add_parser(
        "diff",
        help="compare two versions of the data package",
        description=(
            "Compare two data packages (each a datapackage.json or its folder): rows added, removed "
            "and changed per table by primary key, schema changes, and the version bump they imply "
            "under docs/versioning.md. Exit 0 when identical, 1 when different, 2 on unreadable input."
        ),
    )
    p.add_argument("old", metavar="OLD", help="the earlier package")
    p.add_argument("new", metavar="NEW", help="the later package")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    return p


def run(args) -> int:
    from ..diff import diff

    report = diff(args.old, args.new)
    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n" if args.format == "json" else report.to_text()
    sys.stdout.write(text)
    return 0 if report.identical else 1
