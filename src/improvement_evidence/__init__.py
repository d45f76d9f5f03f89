"""improvement-evidence: the case for improvement in health and care, as data.

Load typed DataFrames of the benefits, examples, figures and sources in the
Health Foundation / Q guide "A guide to making the case for improvement",
cross-checked against primary sources.

Examples:
    >>> import improvement_evidence as ie
    >>> ds = ie.load()
    >>> len(ds.benefits)
    22

Importing the package reads only ``datapackage.json`` (for the version);
frictionless and pandera are imported only when validating.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._resources import descriptor, package_path, resource_path
from .errors import ImprovementEvidenceError, PackageError
from .load import Dataset, LoadError, list_tables, load, load_table

if TYPE_CHECKING:  # imported on first use (see __getattr__); named here for type checkers and the API docs
    from .appraisal import evidence, gap_matrix
    from .briefs import brief
    from .citation import cite
    from .validation import validate
    from .integrity import verify


def _read_version() -> str:
    return descriptor()["version"]


__version__: str = _read_version()

# Verbs beyond loading are imported when first used, so that
# `import improvement_evidence` costs little more than `import pandas`
# (a benchmark target) and never imports frictionless or pandera.
_LAZY = {
    "brief": ".briefs",
    "cite": ".citation",
    "evidence": ".appraisal",
    "gap_matrix": ".appraisal",
    "validate": ".validation",
    "verify": ".integrity",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'improvement_evidence' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Dataset",
    "ImprovementEvidenceError",
    "LoadError",
    "PackageError",
    "__version__",
    "brief",
    "cite",
    "descriptor",
    "evidence",
    "gap_matrix",
    "list_tables",
    "load",
    "load_table",
    "package_path",
    "resource_path",
    "validate",
    "verify",
]
