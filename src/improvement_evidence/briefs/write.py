"""Write a brief to a file atomically: a temporary file in the same folder,
then a rename, so a reader never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BriefError

__all__ = ["write_atomic"]


def write_atomic(data: str | bytes, out: Path | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``out`` atomically; return the path.

    Examples:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> write_atomic("hello\\n", d / "b.md").read_text()
        'hello\\n'
    """
    out = Path(out)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise BriefError(f"cannot write {out}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BriefError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise BriefError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out
