"""The files the site serves, built with the site, and the page that lists them.

Everything under ``downloads/`` on the site is written here by the package's
own exporters (``improvement_evidence.export``), except the table CSVs, which
are copied from ``data/`` so they are the released files byte for byte.
``SHA256SUMS`` covers every file; the page gives the version, the content hash
and how to verify a download.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from .read import Package

PAGE = "downloads.md"
FOLDER = "downloads"
SUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Download:
    path: str  # relative to the downloads folder, e.g. "metrics.csv" or "parquet/metrics.parquet"
    what: str
    group: str
    size: int
    sha256: str


def _sha256(file: Path) -> str:
    h = hashlib.sha256()
    with open(file, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def human_size(n: int) -> str:
    """Bytes for people.

    Examples:
        >>> human_size(512), human_size(2048), human_size(3_500_000)
        ('512 bytes', '2 KB', '3.3 MB')
    """
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{round(n / 1024):,} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def build(pkg: Package, out: Path) -> list[Download]:
    """Write every download into ``out`` (emptied first) and return them, with ``SHA256SUMS`` last."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    stem = f"improvement-evidence-{pkg.version}"
    made: list[tuple[str, str, str]] = []
    pkg.export("zip", out / f"{stem}.zip")
    made.append((f"{stem}.zip", "The whole data package: datapackage.json, schemas and every CSV.", "package"))
    scratch = out.parent / (out.name + ".csv-export")
    if scratch.exists():
        shutil.rmtree(scratch)
    pkg.export("csv", scratch)
    if (scratch / "evidence.csv").is_file():
        shutil.copyfile(scratch / "evidence.csv", out / "evidence.csv")
        made.append(("evidence.csv", "The tidy evidence view: one row per figure with its example, benefit, area, "
                     "short citation and best study design (improvement_evidence.evidence()).", "package"))
    shutil.rmtree(scratch)
    pkg.export("xlsx", out / f"{stem}.xlsx")
    made.append((f"{stem}.xlsx", "Every table as a sheet, with a README sheet and a codebook.", "package"))
    pkg.export("sqlite", out / f"{stem}.sqlite")
    made.append((f"{stem}.sqlite", "Every table in one SQLite database, with its keys and constraints.", "package"))
    pkg.export("parquet", out / "parquet")
    for name in pkg.names:
        made.append((f"parquet/{name}.parquet", f"{name} as Parquet, keeping every dtype.", "parquet"))
    shutil.copyfile(pkg.path / "datapackage.json", out / "datapackage.json")
    made.append(("datapackage.json", "The package descriptor: tables, schemas, version, hash of every file.", "table"))
    for name in pkg.names:
        rel = pkg.resource(name)["path"]
        shutil.copyfile(pkg.path / rel, out / f"{name}.csv")  # the released file, byte for byte
        made.append((f"{name}.csv", pkg.resource(name).get("description", ""), "table"))
    downloads = [Download(p, what, group, (out / p).stat().st_size, _sha256(out / p)) for p, what, group in made]
    sums = "".join(f"{d.sha256}  {d.path}\n" for d in downloads)
    (out / SUMS).write_text(sums, encoding="utf-8", newline="\n")
    downloads.append(Download(SUMS, "SHA-256 of every file above (sha256sum -c SHA256SUMS).", "check",
                              (out / SUMS).stat().st_size, _sha256(out / SUMS)))
    return downloads


def page(pkg: Package, downloads: list[Download]) -> str:
    from .markup import BANNER, card_table, esc

    stem = f"improvement-evidence-{pkg.version}"

    def rows(group: str) -> list[list[str]]:
        return [[f'<a href="{esc(d.path)}" download>{esc(d.path)}</a>', esc(d.what), esc(human_size(d.size)),
                 f'<code class="ie-hash">{d.sha256}</code>'] for d in downloads if d.group == group]

    header = ["file", "what it is", "size", "SHA-256"]
    out = [
        "---\nhide:\n  - toc\n---\n",
        BANNER,
        "# Downloads\n",
        "Every file below is built from the data package by the same command that builds this site, "
        "so the files and the pages cannot disagree.\n",
        f'<p class="ie-version">Version <strong>{esc(pkg.version)}</strong></p>\n'
        f'<p class="ie-version">Content hash <code class="ie-hash">{esc(pkg.content_hash)}</code></p>\n',
        "Cite the version and the content hash you used ([Cite](cite.md)). The content hash is computed from "
        "the data files, so it identifies the data exactly, whichever format you download.\n",
        f'<p><a class="md-button md-button--primary" href="{esc(stem)}.zip" download>Download the whole package (zip)</a> '
        f'<a class="md-button" href="{esc(stem)}.xlsx" download>Excel workbook</a> '
        f'<a class="md-button" href="evidence.csv" download>Tidy evidence CSV</a></p>\n',
        "## The package and its views\n",
        card_table(header, rows("package"), cls="ie-downloads") + "\n",
        "## One CSV per table\n",
        "These are the files in the package's `data/` folder, byte for byte (UTF-8, LF line endings, a header row), "
        "with the descriptor that types them. What each field means: [data dictionary](data-dictionary.md).\n",
        card_table(header, rows("table"), cls="ie-downloads") + "\n",
        "## Parquet\n",
        "One file per table, keeping every dtype (categoricals, nullable integers, dates); read one with "
        "`improvement_evidence.export.read_parquet(path)`.\n",
        card_table(header, rows("parquet"), cls="ie-downloads") + "\n",
        "## Check a download\n",
        card_table(header, rows("check"), cls="ie-downloads") + "\n",
        "Check that the files arrived intact, then that the data are the released data:\n",
        "```bash\n"
        "sha256sum -c --ignore-missing SHA256SUMS      # each file you downloaded: OK\n"
        f"unzip {stem}.zip -d improvement-evidence\n"
        "improvement-evidence verify improvement-evidence   # every data file against datapackage.json\n"
        "```\n",
        f"`verify` recomputes the hash of every data file, compares it with `datapackage.json` and prints the "
        f"content hash, which should read `{pkg.content_hash}`. On macOS use `shasum -a 256 -c SHA256SUMS`. "
        "The same command checks the copy that `pip install improvement-evidence` installs: "
        "`improvement-evidence verify`.\n",
        "## Licence\n",
        "The curation (tables, summaries, findings, codes) is released under "
        "[CC-BY-4.0](https://creativecommons.org/licenses/by/4.0/). Quoted spans of the guide remain © The Health "
        "Foundation, reproduced as short attributed quotations. Please cite the guide as well as this dataset.\n",
    ]
    return "\n".join(out)
