"""What an export may say about the data it holds: version, content hash, released or not.

An export states the content hash of the files it was made from, recomputed
from those files, never the one the descriptor records. It names the
descriptor's version as a release only when the files are that release:

* every data file matches the hash the descriptor records, and
* if the installed package has the same name and version, its content hash
  is the same (a copy edited and then refreshed with
  ``tools/refresh_package.py`` still says "1.0.0" but holds other data).

Otherwise the export says it is a modified copy, not a released version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import ExportError

__all__ = ["Stamp", "stamp"]


@dataclass(frozen=True)
class Stamp:
    """The identity an export states."""

    name: str
    version: str
    content_hash: str  # recomputed from the exported files
    released: bool

    @property
    def version_text(self) -> str:
        """The version as an export prints it.

        Examples:
            >>> Stamp("p", "1.0.0", "sha256:ab", True).version_text
            '1.0.0'
            >>> Stamp("p", "1.0.0", "sha256:ab", False).version_text
            'modified copy of 1.0.0 (not a released version)'
        """
        return self.version if self.released else f"modified copy of {self.version} (not a released version)"

    @property
    def note(self) -> str:
        """One sentence on what the content hash identifies."""
        if self.released:
            return f"The data files of version {self.version}; `improvement-evidence verify` recomputes this hash."
        return (
            f"These data files differ from version {self.version} as released: this hash identifies this "
            "modified copy only. Cite the released version you started from and describe your changes."
        )


def _installed_hash(name: str, version: str, file: Path) -> str | None:
    """The installed package's recorded content hash when it has this name and version."""
    from ..integrity import recorded_content_hash
    from ..package import locate, read_descriptor

    try:
        installed = locate(None)
        if installed.resolve() == file.resolve():
            return None
        desc = read_descriptor(installed)[1]
    except (OSError, ValueError):
        return None
    if desc.get("name") != name or str(desc.get("version", "")) != version:
        return None
    return recorded_content_hash(installed)


def stamp(file: Path) -> Stamp:
    """The stamp for the package whose descriptor is ``file``.

    Examples:
        >>> from improvement_evidence.package import locate
        >>> s = stamp(locate(None))
        >>> s.released, s.content_hash.startswith("sha256:")
        (True, True)
    """
    from ..integrity import VerifyError, verify

    try:
        report = verify(file)
    except VerifyError as exc:
        raise ExportError(f"cannot export: {exc}") from None
    if report.actual_content_hash is None:
        missing = [f.path for f in report.problems if f.status == "missing"]
        raise ExportError(f"cannot export: {', '.join(missing)} listed in datapackage.json but missing")
    desc = json.loads(file.read_text(encoding="utf-8"))
    name, version = str(desc.get("name", "")), str(desc.get("version", ""))
    released = report.ok and report.actual_content_hash == report.recorded_content_hash
    if released:
        shipped = _installed_hash(name, version, file)
        released = shipped is None or shipped == report.actual_content_hash
    return Stamp(name, version, report.actual_content_hash, released)
