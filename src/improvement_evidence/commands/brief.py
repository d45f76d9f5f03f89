"""``improvement-evidence brief``: an evidence brief for one of the guide's audiences."""

from __future__ import annotations

import sys

from ..errors import UsageError


def register(sub):
    p = sub.add_parser(
        "brief",
        help="write an evidence brief for a policy, executive, operational or front-line audience",
        description=(
            "Write an evidence brief for one of the four audiences the guide names: its benefits, the guide's words, "
            "the strength of the evidence and every figure with its verification status, with references. Which benefits "
            "an audience gets is the dataset maintainers' judgement (the benefit_audiences table); --benefit and --area override it."
        ),
    )
    p.add_argument("--audience", required=True, metavar="AUDIENCE", help="policy, executive, operational or front-line")
    p.add_argument("--benefit", action="append", default=None, metavar="ID", help="a benefit_id to cover (repeatable); replaces the default selection")
    p.add_argument("--area", action="append", default=None, metavar="ID", help="an area_id whose benefits to cover (repeatable); replaces the default selection")
    p.add_argument("--format", default="md", metavar="FORMAT", help="md (default), html, docx or json; docx needs -o")
    p.add_argument("-o", "--output", default=None, metavar="FILE", help="write to FILE (atomically) instead of standard output")
    p.add_argument("--path", default=None, help="a datapackage.json or its folder (default: the installed package); validated first")
    return p


def run(args) -> int:
    from ..briefs import FORMATS, brief

    if args.format not in FORMATS:
        raise UsageError(f"unknown format {args.format!r}; valid formats are: {', '.join(FORMATS)}")
    if args.format == "docx" and not args.output:
        raise UsageError("the docx format is a binary file: give -o FILE, for example -o brief.docx")
    out = brief(args.audience, args.benefit, args.area, format=args.format, path=args.path)  # BriefError: one line, from cli.main
    if args.output:
        from ..briefs.write import write_atomic

        write_atomic(out, args.output)
    else:
        sys.stdout.write(out)
    return 0
