"""The public API contract of improvement_evidence (DESIGN.md, issue 3)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import improvement_evidence as ie


EXPECTED_TABLES = {
    "areas", "benefits", "examples", "example_benefits", "metrics", "approaches",
    "example_approaches", "sources", "example_sources", "study_designs",
    "evaluations", "outcome_levels", "quality_dimensions",
}


def test_all_is_explicit_and_complete():
    public = {n for n in dir(ie) if not n.startswith("_") and callable(getattr(ie, n))}
    # every public callable is exported, and every export exists
    assert public <= set(ie.__all__), sorted(public - set(ie.__all__))
    for name in ie.__all__:
        assert hasattr(ie, name), name
    for required in ["load", "load_table", "list_tables", "package_path", "validate", "__version__"]:
        assert required in ie.__all__


def test_version_comes_from_datapackage(repo_root):
    declared = json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert ie.__version__ == declared
    assert ie.load().version == declared


def test_installed_metadata_version_matches():
    from importlib.metadata import PackageNotFoundError, version

    try:
        assert version("improvement-evidence") == ie.__version__
    except PackageNotFoundError:
        pytest.skip("improvement-evidence is not installed (running from a bare checkout)")


def test_list_tables_matches_descriptor(repo_root):
    desc = json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))
    assert ie.list_tables() == [r["name"] for r in desc["resources"]]
    assert EXPECTED_TABLES <= set(ie.list_tables())


def test_load_gives_attribute_item_and_mapping_access():
    ds = ie.load()
    assert set(ds.tables) == set(ie.list_tables())
    for name in ie.list_tables():
        assert ds[name] is getattr(ds, name) is ds.tables[name]
        assert isinstance(ds[name], pd.DataFrame)
    assert len(ds) == len(ie.list_tables())
    assert ds.benefits.shape[0] == 22
    assert ds.areas.shape[0] == 4


def test_unknown_table_error_lists_valid_names():
    with pytest.raises(KeyError) as exc:
        ie.load_table("metric")
    assert "'metric'" in str(exc.value)
    for name in ie.list_tables():
        assert name in str(exc.value)
    ds = ie.load()
    with pytest.raises(KeyError, match="valid names are: areas"):
        ds["nope"]
    with pytest.raises(AttributeError, match="no table named 'nope'"):
        ds.nope


def test_package_path_is_the_descriptor():
    p = ie.package_path()
    assert p.name == "datapackage.json" and p.is_file()
    assert (p.parent / "data" / "metrics.csv").is_file()
    assert ie.resource_path("metrics") == p.parent / "data" / "metrics.csv"


def test_primary_keys_stay_columns():
    for name in ie.list_tables():
        df = ie.load_table(name)
        assert isinstance(df.index, pd.RangeIndex), name
        schema = json.loads((ie.package_path().parent / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
        for key in schema.get("primaryKey", []):
            assert key in df.columns, (name, key)


def test_import_pulls_in_neither_frictionless_nor_pandera():
    code = (
        "import sys, improvement_evidence as ie; ie.load(); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('frictionless', 'pandera')]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_export_is_shadowed_by_a_submodule():
    """Importing every submodule first must not turn a public function into a
    module object (a package attribute is overwritten by a submodule of the
    same name)."""
    import importlib
    import inspect
    import pkgutil

    for mod in pkgutil.walk_packages(ie.__path__, "improvement_evidence."):
        if mod.name.endswith("__main__"):
            continue
        importlib.import_module(mod.name)
    for name in ie.__all__:
        if name == "__version__":
            continue
        assert not inspect.ismodule(getattr(ie, name)), name


def test_lazy_verbs_are_the_real_functions_with_their_docs():
    from improvement_evidence import appraisal, citation, integrity, validation

    assert ie.cite is citation.cite
    assert ie.verify is integrity.verify
    assert ie.validate is validation.validate
    assert ie.evidence is appraisal.evidence and ie.gap_matrix is appraisal.gap_matrix
    for name in ["cite", "verify", "validate", "evidence", "gap_matrix", "load", "load_table", "list_tables", "package_path"]:
        assert "Examples:" in (getattr(ie, name).__doc__ or ""), f"{name} has no Examples section"
