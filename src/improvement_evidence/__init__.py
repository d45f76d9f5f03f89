"""improvement-evidence: the case for improvement in health and care, as data.

Load typed DataFrames of the benefits, examples, figures and sources in the
Health Foundation / Q guide "A guide to making the case for improvement",
cross-checked against primary sources::

    import improvement_evidence as ie
    ds = ie.load()
    ds.metrics.head()

Importing the package reads only ``datapackage.json`` (for the version);
frictionless and pandera are imported only when validating.
"""

from __future__ import annotations

from ._resources import descriptor, package_path, resource_path
from .appraisal import evidence, gap_matrix
from .citation import cite
from .load import Dataset, LoadError, list_tables, load, load_table
from .verify import verify


def _read_version() -> str:
    return descriptor()["version"]


__version__: str = _read_version()


def validate(path=None, *, source_text=None):
    """Validate a data package and return a report; never raises on bad data.

    See :func:`improvement_evidence.validation.validate`.
    """
    from .validation import validate as _validate

    return _validate(path, source_text=source_text)


__all__ = [
    "Dataset",
    "LoadError",
    "__version__",
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
