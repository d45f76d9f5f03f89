"""verify(): files against the hashes and byte counts in datapackage.json (issue 5)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from improvement_evidence.cli import main
from improvement_evidence.integrity import VerifyError, verify
from synthetic_package import copy_package

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "data" / "mini-package"


def descriptor_of(pkg: Path) -> dict:
    return json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))


def hash_from_files(pkg: Path) -> str:
    """The content hash by its definition, from the files, independently of the code."""
    paths = sorted(r["path"] for r in descriptor_of(pkg)["resources"])
    text = "".join(f"{hashlib.sha256((pkg / p).read_bytes()).hexdigest()}  {p}\n" for p in paths)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(params=["mini", "real"])
def copy(request, tmp_path) -> Path:
    src = MINI if request.param == "mini" else ROOT
    if not descriptor_of(src)["resources"]:
        pytest.skip("the real package lists no resources yet")
    return copy_package(src, tmp_path / "pkg")


def first_resource(pkg: Path) -> str:
    return descriptor_of(pkg)["resources"][0]["path"]


def test_shipped_files_match(copy):
    report = verify(copy)
    assert report.ok, [c.message() for c in report.problems]
    assert len(report.files) == len(descriptor_of(copy)["resources"])
    assert report.actual_content_hash == report.recorded_content_hash == hash_from_files(copy)


def test_installed_package_verifies():
    report = verify()
    assert report.ok, [c.message() for c in report.problems]


def test_content_hash_is_what_sha256sum_gives():
    if shutil.which("sha256sum") is None or shutil.which("sh") is None:
        pytest.skip("sha256sum is not available here")
    out = subprocess.run("LC_ALL=C sha256sum data/*.csv | sha256sum", shell=True, cwd=MINI,
                         capture_output=True, text=True, check=True).stdout.split()[0]
    assert verify(MINI).recorded_content_hash == "sha256:" + out


def test_an_appended_row_is_reported(copy, capsys):
    rel = first_resource(copy)
    with open(copy / rel, "a", encoding="utf-8", newline="") as fh:
        fh.write("x\n")
    report = verify(copy)
    assert not report.ok
    (bad,) = report.problems
    assert bad.path == rel and bad.status == "changed"
    assert bad.actual_bytes == bad.expected_bytes + 2
    assert report.actual_content_hash != report.recorded_content_hash
    assert main(["verify", str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"{rel}: changed (bytes expected {bad.expected_bytes}, found {bad.expected_bytes + 2}" in out
    assert "DIFFERENT: 1 of" in out


def test_same_size_edit_is_caught_by_the_hash(copy):
    rel = first_resource(copy)
    raw = bytearray((copy / rel).read_bytes())
    raw[-2] = ord("Z") if raw[-2] != ord("Z") else ord("Y")  # a byte of the last value
    (copy / rel).write_bytes(bytes(raw))
    (bad,) = verify(copy).problems
    assert bad.status == "changed" and bad.actual_bytes == bad.expected_bytes
    assert "bytes expected" not in bad.message() and "sha256 expected" in bad.message()


def test_a_missing_file_is_reported(copy, capsys):
    rel = first_resource(copy)
    (copy / rel).unlink()
    report = verify(copy)
    assert [(c.path, c.status) for c in report.problems] == [(rel, "missing")]
    assert report.actual_content_hash is None
    assert main(["verify", str(copy), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["actual_content_hash"] is None


def test_an_unlisted_csv_is_noted_but_not_a_failure(copy, capsys):
    (copy / "data" / "zz_extra.csv").write_text("a\n1\n", encoding="utf-8")
    report = verify(copy)
    assert report.ok and report.unlisted == ["data/zz_extra.csv"]
    assert main(["verify", str(copy)]) == 0
    assert "data/zz_extra.csv: not listed in datapackage.json" in capsys.readouterr().out


def test_a_bare_hash_is_refused_with_where_and_why(copy, capsys):
    d = descriptor_of(copy)
    d["resources"][0]["hash"] = d["resources"][0]["hash"].split(":", 1)[1]
    (copy / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    name = d["resources"][0]["name"]
    with pytest.raises(VerifyError, match=rf"resources\[0\] \('{name}'\), field 'hash': expected 'sha256:<64 hex digits>'"):
        verify(copy)
    assert main(["verify", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "md5" in err and "Traceback" not in err


def test_a_missing_descriptor_is_a_clean_error(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "Traceback" not in err
