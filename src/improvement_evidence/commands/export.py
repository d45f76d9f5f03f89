"""``improvement-evidence export --format FORMAT OUT``: release artefacts."""

from __future__ import annotations

from . import add_path_option, package_arg


def register(sub):
    from ..export import FORMATS

    p = sub.add_parser(
        "export",
        help="write the data as a zip, Parquet, SQLite, Excel or CSV export",
        description=(
            "Write the data package (the installed one, or --path) in another format. "
            "zip: the data package as one file; parquet: a folder, one file per table, dtypes kept; "
            "sqlite: one database with keys and constraints declared; xlsx: a workbook with a README "
            "and a codebook, no cell runs as a formula; csv: a folder with the tidy evidence view and "
            "every table. The same data gives the same bytes (SOURCE_DATE_EPOCH sets archive timestamps). "
            "parquet and xlsx need: pip install 'improvement-evidence[export]'."
        ),
    )
    p.add_argument("out", metavar="OUT", help="the file (zip, sqlite, xlsx) or folder (parquet, csv) to write")
    p.add_argument("--format", choices=FORMATS, required=True, help="export format")
    add_path_option(p)
    p.add_argument("--force", action="store_true",
                   help="replace an existing OUT, only once the new export is complete (a folder must hold only a previous export)")
    return p


def run(args) -> int:
    from ..export import export

    out = export(args.format, args.out, package_arg(args), force=args.force)
    print(f"wrote {out}")
    return 0
