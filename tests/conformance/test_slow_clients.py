"""The slow clients: LibreOffice on the xlsx export, and R (readr) as docs/use-it-from.md shows it.

Each starts a program that takes seconds to load, so they live here; each
skips, saying why, where the program is not installed.
"""

from __future__ import annotations

import csv
import json

import pytest
from _snippets import shell_env, snippet
from _values import mismatches, same, tables
from _clients import need_command, need_export, run

TABLES = tables()

# LibreOffice's CSV export filter: comma, double quote, UTF-8, every sheet to its own file (token 12 = -1).
LO_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def lo_same(got, text, type_):
    if type_ == "boolean" and text:  # LibreOffice writes its booleans as TRUE / FALSE
        return got == text.upper()
    return same(got, text, type_, as_text=True)


@pytest.mark.client("LibreOffice", "xlsx export", "soffice --headless --convert-to csv (every sheet)")
def test_libreoffice_converts_every_sheet_to_the_same_values(exports, tmp_path):
    exe = need_command("soffice")
    xlsx = need_export(exports, "xlsx")
    profile = (tmp_path / "profile").as_uri()
    got = run([exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", LO_FILTER,
               "--outdir", str(tmp_path / "out"), str(xlsx)], timeout=240)
    assert got.returncode == 0, got.stderr[-800:]
    for name in TABLES:
        with open(tmp_path / "out" / f"{xlsx.stem}-{name}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert mismatches(name, [dict(zip(rows[0], r)) for r in rows[1:]], check=lo_same) == []


R_CLASSES = {"string": "character", "integer": "integer", "year": "integer", "number": "numeric", "boolean": "logical", "date": "Date"}

R_DUMP = """
out <- list()
for (name in c({names})) {{
  t <- read_table(name)
  out[[name]] <- list(classes = as.list(vapply(t, function(x) class(x)[1], "")),
                      rows = t)
}}
cat(toJSON(out, dataframe = "rows", na = "null", Date = "ISO8601", digits = NA, auto_unbox = TRUE))
"""


def r_same(got, text, type_):
    if type_ == "date" and text:  # JSON has no date: R's Date prints as YYYY-MM-DD; its class is checked apart
        return got == text
    return same(got, text, type_)


@pytest.mark.client("R readr", "data/*.csv", "docs/use-it-from.md: read_csv(T, col_types from schemas/T.json, na = \"\")")
def test_r_readr_snippet_reads_every_value_typed(tmp_path):
    exe = need_command("Rscript")
    need_command("unzip")
    got = run(["bash", "-e", "-c", snippet("get-the-files", "bash")], cwd=tmp_path, env=shell_env())
    assert got.returncode == 0, got.stderr
    folder = tmp_path / "improvement-evidence"
    script = snippet("r-readr", "r") + R_DUMP.format(names=", ".join(f'"{n}"' for n in TABLES))
    (tmp_path / "check.R").write_text(script, encoding="utf-8")
    got = run([exe, str(tmp_path / "check.R")], cwd=folder, timeout=240)
    if got.returncode != 0 and "there is no package called" in got.stderr:
        pytest.skip(f"an R package is missing here: {got.stderr.strip().splitlines()[-1]}")
    assert got.returncode == 0, got.stderr[-800:]
    read = json.loads(got.stdout)
    for name in TABLES:
        schema = json.loads((folder / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
        assert read[name]["classes"] == {f["name"]: R_CLASSES[f["type"]] for f in schema["fields"]}, name
        rows = read[name]["rows"]
        assert mismatches(name, rows if isinstance(rows, list) else [], check=r_same, root=folder) == []
