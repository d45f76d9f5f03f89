"""Exports that cannot hurt: failures, kills and races leave either the old
output or a complete new one, and nothing beside it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import hostile
from synthetic_package import run_cli

OLD = b"previous export\n"


@pytest.fixture
def pkg(tmp_path) -> Path:
    return hostile.write_base(tmp_path / "pkg")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("fmt", hostile.EXPORT_FORMATS)
def test_a_writer_failing_partway_leaves_the_old_output(fmt, pkg, tmp_path, monkeypatch):
    """A writer that has written part of its output and then fails (as a full
    disk or a bug would) changes nothing the user had."""
    import importlib

    from improvement_evidence.errors import ExportError

    writer = importlib.import_module(f"improvement_evidence.export._{fmt}")

    def half(out, path):
        if fmt in hostile.FOLDER_FORMATS:
            (out / "groups.csv").write_text("group_id\n", encoding="utf-8")
        else:
            out.write_bytes(b"PK\x03\x04 half a file")
        raise ExportError("disk full (simulated)")

    monkeypatch.setattr(writer, "write", half)
    out = tmp_path / "exports" / ("out" if fmt in hostile.FOLDER_FORMATS else f"out.{fmt}")
    out.parent.mkdir()
    before = hostile._old_output(out, fmt)
    rc, _, err = run_cli("export", "--format", fmt, "--path", str(pkg), "--force", str(out))
    assert rc == 2 and "disk full (simulated)" in err and "Traceback" not in err
    assert hostile._fingerprint(out) == before
    assert leftovers(out.parent) == []


@pytest.mark.parametrize("fmt", ["zip", "csv"])
def test_a_kill_mid_export_leaves_the_old_output(fmt, pkg, tmp_path):
    """The process is killed (SIGKILL, no clean-up) after the writer has
    written part of the new export: the old output is untouched."""
    out = tmp_path / "exports" / ("out" if fmt == "csv" else "out.zip")
    out.parent.mkdir()
    before = hostile._old_output(out, fmt)
    code = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        import improvement_evidence.export._{fmt} as w
        def half(out, path):
            if out.suffix:
                out.write_bytes(b"PK half")
            else:
                (out / "groups.csv").write_text("half", encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)
        w.write = half
        from improvement_evidence.cli import main
        sys.exit(main(["export", "--format", "{fmt}", "--path", sys.argv[1], "--force", sys.argv[2]]))
    """)
    proc = subprocess.run([sys.executable, "-c", code, str(pkg), str(out)], capture_output=True, timeout=120)
    assert proc.returncode == -9
    assert hostile._fingerprint(out) == before
    # what a kill can leave is one hidden partial folder beside the output, never in it
    assert all(name.endswith(".partial") for name in leftovers(out.parent))


@pytest.mark.parametrize("fmt", ["zip", "csv"])
def test_force_with_a_failing_package_keeps_the_old_output(fmt, pkg, tmp_path):
    (pkg / "schemas" / "items.json").write_text('{"fields": [{"name": "item_id", "type": "geopoint"}]}', encoding="utf-8")
    out = tmp_path / ("out" if fmt == "csv" else "out.zip")
    before = hostile._old_output(out, fmt)
    rc, _, err = run_cli("export", "--format", fmt, "--path", str(pkg), "--force", str(out))
    assert rc == 2 and "Traceback" not in err
    assert hostile._fingerprint(out) == before


def _race(cmds: list[list[str]]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), *p.communicate()) for p in procs]


@pytest.mark.parametrize("fmt", ["zip", "csv"])
def test_two_exports_racing_to_one_path_end_with_one_file_and_one_clean_error(fmt, pkg, tmp_path):
    out = tmp_path / ("out" if fmt == "csv" else "out.zip")
    cmd = [sys.executable, "-m", "improvement_evidence", "export", "--format", fmt, "--path", str(pkg), str(out)]
    results = _race([cmd, cmd])
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 2], [(r.returncode, r.stderr) for r in results]
    loser = next(r for r in results if r.returncode == 2)
    assert "exists" in loser.stderr and "Traceback" not in loser.stderr and len(loser.stderr.strip().splitlines()) == 1
    assert leftovers(tmp_path) == []
    if fmt == "zip":
        with zipfile.ZipFile(out) as z:
            assert z.testzip() is None and "datapackage.json" in z.namelist()
    else:
        assert sorted(p.name for p in out.iterdir()) == ["groups.csv", "items.csv"]


def test_two_forced_exports_racing_leave_one_complete_export(pkg, tmp_path):
    out = tmp_path / "out.zip"
    out.write_bytes(OLD)
    cmd = [sys.executable, "-m", "improvement_evidence", "export", "--format", "zip", "--force", "--path", str(pkg), str(out)]
    results = _race([cmd, cmd])
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None and "data/items.csv" in z.namelist()
    assert leftovers(tmp_path) == []
