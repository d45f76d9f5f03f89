"""The wheel carries the data package and works offline, outside the repo."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(repo_root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: build with the hatchling already installed, no download
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(repo_root)],
        check=True, capture_output=True, text=True,
    )
    (whl,) = out.glob("*.whl")
    return whl


def test_wheel_contains_the_data_package_and_not_the_guide(wheel, repo_root):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "improvement_evidence/package/datapackage.json" in names
    for csv in (repo_root / "data").glob("*.csv"):
        assert f"improvement_evidence/package/data/{csv.name}" in names
    for schema in (repo_root / "schemas").glob("*.json"):
        assert f"improvement_evidence/package/schemas/{schema.name}" in names
    assert not [n for n in names if "making-the-case" in n or n.endswith(".txt") and "source" in n]
    assert not [n for n in names if "staging" in n]


NO_NETWORK = textwrap.dedent(
    """
    import socket
    def refuse(*a, **k):
        raise OSError("network access attempted")
    socket.socket.connect = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    """
)


def test_installed_wheel_loads_offline_outside_the_repository(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # Dependencies (pandas, frictionless, pandera) come from this environment
    # through a .pth line; the package itself only from the wheel.
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(wheel)], check=True)
    code = NO_NETWORK + textwrap.dedent(
        f"""
        import improvement_evidence as ie
        assert ie.__file__.startswith({str(venv)!r}), ie.__file__
        assert str(ie.package_path()).startswith({str(venv)!r}), ie.package_path()
        ds = ie.load()
        assert len(ds.benefits) == 22 and len(ds.metrics) > 20
        report = ie.validate()
        assert report.valid, report
        print("ok", ie.__version__)
        """
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    out = subprocess.run([str(py), "-c", code], cwd=work, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok ")
    cli = subprocess.run([str(venv / "bin" / "improvement-evidence"), "info"], cwd=work, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert "metrics" in cli.stdout
