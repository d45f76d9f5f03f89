"""The data package on disk: valid, hashed, LF, complete (issue 2)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT_FILES = ["datapackage.json", "data", "schemas"]


def descriptor(repo_root):
    return json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))


def test_frictionless_reports_the_package_valid(repo_root):
    from frictionless import Package

    report = Package(str(repo_root / "datapackage.json")).validate(limit_errors=100000)
    errors = report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.valid, errors[:20]


def test_descriptor_metadata(repo_root):
    d = descriptor(repo_root)
    assert d["name"] == "improvement-evidence"
    for key in ["title", "description", "version", "licenses", "sources", "contributors", "created"]:
        assert d.get(key), key
    assert any(lic["name"] == "CC-BY-4.0" for lic in d["licenses"])
    assert "Health Foundation" in d["licenses"][0]["title"]


@pytest.mark.parametrize("res", json.loads((Path(__file__).resolve().parents[1] / "datapackage.json").read_text(encoding="utf-8"))["resources"], ids=lambda r: r["name"])
def test_hash_and_bytes_match_the_files(repo_root, res):
    raw = (repo_root / res["path"]).read_bytes()
    assert res["hash"].startswith("sha256:"), "frictionless reads a bare hash as md5"
    assert res["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert res["bytes"] == len(raw)
    assert b"\r" not in raw, "CRLF would change the hash"
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    raw.decode("utf-8")


def test_every_schema_has_a_resource_and_every_csv_is_described(repo_root):
    d = descriptor(repo_root)
    names = {r["name"] for r in d["resources"]}
    assert names == {p.stem for p in (repo_root / "schemas").glob("*.json")}
    assert names == {p.stem for p in (repo_root / "data").glob("*.csv")}


def test_descriptor_is_up_to_date(repo_root):
    out = subprocess.run([sys.executable, "tools/refresh_package.py", "--check"], cwd=repo_root, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_gitattributes_pins_lf_for_data(repo_root):
    text = (repo_root / ".gitattributes").read_text(encoding="utf-8")
    assert "*.csv text eol=lf" in text
    assert "*.json text eol=lf" in text


def test_every_field_is_described_and_typed(repo_root):
    for p in sorted((repo_root / "schemas").glob("*.json")):
        schema = json.loads(p.read_text(encoding="utf-8"))
        assert schema.get("primaryKey"), p.name
        assert schema.get("missingValues") == [""], p.name
        for f in schema["fields"]:
            assert f.get("type") and f.get("description"), (p.name, f["name"])


def test_foreign_keys_resolve(repo_root):
    """Checked here directly as well as by frictionless, so a broken
    frictionless FK check cannot hide a dangling key."""
    import improvement_evidence as ie

    ds = ie.load()
    for name in ds:
        schema = json.loads((repo_root / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]["resource"] or name
            (col,), (refcol,) = fk["fields"], fk["reference"]["fields"]
            values = ds[name][col].dropna().astype(str)
            targets = set(ds[ref][refcol].astype(str))
            missing = sorted(set(values) - targets)
            assert not missing, f"{name}.{col} -> {ref}.{refcol}: {missing}"


def test_coverage_of_the_guide():
    import improvement_evidence as ie

    ds = ie.load()
    assert len(ds.areas) == 4
    assert len(ds.benefits) == 22
    assert ds.benefits.groupby("area_id", observed=True).size().to_dict() == {
        "workforce": 3, "patients-service-users-society": 6, "organisations": 10, "system-level-bodies": 3,
    }
    linked = set(ds.example_benefits["example_id"])
    assert linked == set(ds.examples["example_id"]), "every example illustrates at least one benefit"
    # the headline figures named in the project brief are all present
    quotes = " ".join(ds.metrics.loc[ds.metrics.reported_in == "guide", "quote"])
    for figure in ["24%", "91%", "62%", "£14.2m", "£54.5m", "£1m", "370", "12 clinical commissioning groups", "4%", "25 and 30%", "3,000 hours"]:
        assert figure in quotes, figure


def test_every_example_has_an_evaluation_or_says_why_not():
    import improvement_evidence as ie

    ds = ie.load()
    evaluated = set(ds.evaluations["example_id"])
    for row in ds.examples.itertuples():
        has_note = isinstance(row.evidence_note, str) and len(row.evidence_note) > 20
        assert row.example_id in evaluated or has_note, row.example_id


def test_every_discrepancy_keeps_both_figures():
    """A guide figure marked discrepancy_noted or matched_to_primary has the
    primary-source figure beside it (compares_with), so both can be read."""
    import improvement_evidence as ie

    m = ie.load_table("metrics")
    compared = set(m.loc[m.reported_in == "primary-source", "compares_with"].dropna())
    checked = m[(m.reported_in == "guide") & m.verification_status.isin(["discrepancy_noted", "matched_to_primary"])]
    assert len(checked) >= 5
    missing = sorted(set(checked["metric_id"]) - compared)
    assert not missing, f"no primary-source figure set beside: {missing}"
    for row in checked.itertuples():
        assert isinstance(row.verification_note, str) and row.verification_note, row.metric_id


def test_no_identifier_on_an_unverified_source():
    import improvement_evidence as ie

    s = ie.load_table("sources")
    for row in s[s.verification == "unverified"].itertuples():
        for col in ["doi", "pmid", "pmcid", "isbn", "url", "authors", "year", "date"]:
            assert getattr(row, col) is None or str(getattr(row, col)) in ("<NA>", "NaT"), (row.source_id, col)
    # every recorded identifier says where it was seen
    for row in s.itertuples():
        if any(isinstance(getattr(row, c), str) for c in ["doi", "pmid", "pmcid", "isbn", "url"]):
            assert isinstance(row.seen_at, str) and row.seen_at.strip(), row.source_id
