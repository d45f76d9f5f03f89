"""The conformance suite: the package and every export, read by clients no one here wrote.

Each test carries ``@pytest.mark.client(client, artefact, call)``. With
``IE_CONFORMANCE_RESULTS=FILE`` set, the run writes every such test's outcome
to FILE (JSON); ``python tools/gen_conformance.py`` turns that into
docs/conformance.md. A client that is not installed is skipped, with the
reason, never silently passed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

_RESULTS: dict[str, dict] = {}


def _severity(result: str) -> int:
    return {"pass": 0, "FAIL": 2}.get(result, 1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("client")
    if marker is None:
        return
    client, artefact, how = marker.args
    key = f"{client} | {artefact} | {how}"
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            result = "skipped: " + reason.removeprefix("Skipped: ")
        else:
            result = "pass" if report.passed else "FAIL"
        prev = _RESULTS.get(key, {}).get("result")
        if prev and _severity(prev) > _severity(result):  # several tests, one row: the worst outcome wins
            result = prev
        entry = {"client": client, "artefact": artefact, "call": how, "result": result}
        notes = [v for k, v in report.user_properties if k == "note"]
        old = [n for n in _RESULTS.get(key, {}).get("note", "").split("; ") if n]
        merged = list(dict.fromkeys([*old, *notes]))
        if merged:
            entry["note"] = "; ".join(merged)
        _RESULTS[key] = entry


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("IE_CONFORMANCE_RESULTS")
    if target and _RESULTS:
        rows = sorted(_RESULTS.values(), key=lambda r: (r["client"].lower(), r["artefact"], r["call"]))
        Path(target).write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def note(request):
    """note(text): a finding to print beside this test's result in docs/conformance.md."""

    def add(text: str) -> None:
        request.node.user_properties.append(("note", text))

    return add


@pytest.fixture(scope="session")
def exports(tmp_path_factory) -> dict[str, Path]:
    """Every export of the shipped package, made once: format -> file or folder."""
    from improvement_evidence.export import export

    base = tmp_path_factory.mktemp("exports")
    out = {}
    for fmt, name in (("zip", "ie.zip"), ("sqlite", "ie.sqlite"), ("xlsx", "ie.xlsx"), ("csv", "csv"), ("parquet", "parquet")):
        try:
            out[fmt] = export(fmt, base / name, ROOT)
        except Exception as exc:  # an extra not installed: the tests that need it skip
            out[fmt] = exc
    return out




@pytest.fixture(scope="session")
def unzipped(exports, tmp_path_factory) -> Path:
    """The zip export, unpacked with Python's zipfile (unzip itself is tested separately)."""
    import zipfile

    target = tmp_path_factory.mktemp("unzipped")
    from _clients import need_export

    with zipfile.ZipFile(need_export(exports, "zip")) as z:
        z.extractall(target)
    return target
