"""The one home of test helpers: package copiers, small hand-made packages
and the in-process CLI runner."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import improvement_evidence as ie

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPO_SCHEMAS = ie.package_path().parent / "schemas"
# A tiny package covering every dtype, a composite key and a self-reference
# (see tests/data/README.md); tests run on it and on the real package.
MINI = HERE / "data" / "mini-package"


def descriptor_of(pkg: Path) -> dict:
    return json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))


def mini_or_real(which: str) -> Path:
    """MINI or the repository's package, for fixtures parametrised over both."""
    if which == "mini":
        return MINI
    import pytest

    if not descriptor_of(ROOT)["resources"]:
        pytest.skip("the real package lists no resources yet")
    return ROOT


def copy_package(src: Path, dest: Path) -> Path:
    """A writable copy of the package at ``src`` (descriptor, data, schemas),
    made by the same copier the defect catalogue uses."""
    import defects

    if dest.exists():
        raise FileExistsError(dest)
    return defects.copy_package(dest, src)


def run_cli(*argv: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``improvement-evidence ARGV`` run in
    this process; an exception escaping ``cli.main`` comes back as status -1
    with its traceback in stderr, so a test can assert there is none."""
    import contextlib
    import io
    import traceback

    from improvement_evidence import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(list(argv))
        except SystemExit as exc:  # argparse's usage errors
            rc = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:  # noqa: BLE001 - a traceback is a failure; show it
            return -1, out.getvalue(), err.getvalue() + "Traceback:\n" + "".join(traceback.format_exception(exc))
    return rc, out.getvalue(), err.getvalue()


def write_package(root: Path, tables: dict[str, list[dict]]) -> Path:
    """A package in ``root`` with every repo schema; tables not given are empty."""
    (root / "data").mkdir(parents=True)
    (root / "schemas").mkdir()
    resources = []
    for schema in sorted(REPO_SCHEMAS.glob("*.json")):
        name = schema.stem
        shutil.copy(schema, root / "schemas" / schema.name)
        fields = [f["name"] for f in json.loads(schema.read_text(encoding="utf-8"))["fields"]]
        with open(root / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields, restval="", lineterminator="\n")
            w.writeheader()
            w.writerows(tables.get(name, []))
        resources.append({"name": name, "path": f"data/{name}.csv", "schema": f"schemas/{name}.json"})
    (root / "datapackage.json").write_text(json.dumps({"name": "synthetic", "version": "0.0.0", "resources": resources}), encoding="utf-8")
    return root
