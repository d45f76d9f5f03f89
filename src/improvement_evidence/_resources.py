"""Where the bundled data package lives.

The wheel carries the data package under ``improvement_evidence/package/``
(see ``[tool.hatch.build.targets.wheel.force-include]`` in pyproject.toml).
In a source checkout or an editable install that folder does not exist, so
we fall back to the repository root, where ``datapackage.json`` is the one
source of truth.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["package_path", "descriptor", "resource_names", "resource_path", "schema_path"]

DESCRIPTOR_NAME = "datapackage.json"


@lru_cache(maxsize=1)
def _bundled_root() -> Path:
    inside = Path(str(resources.files("improvement_evidence"))) / "package"
    if (inside / DESCRIPTOR_NAME).is_file():
        return inside
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / DESCRIPTOR_NAME).is_file():
        return checkout
    raise FileNotFoundError(
        "the bundled data package is missing: expected "
        f"{inside / DESCRIPTOR_NAME} (installed wheel) or "
        f"{checkout / DESCRIPTOR_NAME} (source checkout); "
        "the installation is probably incomplete, so reinstall improvement-evidence"
    )


def package_path() -> Path:
    """Return the path of the installed ``datapackage.json``.

    Like palmerpenguins' ``path_to_file()``: use it to open the files with
    any tool, or to hand the package to frictionless.

    Examples:
        >>> import improvement_evidence as ie
        >>> ie.package_path().name
        'datapackage.json'
        >>> sorted(p.name for p in (ie.package_path().parent / "data").glob("a*.csv"))[:1]
        ['approaches.csv']
    """
    return _bundled_root() / DESCRIPTOR_NAME


@lru_cache(maxsize=8)
def _descriptor_at(path: str, stamp: tuple[int, int]) -> dict:
    # ``stamp`` (mtime, size) is part of the key so an edited file is re-read.
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def file_stamp(path: Path | str) -> tuple[int, int]:
    st = Path(path).stat()
    return (st.st_mtime_ns, st.st_size)


def descriptor(path: Path | str | None = None) -> dict:
    """Return the parsed ``datapackage.json`` (the bundled one by default).

    Examples:
        >>> import improvement_evidence as ie
        >>> ie.descriptor()["name"]
        'improvement-evidence'
    """
    p = Path(path) if path is not None else package_path()
    if p.is_dir():
        p = p / DESCRIPTOR_NAME
    p = p.resolve()
    return _descriptor_at(str(p), file_stamp(p))


def resource_names(path: Path | str | None = None) -> list[str]:
    """Names of the tables in the package, in descriptor order."""
    return [r["name"] for r in descriptor(path)["resources"]]


def _resource(name: str, path: Path | str | None = None) -> dict:
    for r in descriptor(path)["resources"]:
        if r["name"] == name:
            return r
    valid = ", ".join(resource_names(path))
    raise KeyError(f"no table named {name!r}; valid names are: {valid}")


def resource_path(name: str, path: Path | str | None = None) -> Path:
    """Path of the CSV file of table ``name``.

    Examples:
        >>> import improvement_evidence as ie
        >>> ie.resource_path("metrics").name
        'metrics.csv'
    """
    root = (Path(path) if path is not None else package_path())
    root = root if root.is_dir() else root.parent
    return root / _resource(name, path)["path"]


def schema_path(name: str, path: Path | str | None = None) -> Path:
    """Path of the Table Schema JSON of table ``name``."""
    root = (Path(path) if path is not None else package_path())
    root = root if root.is_dir() else root.parent
    return root / _resource(name, path)["schema"]
