"""docs/conformance.md is generated from the recorded results, and they cover every client test."""

from __future__ import annotations

import ast
import importlib.util
import json

from _values import ROOT

RESULTS = ROOT / "tests" / "conformance" / "results.json"


def declared() -> set[tuple[str, str, str]]:
    """Every (client, artefact, call) a ``@pytest.mark.client`` in this folder names."""
    out = set()
    for path in sorted((ROOT / "tests" / "conformance").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "client":
                out.add(tuple(ast.literal_eval(a) for a in node.args))
    return out


def gen():
    spec = importlib.util.spec_from_file_location("gen_conformance", ROOT / "tools" / "gen_conformance.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_results_cover_exactly_the_client_tests():
    rows = json.loads(RESULTS.read_text(encoding="utf-8"))
    recorded = {(r["client"], r["artefact"], r["call"]) for r in rows}
    assert recorded == declared(), "re-run the suite with IE_CONFORMANCE_RESULTS=tests/conformance/results.json"
    assert all(r["result"] == "pass" or r["result"].startswith("skipped: ") for r in rows), [r for r in rows if r["result"] == "FAIL"]


def test_the_page_is_generated_from_the_results():
    assert gen().main(["--check"]) == 0, "docs/conformance.md is stale: python tools/gen_conformance.py"
