"""The sdist and wheel, checked by the packaging tools: twine, and a rebuild.

Builds take seconds each, so these are marked slow.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from _values import ROOT
from _clients import run

pytestmark = pytest.mark.slow

EPOCH = "1700000000"


def build(args: list[str], out: Path, src: Path = ROOT) -> list[Path]:
    pytest.importorskip("build")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    got = subprocess.run([sys.executable, "-m", "build", "--no-isolation", *args, "--outdir", str(out), str(src)],
                         capture_output=True, text=True, env=env)
    assert got.returncode == 0, got.stderr[-1500:]
    return sorted(out.iterdir())


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """A wheel built twice from the tree, and an sdist with the wheel built from it."""
    base = tmp_path_factory.mktemp("dist")
    (a,) = build(["--wheel"], base / "a")
    (b,) = build(["--wheel"], base / "b")
    built = build([], base / "c")  # no flag: the sdist, then a wheel built from it
    (sdist,) = [p for p in built if p.name.endswith(".tar.gz")]
    (from_sdist,) = [p for p in built if p.suffix == ".whl"]
    return {"wheel": a, "again": b, "sdist": sdist, "from_sdist": from_sdist}


@pytest.mark.client("twine", "sdist and wheel", "twine check --strict DIST")
def test_twine_check_passes(dists):
    pytest.importorskip("twine")
    got = run([sys.executable, "-m", "twine", "check", "--strict", str(dists["sdist"]), str(dists["wheel"])])
    assert got.returncode == 0, got.stdout + got.stderr
    assert got.stdout.count("PASSED") == 2, got.stdout


@pytest.mark.client("build + hatchling", "wheel", "SOURCE_DATE_EPOCH=N python -m build --wheel, twice")
def test_the_wheel_is_reproducible(dists):
    assert dists["wheel"].read_bytes() == dists["again"].read_bytes()


def package_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("improvement_evidence/package/")}


@pytest.mark.client("build + hatchling", "sdist", "python -m build (the wheel built from the sdist)")
def test_a_wheel_built_from_the_sdist_carries_the_same_data(dists):
    direct, via_sdist = package_files(dists["wheel"]), package_files(dists["from_sdist"])
    assert sorted(via_sdist) == sorted(direct)
    assert via_sdist == direct
    names = set(direct)
    assert {"improvement_evidence/package/datapackage.json", "improvement_evidence/package/LICENSE",
            "improvement_evidence/package/LICENSE-DATA"} <= names
    for csv in (ROOT / "data").glob("*.csv"):
        assert direct[f"improvement_evidence/package/data/{csv.name}"] == csv.read_bytes()
