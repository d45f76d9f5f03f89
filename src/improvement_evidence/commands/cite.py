"""``improvement-evidence cite``: how to cite this version (and the guide)."""

from __future__ import annotations

import sys

from . import add_path_option, package_arg


def register(sub):
    from ..citation import FORMATS

    p = sub.add_parser(
        "cite",
        help="print a citation of this dataset version (and of the guide)",
        description=(
            "Print a citation of this version of the dataset, with its content hash, "
            "followed by the guide it is built from, which should be cited as well."
        ),
    )
    p.add_argument("--format", choices=FORMATS, default="apa", help="citation format (default: apa)")
    add_path_option(p)
    p.add_argument(
        "--no-hash", action="store_true",
        help="leave out the content hash (how the repository's CITATION.cff is written)",
    )
    return p


def run(args) -> int:
    from ..citation import cite

    text = cite(args.format, package_arg(args), content_hash=not args.no_hash)
    sys.stdout.write(text)
    return 0
