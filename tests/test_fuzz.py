"""Property-based tests: no input makes the validator crash, and the shipped
files round-trip through load and write_csv byte for byte.

Each property runs IE_FUZZ_EXAMPLES examples (200 by default; CI sets 1000
in its own fuzzing step). IE_FUZZ_EXAMPLES=0 skips this module, so the
other CI runs of the suite do not fuzz again.
The fuzz package is the real areas and benefits tables with their schemas:
small, so an example validates in a fraction of a second, while every check
stage still runs on real rows.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import defects
from improvement_evidence import cli
from improvement_evidence.validation import CODES

EXAMPLES = int(os.environ.get("IE_FUZZ_EXAMPLES", "200"))
if EXAMPLES <= 0:
    pytest.skip("IE_FUZZ_EXAMPLES=0: fuzzing runs in its own step", allow_module_level=True)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TABLES = ("areas", "benefits")


@pytest.fixture(scope="module")
def fuzz_pkg():
    """A package of the real areas and benefits tables; each example edits it
    and :func:`restore` puts the pristine files back."""
    tmp = Path(tempfile.mkdtemp(prefix="ie-fuzz-"))
    pristine = tmp / "pristine"
    (pristine / "data").mkdir(parents=True)
    (pristine / "schemas").mkdir()
    desc = defects.read_descriptor(defects.ROOT)
    desc["resources"] = [r for r in desc["resources"] if r["name"] in TABLES]
    defects.write_descriptor(pristine, desc)
    for t in TABLES:
        shutil.copy2(defects.csv_path(defects.ROOT, t), pristine / "data" / f"{t}.csv")
        shutil.copy2(defects.ROOT / "schemas" / f"{t}.json", pristine / "schemas" / f"{t}.json")
    work = tmp / "pkg"
    shutil.copytree(pristine, work)
    yield pristine, work
    shutil.rmtree(tmp, ignore_errors=True)


def restore(fuzz_pkg) -> Path:
    pristine, work = fuzz_pkg
    for p in pristine.rglob("*"):
        if p.is_file():
            target = work / p.relative_to(pristine)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(p.read_bytes())
    return work


def validate_cli(root: Path) -> dict:
    """Run `improvement-evidence validate ROOT --format json` in-process and
    check the promises that hold for any input."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(["validate", str(root), "--format", "json"])
        except BaseException as exc:
            pytest.fail("validate raised:\n" + "".join(traceback.format_exception(exc)))
    assert "Traceback" not in err.getvalue(), err.getvalue()
    assert rc in (0, 1), (rc, err.getvalue())
    report = json.loads(out.getvalue())
    assert report["valid"] is (rc == 0)
    crashes = [e for e in report["errors"] if e["code"] == "internal-error"]
    assert not crashes, crashes
    undocumented = {e["code"] for e in report["errors"]} - set(CODES)
    assert not undocumented, f"codes missing from the documented list: {undocumented}"
    for e in report["errors"]:
        assert e["row"] is None or (isinstance(e["row"], int) and e["row"] >= 1), e
    return report


# -- random bytes -----------------------------------------------------------

_CSVISH = st.text(alphabet=st.sampled_from(list('ab1-.,"\n\r \t\u00a0\u200b\ufeff=@é')), max_size=400)


@FUZZ
@given(table=st.sampled_from(TABLES), data=st.binary(max_size=4000), body=_CSVISH, after_header=st.booleans())
def test_random_bytes_over_a_table(fuzz_pkg, table, data, body, after_header):
    """Arbitrary bytes, or CSV-like text after the real header line (which
    reaches the cell checks far more often than arbitrary bytes do)."""
    root = restore(fuzz_pkg)
    path = defects.csv_path(root, table)
    if after_header:
        header = path.read_bytes().split(b"\n", 1)[0]
        data = header + b"\n" + body.encode("utf-8")
    path.write_bytes(data)
    validate_cli(root)


# -- random edits of real rows ----------------------------------------------

_ANY_TEXT = st.text(max_size=60)  # any Unicode (no surrogates): controls, quotes, commas, newlines


@st.composite
def row_edits(draw):
    """A list of edits to apply to (header, rows) of one table."""
    ops = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["set", "set", "set", "delete-row", "duplicate-row", "swap", "drop-column", "blank-line", "type-confusion"]))
        ops.append((kind, draw(st.integers(0, 40)), draw(st.integers(0, 12)), draw(_ANY_TEXT)))
    return ops


def apply_edits(header: list[str], rows: list[list[str]], ops) -> tuple[list[str], list[list[str]], set[int]]:
    blanks: set[int] = set()
    for kind, r, c, text in ops:
        if not rows:
            break
        r, c = r % len(rows), c % len(header)
        if kind in ("set", "type-confusion"):
            rows[r][c] = text if kind == "set" else ["NA", "null", "None", "-0", "1e309", "nan", "TRUE", "2019-02-30", "0099", " 1"][len(text) % 10]
        elif kind == "delete-row":
            rows.pop(r)
        elif kind == "duplicate-row":
            rows.insert(r, list(rows[r]))
        elif kind == "swap":
            c2 = (c + 1) % len(header)
            rows[r][c], rows[r][c2] = rows[r][c2], rows[r][c]
        elif kind == "drop-column" and len(header) > 1:
            header = header[:c] + header[c + 1:]
            rows = [row[:c] + row[c + 1:] for row in rows]
        elif kind == "blank-line":
            blanks.add(r)
    return header, rows, blanks


@FUZZ
@given(table=st.sampled_from(TABLES), ops=row_edits())
def test_random_edits_of_real_rows(fuzz_pkg, table, ops):
    root = restore(fuzz_pkg)
    header, rows = defects.read_table(root, table)
    header, rows, blanks = apply_edits(header, rows, ops)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for i, row in enumerate(rows):
        if i in blanks:
            buf.write("\n")
        w.writerow(row)
    defects.csv_path(root, table).write_text(buf.getvalue(), encoding="utf-8", newline="")
    if ops and all(k == "set" for k, *_ in ops) and draw_is_rehash(ops):
        defects.rehash(root)
    validate_cli(root)


def draw_is_rehash(ops) -> bool:
    # Re-record hashes for about half the examples, so the checks behind the
    # hash are reached both with and without a hash-count error beside them.
    return len(ops) % 2 == 0


# -- random edits of the descriptor -----------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
_PATHS = st.sampled_from(["/etc/passwd", "../x.csv", "http://example.org/x.csv", "https://x/y", "data\\areas.csv",
                          "~/x.csv", "C:/x.csv", "data/../../x.csv", "", "data/areas.csv", "data", "file:///etc/passwd",
                          "data/benefits.csv", "schemas/areas.json", "\x00", "data/nope.csv"])


@FUZZ
@given(
    key=st.sampled_from(["version", "path", "schema", "hash", "bytes", "name", "resources", "whole", "encoding",
                         "format", "raw-bytes"]),
    value=st.one_of(_JSON, _PATHS),
    which=st.sampled_from(TABLES),
    raw=st.binary(max_size=600),
)
def test_random_edits_of_the_descriptor(fuzz_pkg, key, value, which, raw):
    root = restore(fuzz_pkg)
    if key == "raw-bytes":
        (root / "datapackage.json").write_bytes(raw)
        assert validate_cli(root)["valid"] is False
        return
    desc = defects.read_descriptor(root)
    if key == "whole":
        desc = value
    elif key in ("version", "resources"):
        desc[key] = value
    else:
        defects.resource(desc, which)[key] = value
    (root / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    validate_cli(root)


# -- the canonical form -----------------------------------------------------

@pytest.mark.parametrize("table", [r["name"] for r in defects.read_descriptor(defects.ROOT)["resources"]])
def test_load_then_write_csv_reproduces_the_shipped_file(table):
    import improvement_evidence as ie
    from improvement_evidence.csvio import write_csv

    shipped = ie.resource_path(table).read_bytes()
    assert write_csv(ie.load_table(table), table).encode("utf-8") == shipped
