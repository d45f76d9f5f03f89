"""A deterministic zip writer: fixed timestamps, modes and order."""

from __future__ import annotations

import zipfile
from datetime import datetime

__all__ = ["DeterministicZip"]


class DeterministicZip:
    """Write entries with one fixed timestamp, mode 0644 and a Unix origin, so
    the archive's bytes depend only on the entries' names, order and content.

    Examples:
        >>> import io
        >>> from datetime import datetime, timezone
        >>> def build():
        ...     buf = io.BytesIO()
        ...     with DeterministicZip(buf, datetime(2020, 1, 1, tzinfo=timezone.utc)) as z:
        ...         z.add("a.txt", b"hello")
        ...     return buf.getvalue()
        >>> build() == build()
        True
    """

    def __init__(self, target, when: datetime):
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)
        self._when = (when.year, when.month, when.day, when.hour, when.minute, when.second)

    def add(self, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=self._when)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, whatever the platform, so attributes mean the same
        info.external_attr = 0o100644 << 16
        self._zip.writestr(info, data, compresslevel=9)

    def add_folder(self, name: str) -> None:
        """A folder entry (``name`` ends in ``/``), mode 0755."""
        if not name.endswith("/"):
            raise ValueError(f"a folder entry's name ends in '/'; found {name!r}")
        info = zipfile.ZipInfo(name, date_time=self._when)
        info.compress_type = zipfile.ZIP_STORED
        info.create_system = 3
        info.external_attr = (0o40755 << 16) | 0x10  # Unix directory mode, MS-DOS directory flag
        self._zip.writestr(info, b"")

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
