"""Where the bundled data package lives, and small conveniences over it.

Everything here reads through :mod:`improvement_evidence.package`, the one
module that opens a package; these helpers only name what it found.
"""

from __future__ import annotations

from pathlib import Path

from .package import DESCRIPTOR_NAME, Package, bundled_root, read_descriptor

__all__ = ["package_path", "descriptor", "resource_names", "resource_path", "schema_path", "DESCRIPTOR_NAME"]


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
    return bundled_root() / DESCRIPTOR_NAME


def descriptor(path: Path | str | None = None) -> dict:
    """Return the parsed ``datapackage.json`` (the bundled one by default).

    Raises:
        improvement_evidence.errors.PackageError: it cannot be read safely.

    Examples:
        >>> import improvement_evidence as ie
        >>> ie.descriptor()["name"]
        'improvement-evidence'
    """
    return read_descriptor(path)[1]


def resource_names(path: Path | str | None = None) -> list[str]:
    """Names of the tables in the package, in descriptor order."""
    return Package.open(path).names


def resource_path(name: str, path: Path | str | None = None) -> Path:
    """Path of the CSV file of table ``name`` (checked to be inside the package).

    Examples:
        >>> import improvement_evidence as ie
        >>> ie.resource_path("metrics").name
        'metrics.csv'
    """
    return Package.open(path).resource(name).csv_file


def schema_path(name: str, path: Path | str | None = None) -> Path:
    """Path of the Table Schema JSON of table ``name`` (checked to be inside the package)."""
    return Package.open(path).resource(name).schema_file
