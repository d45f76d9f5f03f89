"""The defect catalogue: real ways a copy of the data package goes wrong.

Each :class:`Defect` edits a temporary copy of the real package and returns
the error validation must report, as ``(code, table, row, field)``. Rows are
spreadsheet rows (header 1, first data row 2). After the edit the copy's
``bytes`` and ``hash`` are re-recorded with the same code as
tools/refresh_package.py, so each defect is caught for what it is and not
merely as a changed hash, except the defects that are about hashes, sizes or
the descriptor itself.

Used by tools/defect_report.py (the figures in docs/reliability.md) and
tests/test_defects.py (API and CLI). It lives in tools/ because a tool needs
it; tests import it from here (tools/ never imports tests/). Foreign-key defects are generated from
every ``foreignKeys`` entry in schemas/*.json, so a new key is covered
without editing this file.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE_ID = "no-such-id"

Expected = tuple[str, "str | None", "int | None", "str | None"]


@dataclass(frozen=True)
class Defect:
    """One defect class: ``mutate(root)`` edits a package copy and returns
    the (code, table, row, field) validation must report."""

    name: str
    description: str
    mutate: Callable[[Path], Expected]
    rehash: bool = True
    needs_guide: bool = False  # caught only by the checks against the guide's text


CATALOGUE: list[Defect] = []


def defect(name: str, *, rehash: bool = True, needs_guide: bool = False):
    """Register ``fn(root) -> expected`` as a defect; its docstring describes it."""

    def deco(fn):
        CATALOGUE.append(Defect(name, " ".join((fn.__doc__ or "").split()), fn, rehash, needs_guide))
        return fn

    return deco


# -- the package copy -------------------------------------------------------

def copy_package(dest: Path, src: Path = ROOT) -> Path:
    """Copy datapackage.json, data/ and schemas/ of ``src`` into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(src / "data", dest / "data")
    shutil.copytree(src / "schemas", dest / "schemas")
    return dest


def read_descriptor(root: Path) -> dict:
    """The parsed datapackage.json of the copy at ``root``."""
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def write_descriptor(root: Path, desc: dict) -> None:
    """Write ``desc`` as the copy's datapackage.json."""
    (root / "datapackage.json").write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def resource(desc: dict, name: str) -> dict:
    """The resource entry called ``name`` in ``desc``."""
    return next(r for r in desc["resources"] if r["name"] == name)


def schema(root: Path, name: str) -> dict:
    """The parsed Table Schema of ``name`` in the copy."""
    return json.loads((root / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def rehash(root: Path) -> None:
    """Re-record ``bytes`` and ``hash`` of every table whose file is in place,
    as tools/refresh_package.py records them
    (:func:`improvement_evidence.integrity.file_record`)."""
    from improvement_evidence.integrity import file_record

    desc = read_descriptor(root)
    for r in desc["resources"]:
        name = r.get("name")
        p = root / str(r.get("path"))
        if r.get("path") != f"data/{name}.csv" or not p.is_file():
            continue
        r.update(file_record(p.read_bytes()))
    write_descriptor(root, desc)


def apply(d: Defect, dest: Path, src: Path = ROOT) -> tuple[Path, Expected]:
    """Copy the package to ``dest``, apply defect ``d``; return (root, expected)."""
    root = copy_package(dest, src)
    expected = d.mutate(root)
    if d.rehash:
        rehash(root)
    return root, expected


# -- editing tables ---------------------------------------------------------

def csv_path(root: Path, name: str) -> Path:
    """Where table ``name``'s CSV is in the copy."""
    return root / "data" / f"{name}.csv"


def read_table(root: Path, name: str) -> tuple[list[str], list[list[str]]]:
    """(header, data rows) of a table, as strings."""
    with open(csv_path(root, name), encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def render(header: list[str], rows: list[list[str]], types: list[str] | None = None) -> str:
    """CSV text as the package writes it (text cells quoted by their schema
    type, LF); every column is taken as text when ``types`` is not given."""
    from improvement_evidence.csvio import render_csv

    return render_csv(header, rows, types or ["string"] * len(header))


def write_table(root: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    """Write a table back in the package's CSV form."""
    by_name = {f["name"]: f.get("type", "string") for f in schema(root, name)["fields"]}
    types = [by_name.get(h, "string") for h in header]
    csv_path(root, name).write_text(render(header, rows, types), encoding="utf-8", newline="")


def ensure_row(root: Path, name: str) -> None:
    """Give an empty table one valid row (a key defect needs a row to break)."""
    header, rows = read_table(root, name)
    if rows:
        return
    s = schema(root, name)
    refs = {}
    for fk in s.get("foreignKeys", []):
        ref = fk["reference"]
        rh, rr = read_table(root, ref["resource"])
        refs[fk["fields"][0]] = rr[0][rh.index(ref["fields"][0])]
    row = []
    for f in s["fields"]:
        c, t = f.get("constraints", {}), f.get("type", "string")
        if f["name"] in refs:
            v = refs[f["name"]]
        elif "enum" in c:
            v = c["enum"][0]
        elif t in ("integer", "number"):
            v = str(c.get("minimum", 0))
        elif t == "year":
            v = "2020"
        elif t == "date":
            v = "2020-01-01"
        elif t == "boolean":
            v = "true"
        elif "pattern" in c:
            v = "defect-row" if c.get("required") else ""
        elif c.get("required"):
            v = "A row the defect catalogue adds to an empty table for a key defect."
        else:
            v = ""
        row.append(v)
    write_table(root, name, header, [row])


def set_cell(root: Path, name: str, index: int, field: str, value: str) -> int:
    """Set one cell (``index`` counts data rows from 0); return its spreadsheet row."""
    header, rows = read_table(root, name)
    rows[index][header.index(field)] = value
    write_table(root, name, header, rows)
    return index + 2


def cell(root: Path, name: str, index: int, field: str) -> str:
    """One cell's text (``index`` counts data rows from 0)."""
    header, rows = read_table(root, name)
    return rows[index][header.index(field)]


def first_index(root: Path, name: str, pred) -> int:
    """Index of the first data row (as a dict) for which ``pred`` holds."""
    header, rows = read_table(root, name)
    return next(i for i, r in enumerate(rows) if pred(dict(zip(header, r))))


def edit_bytes(root: Path, name: str, fn) -> None:
    """Replace a table's file bytes with ``fn(bytes)``."""
    p = csv_path(root, name)
    p.write_bytes(fn(p.read_bytes()))


# -- columns ----------------------------------------------------------------

@defect("missing-column")
def _(root):
    """The last column of areas.csv is deleted."""
    header, rows = read_table(root, "areas")
    write_table(root, "areas", header[:-1], [r[:-1] for r in rows])
    return ("missing-label", "areas", 1, header[-1])


@defect("extra-column")
def _(root):
    """A column 'notes' the schema does not declare is appended to areas.csv."""
    header, rows = read_table(root, "areas")
    write_table(root, "areas", [*header, "notes"], [[*r, "x"] for r in rows])
    return ("extra-label", "areas", 1, "notes")


@defect("renamed-column")
def _(root):
    """The column 'label' of areas.csv is renamed 'name'."""
    header, rows = read_table(root, "areas")
    header[header.index("label")] = "name"
    write_table(root, "areas", header, rows)
    return ("incorrect-label", "areas", 1, "label")


@defect("duplicate-column-name")
def _(root):
    """Two columns of study_designs.csv carry the name 'label'."""
    header, rows = read_table(root, "study_designs")
    header[header.index("definition")] = "label"
    write_table(root, "study_designs", header, rows)
    return ("duplicate-label", "study_designs", 1, "definition")


# -- cells ------------------------------------------------------------------

@defect("wrong-type")
def _(root):
    """A page number in metrics.csv is written as a word."""
    return ("type-error", "metrics", set_cell(root, "metrics", 0, "page", "seven"), "page")


@defect("number-with-unit")
def _(root):
    """A metric value carries its unit ('24%') in a number column."""
    i = first_index(root, "metrics", lambda r: r["value"] != "")
    return ("type-error", "metrics", set_cell(root, "metrics", i, "value", cell(root, "metrics", i, "value") + "%"), "value")


@defect("out-of-range")
def _(root):
    """An area's order is 9 where the schema allows 1-4."""
    return ("constraint-error", "areas", set_cell(root, "areas", 0, "order", "9"), "order")


@defect("empty-required-value")
def _(root):
    """A benefit's summary is left empty."""
    return ("constraint-error", "benefits", set_cell(root, "benefits", 0, "summary", ""), "summary")


@defect("enum-violation")
def _(root):
    """A metric's unit is 'pounds', outside the unit vocabulary."""
    return ("constraint-error", "metrics", set_cell(root, "metrics", 0, "unit", "pounds"), "unit")


@defect("pattern-violation")
def _(root):
    """A source's DOI is written as a URL ('https://doi.org/...'), against the bare-DOI pattern."""
    i = first_index(root, "sources", lambda r: r["doi"] != "")
    return ("constraint-error", "sources", set_cell(root, "sources", i, "doi", "https://doi.org/" + cell(root, "sources", i, "doi")), "doi")


@defect("too-long-text")
def _(root):
    """A quote in example_benefits exceeds its maxLength of 600 characters."""
    return ("constraint-error", "example_benefits", set_cell(root, "example_benefits", 0, "quote", ("word " * 130).strip()), "quote")


@defect("very-large-field")
def _(root):
    """A benefit's summary is 100,000 characters long (a paste gone wrong)."""
    return ("field-too-large", "benefits", set_cell(root, "benefits", 0, "summary", "x" * 100_000), "summary")


@defect("formula-prefix-equals")
def _(root):
    """A benefit's summary starts with '=', which a spreadsheet runs as a formula."""
    return ("formula-prefix", "benefits", set_cell(root, "benefits", 1, "summary", '=HYPERLINK("http://example.org","x")'), "summary")


@defect("formula-prefix-at")
def _(root):
    """An example's setting starts with '@'."""
    return ("formula-prefix", "examples", set_cell(root, "examples", 0, "setting", "@SUM(1+1)"), "setting")


@defect("formula-prefix-plus")
def _(root):
    """An approach's definition starts with '+'."""
    return ("formula-prefix", "approaches", set_cell(root, "approaches", 0, "definition", "+1 more approach"), "definition")


@defect("formula-prefix-minus")
def _(root):
    """A source's verification note starts with '-'."""
    return ("formula-prefix", "sources", set_cell(root, "sources", 0, "verification_note", "-2+3 checked"), "verification_note")


@defect("non-canonical-number")
def _(root):
    """A metric value written '24.0' where the canonical form is '24'."""
    i = first_index(root, "metrics", lambda r: r["value"] not in ("", "0") and "." not in r["value"] and "e" not in r["value"])
    return ("non-canonical", "metrics", set_cell(root, "metrics", i, "value", cell(root, "metrics", i, "value") + ".0"), "value")


@defect("spreadsheet-boolean")
def _(root):
    """An example's named_in_guide written 'TRUE' (as a spreadsheet writes it) for 'true'."""
    i = first_index(root, "examples", lambda r: r["named_in_guide"] == "true")
    return ("non-canonical", "examples", set_cell(root, "examples", i, "named_in_guide", "TRUE"), "named_in_guide")


# -- keys -------------------------------------------------------------------

@defect("duplicate-primary-key")
def _(root):
    """The second approach is given the first approach's id."""
    return ("primary-key", "approaches", set_cell(root, "approaches", 1, "approach_id", cell(root, "approaches", 0, "approach_id")), None)


@defect("duplicate-compound-key")
def _(root):
    """A row of example_benefits is duplicated (the same example and benefit twice)."""
    header, rows = read_table(root, "example_benefits")
    write_table(root, "example_benefits", header, [*rows, rows[0]])
    return ("primary-key", "example_benefits", len(rows) + 2, None)


@defect("blank-key")
def _(root):
    """A study design's id is left blank."""
    return ("primary-key", "study_designs", set_cell(root, "study_designs", 0, "design_id", ""), None)


def _fk_defect(table: str, field: str, ref: str, ref_field: str):
    def mutate(root):
        ensure_row(root, table)
        return ("foreign-key", table, set_cell(root, table, 0, field, FAKE_ID), field)

    mutate.__doc__ = f"{table}.{field} names a {ref}.{ref_field} that does not exist."
    return mutate


def _register_foreign_keys() -> None:
    for path in sorted((ROOT / "schemas").glob("*.json")):
        s = json.loads(path.read_text(encoding="utf-8"))
        for fk in s.get("foreignKeys", []):
            own = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            fn = _fk_defect(path.stem, own[0], ref["resource"] or path.stem, ref_fields[0])
            defect(f"dangling-foreign-key:{path.stem}.{own[0]}")(fn)


_register_foreign_keys()


# -- identifiers ------------------------------------------------------------

@defect("zero-width-space-in-id")
def _(root):
    """An approach id has a zero-width space (U+200B) appended, invisible on screen."""
    return ("invisible-character", "approaches", set_cell(root, "approaches", 0, "approach_id", cell(root, "approaches", 0, "approach_id") + "\u200b"), "approach_id")


@defect("non-breaking-space-in-id")
def _(root):
    """A benefit id has a non-breaking space (U+00A0) in place of a hyphen."""
    v = cell(root, "benefits", 1, "benefit_id")
    return ("invisible-character", "benefits", set_cell(root, "benefits", 1, "benefit_id", v.replace("-", "\u00a0", 1)), "benefit_id")


@defect("leading-space-in-id")
def _(root):
    """An area id has a leading space."""
    return ("id-whitespace", "areas", set_cell(root, "areas", 2, "area_id", " " + cell(root, "areas", 2, "area_id")), "area_id")


@defect("trailing-space-in-id")
def _(root):
    """An example_benefits row's benefit_id has a trailing space."""
    return ("id-whitespace", "example_benefits", set_cell(root, "example_benefits", 0, "benefit_id", cell(root, "example_benefits", 0, "benefit_id") + " "), "benefit_id")


@defect("control-character-in-text")
def _(root):
    """A NUL byte sits inside an example's summary."""
    return ("invisible-character", "examples", set_cell(root, "examples", 1, "summary", "Before\x00after."), "summary")


# -- rules across rows and tables -------------------------------------------

@defect("range-inverted")
def _(root):
    """A metric's value_low is above its value_high."""
    i = first_index(root, "metrics", lambda r: r["value"] != "")
    set_cell(root, "metrics", i, "value_low", "100")
    return ("range-order", "metrics", set_cell(root, "metrics", i, "value_high", "1"), "value_low")


@defect("value-outside-range")
def _(root):
    """A metric's value lies outside its own value_low..value_high."""
    i = first_index(root, "metrics", lambda r: r["value"] != "" and r["value_high"] != "")
    high = float(cell(root, "metrics", i, "value_high"))
    return ("range-order", "metrics", set_cell(root, "metrics", i, "value", str(int(high) + 1000)), "value")


@defect("period-inverted")
def _(root):
    """An example's period_end is before its period_start."""
    set_cell(root, "examples", 0, "period_start", "2020")
    return ("period-order", "examples", set_cell(root, "examples", 0, "period_end", "2010"), "period_end")


@defect("period-inverted-evaluation")
def _(root):
    """An evaluation's study period ends before it starts."""
    set_cell(root, "evaluations", 0, "period_start", "2019")
    return ("period-order", "evaluations", set_cell(root, "evaluations", 0, "period_end", "2001"), "period_end")


@defect("page-inverted")
def _(root):
    """An area's page_end is before its page."""
    set_cell(root, "areas", 0, "page", "6")
    return ("page-order", "areas", set_cell(root, "areas", 0, "page_end", "5"), "page_end")


@defect("unlinked-example")
def _(root):
    """Every example_benefits row of one example is deleted."""
    header, rows = read_table(root, "example_benefits")
    gone = rows[0][header.index("example_id")]
    write_table(root, "example_benefits", header, [r for r in rows if r[header.index("example_id")] != gone])
    return ("unlinked-example", "examples", first_index(root, "examples", lambda r: r["example_id"] == gone) + 2, "example_id")


@defect("guide-figure-without-quote")
def _(root):
    """A figure reported in the guide has its quote removed."""
    i = first_index(root, "metrics", lambda r: r["reported_in"] == "guide")
    return ("missing-span", "metrics", set_cell(root, "metrics", i, "quote", ""), "quote")


@defect("guide-figure-without-page")
def _(root):
    """A figure reported in the guide has no page."""
    i = first_index(root, "metrics", lambda r: r["reported_in"] == "guide")
    return ("missing-locator", "metrics", set_cell(root, "metrics", i, "page", ""), "page")


@defect("area-disagrees-with-benefit")
def _(root):
    """A figure's area_id is another area than its benefit's."""
    i = first_index(root, "metrics", lambda r: r["benefit_id"] != "")
    header, areas = read_table(root, "areas")
    current = cell(root, "metrics", i, "area_id")
    other = next(r[header.index("area_id")] for r in areas if r[header.index("area_id")] != current)
    return ("area-mismatch", "metrics", set_cell(root, "metrics", i, "area_id", other), "area_id")


@defect("status-disagrees-with-origin")
def _(root):
    """A figure reported in the guide is marked verification_status primary_source."""
    i = first_index(root, "metrics", lambda r: r["reported_in"] == "guide")
    return ("status-mismatch", "metrics", set_cell(root, "metrics", i, "verification_status", "primary_source"), "verification_status")


# -- against the guide's text -----------------------------------------------

@defect("quote-not-in-guide", needs_guide=True)
def _(root):
    """A quote in example_benefits is reworded, so it is no longer the guide's words."""
    return ("quote-not-in-guide", "example_benefits", set_cell(root, "example_benefits", 0, "quote", "improvement always saves money within a year"), "quote")


@defect("heading-not-in-guide", needs_guide=True)
def _(root):
    """A benefit heading is paraphrased."""
    return ("quote-not-in-guide", "benefits", set_cell(root, "benefits", 0, "heading", "A much better workplace culture"), "heading")


@defect("wrong-page", needs_guide=True)
def _(root):
    """A benefit's page is typed one too high (and page_end with it)."""
    p = int(cell(root, "benefits", 0, "page"))
    set_cell(root, "benefits", 0, "page_end", str(max(p + 1, int(cell(root, "benefits", 0, "page_end")))))
    return ("locator-mismatch", "benefits", set_cell(root, "benefits", 0, "page", str(p + 1)), "page")


@defect("wrong-section", needs_guide=True)
def _(root):
    """An example_benefits row's section is changed to another section."""
    s = cell(root, "example_benefits", 0, "section")
    return ("locator-mismatch", "example_benefits", set_cell(root, "example_benefits", 0, "section", "8" if s != "8" else "1"), "section")


# -- bytes and text of a file -----------------------------------------------

@defect("hash-mismatch", rehash=False)
def _(root):
    """One letter of areas.csv changes after the hash was recorded (same size)."""
    edit_bytes(root, "areas", lambda b: b.replace(b"Workforce", b"Workforcf", 1))
    return ("hash-count", "areas", None, None)


@defect("byte-count-mismatch", rehash=False)
def _(root):
    """datapackage.json records the wrong size for benefits.csv."""
    desc = read_descriptor(root)
    resource(desc, "benefits")["bytes"] += 1
    write_descriptor(root, desc)
    return ("byte-count", "benefits", None, None)


@defect("hash-without-algorithm", rehash=False)
def _(root):
    """The hash of areas.csv is written as a bare hex digest (frictionless would take it for MD5)."""
    desc = read_descriptor(root)
    r = resource(desc, "areas")
    r["hash"] = r["hash"].split(":", 1)[1]
    write_descriptor(root, desc)
    return ("descriptor-error", "areas", None, "hash")


@defect("crlf-line-endings")
def _(root):
    """areas.csv is saved with Windows (CRLF) line endings."""
    edit_bytes(root, "areas", lambda b: b.replace(b"\n", b"\r\n"))
    return ("line-ending", "areas", 1, None)


@defect("utf8-bom")
def _(root):
    """benefits.csv starts with a UTF-8 byte-order mark (Excel's 'CSV UTF-8')."""
    edit_bytes(root, "benefits", lambda b: b"\xef\xbb\xbf" + b)
    return ("bom", "benefits", 1, None)


@defect("invalid-utf8")
def _(root):
    """An en dash in row 3 of areas.csv is saved as Windows-1252 (byte 0x96)."""
    def edit(b: bytes) -> bytes:
        lines = b.split(b"\n")
        lines[2] = lines[2].replace(b",", b"\x96,", 1)
        return b"\n".join(lines)

    edit_bytes(root, "areas", edit)
    return ("encoding-error", "areas", 3, None)


@defect("unquoted-comma")
def _(root):
    """A comma typed into row 2 of approaches.csv without quotes adds a cell."""
    edit_bytes(root, "approaches", lambda b: b.replace(b"\n", b",stray\n", 2).replace(b",stray\n", b"\n", 1))
    return ("extra-cell", "approaches", 2, None)


@defect("blank-line")
def _(root):
    """A blank line follows the header of quality_dimensions.csv."""
    edit_bytes(root, "quality_dimensions", lambda b: b.replace(b"\n", b"\n\n", 1))
    return ("blank-row", "quality_dimensions", 2, None)


@defect("no-final-newline")
def _(root):
    """outcome_levels.csv lacks its final newline."""
    edit_bytes(root, "outcome_levels", lambda b: b.rstrip(b"\n"))
    header, rows = read_table(root, "outcome_levels")
    return ("non-canonical", "outcome_levels", len(rows) + 1, None)


@defect("empty-file")
def _(root):
    """examples.csv is empty: not even a header."""
    edit_bytes(root, "examples", lambda b: b"")
    return ("empty-file", "examples", None, None)


@defect("header-only")
def _(root):
    """study_designs.csv keeps its header and loses every row."""
    edit_bytes(root, "study_designs", lambda b: b.split(b"\n", 1)[0] + b"\n")
    return ("header-only", "study_designs", None, None)


# -- files and the descriptor ----------------------------------------------

@defect("missing-data-file", rehash=False)
def _(root):
    """data/areas.csv is deleted."""
    csv_path(root, "areas").unlink()
    return ("missing-file", "areas", None, "path")


@defect("missing-schema-file", rehash=False)
def _(root):
    """schemas/areas.json is deleted."""
    (root / "schemas" / "areas.json").unlink()
    return ("missing-schema", "areas", None, "schema")


@defect("invalid-schema-json", rehash=False)
def _(root):
    """schemas/benefits.json is cut off mid-way."""
    p = root / "schemas" / "benefits.json"
    p.write_text(p.read_text(encoding="utf-8")[:200], encoding="utf-8")
    return ("schema-error", "benefits", None, "schema")


@defect("invalid-descriptor-json", rehash=False)
def _(root):
    """datapackage.json loses its closing brace."""
    p = root / "datapackage.json"
    p.write_text(p.read_text(encoding="utf-8").rstrip().rstrip("}"), encoding="utf-8")
    return ("descriptor-error", None, None, None)


@defect("descriptor-not-an-object", rehash=False)
def _(root):
    """datapackage.json holds a JSON list, not an object."""
    (root / "datapackage.json").write_text("[]\n", encoding="utf-8")
    return ("descriptor-error", None, None, None)


@defect("non-semver-version", rehash=False)
def _(root):
    """The version is '1.0' (not MAJOR.MINOR.PATCH)."""
    desc = read_descriptor(root)
    desc["version"] = "1.0"
    write_descriptor(root, desc)
    return ("version-error", None, None, "version")


@defect("resource-removed", rehash=False)
def _(root):
    """The areas resource is removed from datapackage.json, but benefits still refers to it."""
    desc = read_descriptor(root)
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "areas"]
    write_descriptor(root, desc)
    return ("missing-resource", "benefits", None, "area_id")


def _path_defect(name: str, path: str, doc: str):
    def mutate(root):
        desc = read_descriptor(root)
        resource(desc, "areas")["path"] = path
        write_descriptor(root, desc)
        return ("unsafe-path", "areas", None, "path")

    mutate.__doc__ = doc
    defect(name, rehash=False)(mutate)


_path_defect("absolute-path", "/etc/passwd", "The areas resource's path is absolute (/etc/passwd).")
_path_defect("parent-path", "../../data/areas.csv", "The areas resource's path climbs out of the package (../).")
_path_defect("remote-http-path", "http://example.org/areas.csv", "The areas resource's path is a remote http URL; it must be refused without any network access.")
_path_defect("remote-https-path", "https://example.org/areas.csv", "The areas resource's path is a remote https URL.")
_path_defect("backslash-path", "data\\areas.csv", "The areas resource's path uses a Windows backslash.")


@defect("remote-schema-path", rehash=False)
def _(root):
    """The benefits resource's schema is a remote URL."""
    desc = read_descriptor(root)
    resource(desc, "benefits")["schema"] = "https://example.org/benefits.json"
    write_descriptor(root, desc)
    return ("unsafe-path", "benefits", None, "schema")
