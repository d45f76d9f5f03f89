"""diff OLD NEW: rows, schemas and the version bump they imply (issue 5)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from improvement_evidence.cli import main
from improvement_evidence.diff import bump_between, diff

from synthetic_package import MINI, copy_package, descriptor_of, mini_or_real


@pytest.fixture(params=["mini", "real"])
def pair(request, tmp_path) -> tuple[Path, Path]:
    src = mini_or_real(request.param)
    return copy_package(src, tmp_path / "old"), copy_package(src, tmp_path / "new")


@pytest.fixture
def mini(tmp_path) -> tuple[Path, Path]:
    return copy_package(MINI, tmp_path / "old"), copy_package(MINI, tmp_path / "new")


def read(pkg: Path, table: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO((pkg / "data" / f"{table}.csv").read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def write(pkg: Path, table: str, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    (pkg / "data" / f"{table}.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")


def edit_schema(pkg: Path, table: str, fn) -> None:
    p = pkg / "schemas" / f"{table}.json"
    schema = json.loads(p.read_text(encoding="utf-8"))
    fn(schema)
    p.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def set_version(pkg: Path, version: str) -> None:
    d = descriptor_of(pkg)
    d["version"] = version
    (pkg / "datapackage.json").write_text(json.dumps(d, indent=2), encoding="utf-8")


def field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


def kinds(report) -> set[tuple[str | None, str, str]]:
    return {(c.table, c.kind, c.bump) for c in report.changes}


# -- on the real package as well as the fixture ----------------------------------------------
def test_identical_copies(pair, capsys):
    old, new = pair
    report = diff(old, new)
    assert report.identical and report.implied_bump == "none" and report.changes == []
    assert main(["diff", str(old), str(new)]) == 0
    assert "identical: no differences" in capsys.readouterr().out


def test_last_row_removed_from_every_table(pair, capsys):
    old, new = pair
    removed = {}
    for res in descriptor_of(new)["resources"]:
        header, rows = read(new, res["name"])
        if not rows:
            continue
        schema = json.loads((new / res["schema"]).read_text(encoding="utf-8"))
        pk = schema["primaryKey"]
        removed[res["name"]] = {k: rows[-1][header.index(k)] for k in pk}
        write(new, res["name"], header, rows[:-1])
    report = diff(old, new)
    for name, key in removed.items():
        assert report.tables[name].removed == [key], name
        assert report.tables[name].added == [] and report.tables[name].changed == []
    assert report.implied_bump == "major" and not report.bump_sufficient
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "implied bump: MAJOR" in out and "NOT enough" in out


def test_a_corrected_value(pair):
    old, new = pair
    table = "items" if "items" in {r["name"] for r in descriptor_of(new)["resources"]} else "benefits"
    header, rows = read(new, table)
    schema = json.loads((new / "schemas" / f"{table}.json").read_text(encoding="utf-8"))
    pk = schema["primaryKey"]
    # a free-text field: a string that is neither a key, an ID nor an enum
    col = next(f["name"] for f in schema["fields"] if f.get("type", "string") == "string"
               and "enum" not in f.get("constraints", {}) and f["name"] not in pk and not f["name"].endswith("_id"))
    i = header.index(col)
    before = rows[0][i]
    rows[0][i] = before + " (corrected)"
    write(new, table, header, rows)
    report = diff(old, new)
    (change,) = report.tables[table].changed
    assert change.key == {k: rows[0][header.index(k)] for k in pk}
    assert change.fields == {col: [before, before + " (corrected)"]}
    assert report.implied_bump == "patch" and not report.bump_sufficient
    major, minor, patch = descriptor_of(old)["version"].split(".")  # the mini package is 1.0.0, the real one is not
    set_version(new, f"{major}.{minor}.{int(patch) + 1}")
    assert diff(old, new).bump_sufficient


# -- each kind of change on the fixture -------------------------------------------------------
def test_rows_added_changed_and_composite_keys(mini):
    old, new = mini
    header, rows = read(new, "item_tags")
    rows.append(["three", "red", "1"])
    rows[0][2] = "2.5"  # one,blue weight 2 -> 2.5
    write(new, "item_tags", header, rows)
    t = diff(old, new).tables["item_tags"]
    assert t.added == [{"item_id": "three", "tag": "red"}]
    assert [(c.key, c.fields) for c in t.changed] == [({"item_id": "one", "tag": "blue"}, {"weight": ["2", "2.5"]})]
    assert t.removed == []


def test_rows_added_imply_minor(mini):
    old, new = mini
    header, rows = read(new, "groups")
    rows.append(["gamma", "Gamma", "3"])
    write(new, "groups", header, rows)
    report = diff(old, new)
    assert report.tables["groups"].added == [{"group_id": "gamma"}]
    assert report.implied_bump == "minor"
    set_version(new, "1.0.1")
    assert not diff(old, new).bump_sufficient
    set_version(new, "1.1.0")
    assert diff(old, new).bump_sufficient


def test_the_same_number_written_differently_is_not_a_change(mini):
    old, new = mini
    header, rows = read(new, "items")
    rows[0][header.index("share")] = "24.0"  # was 24
    write(new, "items", header, rows)
    assert diff(old, new).tables["items"].changed == []


@pytest.mark.parametrize(
    "edit,expected",
    [
        (lambda s: field(s, "note")["constraints"].update(maxLength=100), ("items", "constraint-tightened", "major")),
        (lambda s: field(s, "note")["constraints"].update(maxLength=300), ("items", "constraint-loosened", "minor")),
        (lambda s: field(s, "count")["constraints"].update(minimum=1), ("items", "constraint-tightened", "major")),
        (lambda s: field(s, "share").setdefault("constraints", {}).update(required=True), ("items", "constraint-tightened", "major")),
        (lambda s: field(s, "group_id")["constraints"].pop("required"), ("items", "constraint-loosened", "minor")),
        (lambda s: field(s, "kind")["constraints"]["enum"].remove("doohickey"), ("items", "constraint-tightened", "major")),
        (lambda s: field(s, "kind")["constraints"]["enum"].append("thingummy"), ("items", "constraint-loosened", "minor")),
        (lambda s: field(s, "note")["constraints"].update(pattern="^[a-z]"), ("items", "constraint-tightened", "major")),
        (lambda s: field(s, "count").update(type="number"), ("items", "field-retyped", "major")),
        (lambda s: field(s, "seen").update(description="Another description."), ("items", "field-documentation", "patch")),
        (lambda s: s.update(primaryKey=["item_id", "group_id"]), ("items", "primary-key-changed", "major")),
        (lambda s: s["foreignKeys"].pop(), ("items", "foreign-key-removed", "minor")),
        (lambda s: s.update(missingValues=["", "NA"]), ("items", "missing-values-changed", "major")),
        (lambda s: s["fields"].insert(0, s["fields"].pop(1)), ("items", "fields-reordered", "major")),
    ],
    ids=["maxLength-lowered", "maxLength-raised", "minimum-raised", "required-added", "required-dropped",
         "enum-value-removed", "enum-value-added", "pattern-added", "retyped", "description", "primary-key",
         "foreign-key-dropped", "missing-values", "reordered"],
)
def test_schema_changes_and_their_bump(mini, edit, expected):
    old, new = mini
    edit_schema(new, "items", edit)
    report = diff(old, new)
    assert expected in kinds(report)
    assert report.implied_bump == expected[2]


def test_field_added_and_removed(mini):
    old, new = mini
    edit_schema(new, "groups", lambda s: s["fields"].append({"name": "colour", "type": "string"}))
    header, rows = read(new, "groups")
    write(new, "groups", [*header, "colour"], [[*r, "red"] for r in rows])
    report = diff(old, new)
    assert kinds(report) == {("groups", "field-added", "minor")}
    assert report.tables["groups"].changed == []  # a new column is a schema change, not a row change
    report = diff(new, old)
    assert kinds(report) == {("groups", "field-removed", "major")}


def test_table_added_and_removed(mini):
    old, new = mini
    d = descriptor_of(new)
    d["resources"] = [r for r in d["resources"] if r["name"] != "item_tags"]
    (new / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    report = diff(old, new)
    assert report.tables["item_tags"].status == "removed"
    assert kinds(report) == {("item_tags", "table-removed", "major")}
    back = diff(new, old)
    assert back.tables["item_tags"].status == "added"
    assert kinds(back) == {("item_tags", "table-added", "minor")}


def test_licence_change_is_major_and_title_change_is_patch(mini):
    old, new = mini
    d = descriptor_of(new)
    d["title"] = "A new title"
    (new / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    assert kinds(diff(old, new)) == {(None, "metadata-changed", "patch")}
    d["licenses"] = [{"name": "CC0-1.0"}]
    (new / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    assert diff(old, new).implied_bump == "major"


def test_a_version_bump_alone_is_a_difference(mini, capsys):
    old, new = mini
    set_version(new, "1.0.1")
    report = diff(old, new)
    assert not report.identical and report.implied_bump == "none" and report.bump_sufficient
    assert main(["diff", str(old), str(new)]) == 1


def test_json_output(mini, capsys):
    old, new = mini
    header, rows = read(new, "items")
    rows = [r for r in rows if r[0] != "nine"]
    write(new, "items", header, rows)
    set_version(new, "2.0.0")
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["old"]["version"] == "1.0.0" and out["new"]["version"] == "2.0.0"
    assert out["identical"] is False
    assert out["implied_bump"] == "major" and out["actual_bump"] == "major" and out["bump_sufficient"] is True
    assert out["tables"]["items"]["rows_removed"] == [{"item_id": "nine"}]
    assert {"table": "items", "kind": "rows-removed", "detail": "1 row(s) removed", "bump": "major"} in out["changes"]


def test_text_output_lists_rows_and_verdict(mini, capsys):
    old, new = mini
    header, rows = read(new, "items")
    rows[1][header.index("share")] = "16.8"
    write(new, "items", header, rows)
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "items: 0 row(s) added, 0 removed, 1 changed" in out
    assert "  ~ item_id=two: share: '16.7' -> '16.8'" in out
    assert "version: 1.0.0 -> 1.0.0 is a NONE bump: NOT enough: the policy needs at least a PATCH bump" in out


def test_bump_between():
    assert [bump_between("1.0.0", v) for v in ("1.0.0", "1.0.1", "1.1.0", "2.0.0", "0.9.9")] == \
        ["none", "patch", "minor", "major", "downgrade"]


def test_missing_package_is_a_clean_error(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "a"), str(MINI)]) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "Traceback" not in err


# -- what the diff must not call "identical" (issue 14) -------------------------------


def test_a_package_diffed_with_itself_is_identical_even_with_nan(mini):
    old, new = mini
    header, rows = read(old, "items")
    rows[1][header.index("share")] = "NaN"
    write(old, "items", header, rows)
    write(new, "items", header, rows)
    report = diff(old, old)
    assert report.identical, report.to_text()
    assert diff(old, new).identical


def test_every_column_renamed_in_the_file_is_not_identical(mini):
    old, new = mini
    header, rows = read(new, "groups")
    write(new, "groups", [f"x_{h}" for h in header], rows)
    report = diff(old, new)
    assert not report.identical
    assert ("groups", "header-changed", "major") in kinds(report)


def test_reordered_columns_in_the_file_are_reported(mini):
    old, new = mini
    header, rows = read(new, "groups")
    write(new, "groups", header[::-1], [r[::-1] for r in rows])
    report = diff(old, new)
    assert ("groups", "header-changed", "major") in kinds(report)
    assert not report.tables["groups"].changed  # the values themselves did not change


def test_a_duplicated_row_is_an_added_row(mini):
    old, new = mini
    header, rows = read(new, "groups")
    write(new, "groups", header, [*rows, rows[0]])
    report = diff(old, new)
    t = report.tables["groups"]
    assert t.added == [{"group_id": rows[0][0]}] and not t.removed
    assert ("groups", "duplicate-keys", "patch") in kinds(report)


def test_duplicate_keys_with_different_values_are_not_hidden(mini):
    old, new = mini
    header, rows = read(new, "groups")
    twin = list(rows[0])
    twin[header.index("label")] = "A different label"
    write(new, "groups", header, [*rows, twin])
    t = diff(old, new).tables["groups"]
    assert t.added == [{"group_id": rows[0][0]}]


def test_rows_without_a_usable_key_compare_as_a_multiset(mini):
    old, new = mini
    for pkg in (old, new):
        edit_schema(pkg, "groups", lambda s: s.pop("primaryKey"))
    header, rows = read(new, "groups")
    write(old, "groups", header, [rows[0], rows[0], rows[1]])
    write(new, "groups", header, [rows[0], rows[1], rows[1]])
    t = diff(old, new).tables["groups"]
    assert len(t.added) == 1 and len(t.removed) == 1


def test_an_unsafe_package_is_a_clean_error(mini, capsys):
    old, new = mini
    d = descriptor_of(new)
    d["resources"][0]["path"] = "/etc/passwd"
    (new / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 2
    err = capsys.readouterr().err
    assert "refused: it is absolute" in err and "root:" not in err and len(err.strip().splitlines()) == 1
