"""The data package as a whole: other Frictionless implementations, and the zip export."""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import pytest
from _values import ROOT, mismatches, tables
from _clients import HERE, need_command, need_export, run

TABLES = tables()


def frictionless_rows(descriptor: Path) -> dict[str, list[dict]]:
    frictionless = pytest.importorskip("frictionless")
    package = frictionless.Package(str(descriptor))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    return {r.name: [dict(row) for row in r.read_rows()] for r in package.resources}


@pytest.mark.client("frictionless-py", "datapackage.json", "Package(path).validate(); resource.read_rows()")
def test_frictionless_validates_and_reads_every_value_typed():
    read = frictionless_rows(ROOT / "datapackage.json")
    assert list(read) == TABLES
    for name in TABLES:
        assert mismatches(name, read[name]) == []


@pytest.mark.client("frictionless-py", "zip export, unzipped", "Package(path).validate(); resource.read_rows()")
def test_frictionless_on_the_unzipped_zip(unzipped):
    read = frictionless_rows(unzipped / "datapackage.json")
    for name in TABLES:
        assert mismatches(name, read[name]) == []


@pytest.mark.client("unzip", "zip export", "unzip -t FILE")
def test_unzip_tests_the_archive(exports, tmp_path):
    exe = need_command("unzip")
    out = need_export(exports, "zip")
    got = run([exe, "-t", str(out)])
    assert got.returncode == 0 and "No errors detected" in got.stdout, got.stdout[-500:]
    # unzip creates the folders from their entries, with their modes
    assert run([exe, "-q", str(out), "-d", str(tmp_path / "x")]).returncode == 0
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["LICENSE", "LICENSE-DATA", "data", "datapackage.json", "schemas"]
    assert oct((tmp_path / "x" / "data").stat().st_mode & 0o777) == oct(0o755)


@pytest.mark.client("datapackage-py", "datapackage.json", "Package(path).resources[i].read(keyed=True)")
def test_datapackage_py_reads_every_value_typed():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from datapackage import Package
    except ImportError:
        pytest.skip("datapackage (datapackage-py) is not installed here")
    package = Package(str(ROOT / "datapackage.json"))
    assert package.valid, package.errors
    for resource in package.resources:
        assert mismatches(resource.name, resource.read(keyed=True)) == []


def datapackage_js() -> tuple[str, dict]:
    node = need_command("node")
    modules = os.environ.get("IE_DATAPACKAGE_JS")
    if not modules or not (Path(modules) / "datapackage").is_dir():
        pytest.skip("datapackage-js is not installed here (npm install datapackage@1; set IE_DATAPACKAGE_JS to its node_modules)")
    return node, {**os.environ, "NODE_PATH": modules}


@pytest.mark.client("datapackage-js", "datapackage.json", "Package.load(path); resource.read({keyed: true})")
def test_datapackage_js_reads_the_package():
    node, env = datapackage_js()
    got = run([node, str(HERE / "read_datapackage.js"), str(ROOT / "datapackage.json")], env=env)
    assert got.returncode == 0, got.stderr[-800:]
    read = json.loads(got.stdout)
    for name in TABLES:
        assert mismatches(name, read[name], as_text=True) == []


@pytest.mark.client("datapackage-js", "zip export", "Package.load(zip); resource.read({keyed: true})")
def test_datapackage_js_reads_the_zip(exports, tmp_path):
    # Before 1.1: ENOENT on data/approaches.csv, the archive having no folder entries.
    node, env = datapackage_js()
    zipped = shutil.copy(need_export(exports, "zip"), tmp_path / "ie.zip")
    got = run([node, str(HERE / "read_datapackage.js"), str(zipped)], env=env, cwd=tmp_path)
    assert got.returncode == 0, got.stderr[-800:]
    read = json.loads(got.stdout)
    for name in TABLES:
        assert mismatches(name, read[name], as_text=True) == []
