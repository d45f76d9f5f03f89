"""The one module that opens a data package.

Every verb -- ``load``, ``show``, ``info``, ``verify``, ``cite``, ``diff``,
``export``, ``validate`` and anything added later -- reads a package through
:class:`Package` (strict: the first blocking problem raises
:class:`~improvement_evidence.errors.PackageError`) or :func:`inspect`
(lenient: every problem is returned, for ``validate``'s report). No other
module parses ``datapackage.json`` or a Table Schema. The policy:

1. **Where.** ``PATH`` is a ``datapackage.json`` or the folder holding it;
   by default the installed package. The folder of the descriptor is the
   package *root*.
2. **Paths stay inside.** A resource or schema path must be relative, use
   ``/``, have no ``..``, no URL scheme, no control character, and, after
   every symbolic link is resolved, lie inside the resolved root. Anything
   else is refused (``unsafe-path``) before it is opened: nothing outside
   the package is ever read and no network is used.
3. **Only regular files.** Each file is ``stat``-ed before it is opened: a
   FIFO, socket, device or folder is refused (``special-file``). It is then
   opened with ``O_NONBLOCK`` and checked again with ``fstat``, so a file
   swapped for a FIFO in between cannot block either.
4. **Bounded sizes.** The files of a package together may hold at most
   :func:`max_bytes` bytes (32 MiB by default, over 100 times the shipped
   package; raise it with the environment variable
   ``IMPROVEMENT_EVIDENCE_MAX_BYTES``). Sizes are checked before reading
   and no read takes more than the limit (``too-large``).
5. **Strict text.** Every file is decoded as UTF-8 with errors raised; JSON
   may not hold a lone surrogate or a NUL in any string
   (``descriptor-error`` / ``schema-error``).
6. **Checked shapes.** The descriptor is an object with a non-empty
   ``resources`` list; every resource has a unique name matching
   :data:`NAME_PATTERN` (so a name can safely become a file or sheet name),
   one relative ``path`` and a ``schema`` file. Each schema is checked once
   and parsed into a :class:`~improvement_evidence.schema.TableSpec` carrying
   fields, types, constraints, primary key, foreign keys and missing
   values; callers use the spec, never the schema dict.

Examples:
    >>> from improvement_evidence.package import Package
    >>> pkg = Package.open()
    >>> pkg.descriptor_path.name, pkg.resource("areas").spec.primary_key
    ('datapackage.json', ('area_id',))
    >>> Package.open("/nonexistent")
    Traceback (most recent call last):
    ...
    improvement_evidence.errors.PackageError: expected a folder holding datapackage.json at /nonexistent; not found (nothing is there). Likely cause: a mistyped path, or the folder is not a data package.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from importlib import resources as _importlib_resources
from pathlib import Path

from .errors import PackageError
from .schema import SUPPORTED_TYPES, TableSpec, table_spec_from_dict

__all__ = [
    "DESCRIPTOR_NAME",
    "MAX_BYTES_ENV",
    "DEFAULT_MAX_BYTES",
    "NAME_PATTERN",
    "Package",
    "Problem",
    "Resource",
    "bundled_root",
    "inspect",
    "locate",
    "max_bytes",
    "path_problem",
    "read_descriptor",
    "read_file",
]

DESCRIPTOR_NAME = "datapackage.json"
MAX_BYTES_ENV = "IMPROVEMENT_EVIDENCE_MAX_BYTES"
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
# Frictionless's resource-name rule (lower case, digits, '.', '_', '-'),
# without '/' and not starting with '.', so a name is always a safe file,
# table and sheet name.
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
# semver.org's own regular expression for a version (2.0.0).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HASH = re.compile(r"^(sha256:[0-9a-fA-F]{64}|md5:[0-9a-fA-F]{32})$")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@")


def max_bytes() -> int:
    """The most bytes a package's files may hold together.

    ``IMPROVEMENT_EVIDENCE_MAX_BYTES`` raises (or lowers) the default of
    32 MiB; a value that is not a positive whole number is ignored.

    Examples:
        >>> import os
        >>> os.environ.pop("IMPROVEMENT_EVIDENCE_MAX_BYTES", None) and None
        >>> max_bytes() == 32 * 1024 * 1024
        True
    """
    raw = os.environ.get(MAX_BYTES_ENV, "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_MAX_BYTES
    return value if value > 0 else DEFAULT_MAX_BYTES


# -- where -----------------------------------------------------------------------------


def bundled_root() -> Path:
    """The folder of the installed package's ``datapackage.json``.

    The wheel carries it under ``improvement_evidence/package/``; in a source
    checkout or an editable install the repository root holds it.

    Examples:
        >>> (bundled_root() / "datapackage.json").is_file()
        True
    """
    inside = Path(str(_importlib_resources.files("improvement_evidence"))) / "package"
    if (inside / DESCRIPTOR_NAME).is_file():
        return inside
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / DESCRIPTOR_NAME).is_file():
        return checkout
    raise PackageError(
        "the bundled data package is missing: expected "
        f"{inside / DESCRIPTOR_NAME} (installed wheel) or {checkout / DESCRIPTOR_NAME} (source checkout); "
        "the installation is probably incomplete, so reinstall improvement-evidence",
        code="missing-file",
    )


def locate(path: Path | str | None = None) -> Path:
    """The ``datapackage.json`` that ``path`` names (nothing is read).

    Examples:
        >>> locate("/tmp/pkg.json").name, locate(None).name
        ('pkg.json', 'datapackage.json')
    """
    if path is None:
        return bundled_root() / DESCRIPTOR_NAME
    p = Path(path)
    try:
        is_dir = p.is_dir()
    except (OSError, ValueError):
        is_dir = False
    return p / DESCRIPTOR_NAME if is_dir else p


# -- one safe read -----------------------------------------------------------------------


def path_problem(p: str, root: Path) -> str | None:
    """Why the relative path ``p`` is unsafe, or None when it is safe.

    Examples:
        >>> from pathlib import Path
        >>> path_problem("data/a.csv", Path("."))
        >>> path_problem("https://example.org/a.csv", Path("."))
        'it is remote (a URL); resources must be files inside the package'
        >>> path_problem("../a.csv", Path("."))
        "it climbs out of the package folder with '..'"
    """
    if any(ord(c) < 32 for c in p) or _BAD_CHAR.search(p):
        return "it contains a control character or an unpaired surrogate"
    if p.lower().startswith(("http://", "https://", "ftp://", "s3://", "file:")) or "://" in p:
        return "it is remote (a URL); resources must be files inside the package"
    if _SCHEME.match(p):
        return "it starts with a drive letter or URL scheme; resources must be relative paths"
    if p.startswith(("/", "~")):
        return "it is absolute; resources must be relative to datapackage.json"
    if "\\" in p:
        return "it uses backslashes; write relative paths with '/'"
    if ".." in p.split("/"):
        return "it climbs out of the package folder with '..'"
    try:
        inside = (root / p).resolve().is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):
        return "it cannot be resolved"
    if not inside:
        return "it leads outside the package folder (through a symbolic link)"
    return None


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def read_file(file: Path, *, shown: str | None = None, limit: int | None = None,
              table: str | None = None, field: str | None = None) -> bytes:
    """The bytes of ``file``, read under the policy's rules 3 and 4.

    ``file`` must already be known to be inside the package (see
    :func:`path_problem`); ``shown`` is the name used in messages.

    Raises:
        PackageError: ``missing-file``, ``special-file`` or ``too-large``.

    Examples:
        >>> read_file(Path("/dev/null"))
        Traceback (most recent call last):
        ...
        improvement_evidence.errors.PackageError: /dev/null: expected a regular file; found a character device. Special files are never read.
    """
    shown = shown or str(file)
    limit = max_bytes() if limit is None else limit
    where = {"file": None, "field": field}
    try:
        st = os.stat(file)
    except FileNotFoundError:
        raise PackageError(f"{shown}: expected a file; found nothing there. Likely cause: renamed, deleted or not copied with the package.",
                           code="missing-file", **where) from None
    except (OSError, ValueError) as exc:
        raise PackageError(f"{shown}: cannot be examined ({type(exc).__name__}: {_short(exc)}).", code="missing-file", **where) from None
    if not stat.S_ISREG(st.st_mode):
        raise PackageError(f"{shown}: expected a regular file; found {_kind(st.st_mode)}. Special files are never read.",
                           code="special-file", **where)
    if st.st_size > limit:
        raise PackageError(_too_large(shown, st.st_size, limit), code="too-large", **where)
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise PackageError(f"{shown}: cannot be opened ({exc.strerror or exc}).", code="missing-file", **where) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise PackageError(f"{shown}: expected a regular file; found {_kind(st.st_mode)}. Special files are never read.",
                               code="special-file", **where)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise PackageError(_too_large(shown, total, limit), code="too-large", **where)
        return b"".join(chunks)
    except OSError as exc:
        raise PackageError(f"{shown}: cannot be read ({exc.strerror or exc}).", code="missing-file", **where) from None
    finally:
        os.close(fd)


def _too_large(shown: str, size: int, limit: int) -> str:
    return (f"{shown}: expected the package's files to hold at most {limit:,} bytes together; with this file they hold "
            f"{size:,}{' or more' if size == limit + 1 else ''}. Raise the limit with {MAX_BYTES_ENV}=<bytes> if the package really is this large.")


def _short(exc: BaseException) -> str:
    return _ascii(str(exc))[:160]


def _ascii(text: str) -> str:
    """Printable on any terminal: surrogates and controls escaped."""
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _bad_string(obj) -> str | None:
    """The JSON path of the first string (or key) holding a NUL or a lone surrogate."""
    stack = [(obj, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            m = _BAD_CHAR.search(value)
            if m:
                what = "a NUL character" if m.group() == "\x00" else f"an unpaired surrogate (U+{ord(m.group()):04X})"
                return f"{where or 'the document'} holds {what}"
        elif isinstance(value, dict):
            for k, v in value.items():
                if _BAD_CHAR.search(k):
                    return f"the key {_ascii(repr(k))[:60]} in {where or 'the document'} holds a NUL or an unpaired surrogate"
                stack.append((v, f"{where}.{k}" if where else k))
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(value))
    return None


def parse_json(data: bytes, shown: str, *, code: str = "descriptor-error", table: str | None = None, field: str | None = None):
    """Strict UTF-8 JSON with no NUL or lone surrogate in any string.

    Examples:
        >>> parse_json(b'{"a": [1]}', "x.json")
        {'a': [1]}
        >>> parse_json(b'{"a": "\\\\ud800"}', "x.json")
        Traceback (most recent call last):
        ...
        improvement_evidence.errors.PackageError: x.json: expected text without control characters; a holds an unpaired surrogate (U+D800). Likely cause: a hand edit or a broken converter.
    """
    where = {"field": field}
    if data.startswith(b"\xef\xbb\xbf"):
        raise PackageError(f"{shown}: expected UTF-8 JSON without a byte-order mark; found one. Likely cause: saved by a Windows editor.", code=code, **where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{shown}: expected UTF-8 JSON; found undecodable bytes at byte {exc.start}. Likely cause: saved in another encoding.",
                           code=code, **where) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(f"{shown}: expected valid JSON; found a syntax error at line {exc.lineno}, column {exc.colno} ({exc.msg}). "
                           "Likely cause: a hand edit left a trailing comma or a missing quote.", code=code, **where) from None
    except (RecursionError, ValueError, MemoryError) as exc:
        raise PackageError(f"{shown}: cannot be read as JSON ({type(exc).__name__}: {_short(exc)}).", code=code, **where) from None
    bad = _bad_string(obj)
    if bad:
        raise PackageError(f"{shown}: expected text without control characters; {_ascii(bad)}. Likely cause: a hand edit or a broken converter.",
                           code=code, **where)
    return obj


# -- problems ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the package as opened. ``blocking`` problems
    stop :meth:`Package.open`; the others only ``validate`` reports."""

    code: str
    table: str | None
    field: str | None
    message: str
    blocking: bool = True

    def error(self, file: str | None) -> PackageError:
        return PackageError(self.message, code=self.code, file=file, field=self.field)


@dataclass
class Resource:
    """One table of the package: its descriptor entry, files and parsed schema.

    ``csv_file`` and ``spec`` are None when the file or schema cannot be used
    (only possible through :func:`inspect`).
    """

    name: str
    entry: dict
    path: str | None = None  # relative, as in the descriptor
    csv_file: Path | None = None
    schema_path: str | None = None
    schema_file: Path | None = None
    schema: dict | None = None
    spec: TableSpec | None = None
    size: int = 0


# -- the shapes ------------------------------------------------------------------------------


def schema_problem(raw) -> str | None:
    """Why ``raw`` is not a Table Schema this package can use, or None.

    Examples:
        >>> schema_problem({"fields": [{"name": "=cmd()"}]})
        "field '=cmd()': a field name may not start with =, +, - or @ (a spreadsheet would run it as a formula)"
        >>> schema_problem({"fields": [{"name": "id"}], "primaryKey": ["id"]})
    """
    if not isinstance(raw, dict):
        return f"expected a JSON object; found {type(raw).__name__}"
    fields = raw.get("fields")
    if not isinstance(fields, list) or not fields:
        return "expected a non-empty 'fields' list"
    names = []
    for i, f in enumerate(fields):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f.get("name"):
            return f"field #{i + 1} has no name"
        name = f["name"]
        shown = _ascii(repr(name))[:80]
        if name.startswith(_FORMULA_START):
            return f"field {shown}: a field name may not start with =, +, - or @ (a spreadsheet would run it as a formula)"
        if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name) or len(name) > 200:
            return f"field {shown}: a field name must be at most 200 characters with no control character"
        if name in names:
            return f"field {shown} is declared twice"
        names.append(name)
        if f.get("type", "string") not in SUPPORTED_TYPES:
            return f"field {shown} has type {_ascii(repr(f.get('type')))[:60]}; supported: {', '.join(SUPPORTED_TYPES)}"
        for key in ("title", "description", "format"):
            if key in f and not isinstance(f[key], str):
                return f"field {shown}: {key!r} must be a string"
        c = f.get("constraints", {})
        if not isinstance(c, dict):
            return f"field {shown}: 'constraints' must be an object"
        if "enum" in c and (not isinstance(c["enum"], list) or not all(isinstance(v, str) for v in c["enum"])):
            return f"field {shown}: constraints.enum must be a list of strings"
        for key in ("required", "unique"):
            if key in c and not isinstance(c[key], bool):
                return f"field {shown}: constraints.{key} must be true or false"
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if key in c and not (isinstance(c[key], (int, float, str)) and not isinstance(c[key], bool)):
                return f"field {shown}: constraints.{key} must be a number"
        for key in ("minLength", "maxLength"):
            if key in c and not (isinstance(c[key], int) and not isinstance(c[key], bool) and c[key] >= 0):
                return f"field {shown}: constraints.{key} must be a non-negative whole number"
        if "pattern" in c:
            from .patterns import pattern_problem

            why = pattern_problem(c["pattern"])
            if why:
                return f"field {shown}: constraints.pattern {why}"
    pk = raw.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    if not isinstance(pk, list) or any(not isinstance(k, str) or k not in names for k in pk):
        return f"primaryKey {_ascii(repr(raw.get('primaryKey')))[:80]} names a field the schema does not have"
    mv = raw.get("missingValues", [""])
    if not isinstance(mv, list) or not all(isinstance(v, str) for v in mv):
        return "missingValues must be a list of strings"
    for key in ("title", "description"):
        if key in raw and not isinstance(raw[key], str):
            return f"{key!r} must be a string"
    fks = raw.get("foreignKeys", [])
    if not isinstance(fks, list):
        return "foreignKeys must be a list"
    for fk in fks:
        ok = isinstance(fk, dict) and isinstance(fk.get("reference"), dict)
        if ok:
            own = fk.get("fields")
            ref = fk["reference"].get("fields")
            own = [own] if isinstance(own, str) else own
            ref = [ref] if isinstance(ref, str) else ref
            ok = (isinstance(own, list) and isinstance(ref, list) and len(own) == len(ref) and bool(own)
                  and all(isinstance(k, str) and k in names for k in own) and all(isinstance(k, str) for k in ref)
                  and isinstance(fk["reference"].get("resource", ""), str))
        if not ok:
            return f"malformed foreign key {_ascii(repr(fk))[:120]}"
    return None


def _entry_problems(i: int, entry, root: Path, seen: set[str]) -> tuple[Resource | None, list[Problem]]:
    where = f"resource #{i + 1}"
    if not isinstance(entry, dict):
        return None, [Problem("descriptor-error", None, None, f"{where}: expected an object; found {type(entry).__name__}.")]
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        return None, [Problem("descriptor-error", None, "name", f"{where}: expected a \"name\"; found {_ascii(repr(name))[:80]}.")]
    if not NAME_PATTERN.fullmatch(name):
        return None, [Problem("descriptor-error", None, "name",
                              f"{where}: expected a name of lower-case letters, digits, '.', '_' or '-' (at most 100, not starting with '.'); "
                              f"found {_ascii(repr(name))[:80]}. A name becomes a file and sheet name, so no path separators are allowed.")]
    if name in seen:
        return None, [Problem("descriptor-error", name, "name", f"{where}: the name {name!r} is used by an earlier resource; names must be unique.")]
    seen.add(name)
    problems: list[Problem] = []
    res = Resource(name, entry)

    def add(code, fld, msg, blocking=True):
        problems.append(Problem(code, name, fld, msg, blocking))

    fmt = entry.get("format", "csv")
    enc = str(entry.get("encoding", "utf-8")).lower().replace("_", "-")
    if fmt != "csv":
        add("descriptor-error", "format", f"expected \"format\": \"csv\"; found {_ascii(repr(fmt))[:60]}.", False)
    if enc not in ("utf-8", "utf8"):
        add("descriptor-error", "encoding", f"expected \"encoding\": \"utf-8\"; found {_ascii(repr(entry.get('encoding')))[:60]}.", False)
    h = entry.get("hash")
    if h is not None and not (isinstance(h, str) and _HASH.match(h)):
        add("descriptor-error", "hash", f"expected \"hash\" as 'sha256:' + 64 hex digits (or 'md5:' + 32); found {_ascii(repr(h))[:90]}. "
            "Likely cause: a bare hex digest, which frictionless would read as MD5.", False)
    b = entry.get("bytes")
    if b is not None and not (isinstance(b, int) and not isinstance(b, bool) and b >= 0):
        add("descriptor-error", "bytes", f"expected \"bytes\" as a non-negative integer; found {_ascii(repr(b))[:60]}.", False)
    for key in ("title", "description"):
        if key in entry and not isinstance(entry[key], str):
            add("descriptor-error", key, f"expected {key!r} to be a string; found {type(entry[key]).__name__}.", False)
    p = entry.get("path")
    if isinstance(p, list):
        add("descriptor-error", "path", "expected \"path\" to be one relative file path; found a list (multipart resources are not supported).")
    elif not isinstance(p, str) or not p:
        add("descriptor-error", "path", f"expected \"path\" to be a relative file path; found {_ascii(repr(p))[:80]}.")
    else:
        problem = path_problem(p, root)
        if problem:
            add("unsafe-path", "path", f"path {_ascii(repr(p))[:200]} refused: {problem}. It was not opened or fetched.")
        else:
            f = _regular(root / p, p, "data file", name, "path", problems)
            if f is not None:
                res.path, res.csv_file, res.size = p, root / p, f
    s = entry.get("schema")
    if not isinstance(s, str) or not s:
        add("descriptor-error", "schema", "expected \"schema\" to be a relative path to a Table Schema file; "
            f"found {type(s).__name__ if not isinstance(s, str) else repr(s)}.")
        return res, problems
    problem = path_problem(s, root)
    if problem:
        add("unsafe-path", "schema", f"schema path {_ascii(repr(s))[:200]} refused: {problem}. It was not opened or fetched.")
        return res, problems
    res.schema_path, res.schema_file = s, root / s
    return res, problems


def _regular(file: Path, rel: str, what: str, table: str, fld: str, problems: list[Problem]) -> int | None:
    """The size of ``file`` if it is a regular file; else a problem is added."""
    try:
        st = os.stat(file)
    except OSError:
        code = "missing-schema" if fld == "schema" else "missing-file"
        problems.append(Problem(code, table, fld, f"expected the {what} {rel} (from datapackage.json); found nothing there. "
                                "Likely cause: the file was renamed, deleted or not copied with the package."))
        return None
    if not stat.S_ISREG(st.st_mode):
        problems.append(Problem("special-file", table, fld, f"expected the {what} {rel} to be a regular file; found {_kind(st.st_mode)}. "
                                "Special files are never read."))
        return None
    return st.st_size


def _read_schema(res: Resource, budget: int, problems: list[Problem]) -> int:
    """Read and parse the schema of ``res``; return its size."""
    size = _regular(res.schema_file, res.schema_path, "schema file", res.name, "schema", problems)
    if size is None:
        return 0
    try:
        data = read_file(res.schema_file, shown=res.schema_path, limit=max(budget, 0), table=res.name, field="schema")
        raw = parse_json(data, res.schema_path, code="schema-error", table=res.name, field="schema")
    except PackageError as exc:
        code = exc.code if exc.code in ("too-large", "special-file") else "schema-error"
        problems.append(Problem(code, res.name, "schema", str(exc)))
        return size
    problem = schema_problem(raw)
    if problem:
        problems.append(Problem("schema-error", res.name, "schema", f"{res.schema_path}: not a usable Table Schema: {problem}."))
        return size
    res.schema = raw
    res.spec = table_spec_from_dict(res.name, raw)
    return size


# Top-level properties every verb may print, cite or export, with the shape
# the Data Package standard gives them. A descriptor that breaks one is
# refused by every verb (and reported by validate), never half-used.
_TEXT_PROPS = ("name", "title", "description", "homepage", "created", "version", "id", "image")
_LIST_OF_OBJECTS = {"licenses": ("name", "path", "title"), "contributors": ("title", "givenName", "familyName", "path", "email", "organization", "role"),
                    "sources": ("title", "path", "email", "version")}


def _metadata_problems(desc: dict, shown: str) -> list[Problem]:
    out = []

    def bad(key, msg):
        out.append(Problem("descriptor-error", None, key, f"{shown}: {msg}"))

    for key in _TEXT_PROPS:
        if key in desc and key != "version" and not isinstance(desc[key], str):
            bad(key, f"expected {key!r} to be text; found {type(desc[key]).__name__}.")
    for key, text_fields in _LIST_OF_OBJECTS.items():
        value = desc.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            bad(key, f"expected {key!r} to be a list of objects (the Data Package standard); found "
                     f"{type(value).__name__ if not isinstance(value, list) else 'a list holding ' + next(type(v).__name__ for v in value if not isinstance(v, dict))}. "
                     f"Likely cause: written by hand, e.g. \"{key}\": [\"...\"] instead of [{{\"name\": \"...\"}}].")
            continue
        for i, item in enumerate(value):
            wrong = [k for k in text_fields if k in item and not isinstance(item[k], str)]
            if "roles" in item and not (isinstance(item["roles"], list) and all(isinstance(r, str) for r in item["roles"])):
                wrong.append("roles")
            if wrong:
                bad(key, f"expected {key}[{i}].{wrong[0]} to be {'a list of text' if wrong[0] == 'roles' else 'text'}; found {type(item[wrong[0]]).__name__}.")
                break
    kw = desc.get("keywords")
    if kw is not None and not (isinstance(kw, list) and all(isinstance(k, str) for k in kw)):
        bad("keywords", f"expected 'keywords' to be a list of text; found {type(kw).__name__}.")
    return out


def read_descriptor(path: Path | str | None = None) -> tuple[Path, dict]:
    """Read and check the top level of a descriptor (no schema is read).

    Raises:
        PackageError: the descriptor is missing, special, too large, not
            UTF-8 JSON or not an object.

    Examples:
        >>> file, desc = read_descriptor()
        >>> desc["name"]
        'improvement-evidence'
    """
    dpath = locate(path)
    shown = str(dpath)
    try:
        exists = os.path.lexists(dpath)
    except (OSError, ValueError):
        exists = False
    if not exists:
        what = "folder holding datapackage.json" if path is not None and Path(path).suffix == "" else "datapackage.json"
        raise PackageError(f"expected a {what} at {_ascii(shown)}; not found (nothing is there). Likely cause: a mistyped path, or the folder is not a data package.",
                           code="missing-file")
    try:
        inside = dpath.resolve().parent == dpath.parent.resolve() or dpath.resolve().is_relative_to(dpath.parent.resolve())
    except (OSError, RuntimeError, ValueError):
        inside = False
    if not inside:
        raise PackageError(f"{_ascii(shown)}: refused: it is a symbolic link leading outside its folder; "
                           "give the folder (or the datapackage.json) the package really lives in.", code="unsafe-path")
    data = read_file(dpath, shown=_ascii(shown))
    desc = parse_json(data, dpath.name)
    if not isinstance(desc, dict):
        raise PackageError(f"{dpath.name}: expected a JSON object; found {type(desc).__name__}.", code="descriptor-error")
    return dpath, desc


def inspect(path: Path | str | None = None) -> tuple[Package | None, list[Problem]]:
    """Open the package leniently: every problem found, never raises.

    The package is None when the descriptor itself cannot be used. A table
    whose file or schema cannot be used is kept with ``csv_file`` or
    ``spec`` None. This is what ``validate`` reports from.

    Examples:
        >>> pkg, problems = inspect("/nonexistent/datapackage.json")
        >>> pkg, [p.code for p in problems]
        (None, ['missing-file'])
    """
    try:
        dpath, desc = read_descriptor(path)
    except PackageError as exc:
        return None, [Problem(exc.code, None, None, str(exc))]
    root = dpath.parent
    problems: list[Problem] = []
    pkg = Package(dpath, root, desc, [])
    version = desc.get("version")
    if not isinstance(version, str) or not SEMVER.match(version):
        problems.append(Problem("version-error", None, "version", f"{dpath.name}: expected \"version\" in semantic versioning "
                                f"(MAJOR.MINOR.PATCH, e.g. 1.2.0); found {_ascii(repr(version))[:60]}. Likely cause: a hand edit such as '1.2' or 'v1.2.0'.",
                                blocking=False))
    problems += _metadata_problems(desc, dpath.name)
    resources = desc.get("resources")
    if not isinstance(resources, list) or not resources:
        problems.append(Problem("descriptor-error", None, "resources", f"{dpath.name}: expected a non-empty \"resources\" list; found {_ascii(repr(resources))[:80]}."))
        return pkg, problems
    seen: set[str] = set()
    limit = max_bytes()
    used = _size_of(dpath)
    for i, entry in enumerate(resources):
        res, errs = _entry_problems(i, entry, root, seen)
        problems += errs
        if res is None:
            continue
        pkg.resources.append(res)
        if used + res.size > limit:
            problems.append(Problem("too-large", res.name, "path", _too_large(res.path, used + res.size, limit)))
            res.csv_file = None
        else:
            used += res.size
        if res.schema_file is not None:
            used += _read_schema(res, limit - used, problems)
    return pkg, problems


def _size_of(file: Path) -> int:
    try:
        return os.stat(file).st_size
    except OSError:
        return 0


@dataclass
class Package:
    """A data package opened under the policy above.

    Examples:
        >>> pkg = Package.open()
        >>> pkg.version == pkg.descriptor["version"], "metrics" in pkg.names
        (True, True)
    """

    descriptor_path: Path
    root: Path
    descriptor: dict
    resources: list[Resource] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path | str | None = None) -> Package:
        """Open strictly: the first blocking problem raises.

        Raises:
            PackageError: naming the file and field (see the module policy).
        """
        pkg, problems = inspect(path)
        for p in problems:
            if p.blocking:
                file = _ascii(str(locate(path))) if pkg is None else pkg.descriptor_path.name
                if p.table is not None:
                    file = f"{file}, resource {p.table!r}"
                raise p.error(None if pkg is None else file)
        assert pkg is not None
        return pkg

    @property
    def names(self) -> list[str]:
        """Table names in descriptor order."""
        return [r.name for r in self.resources]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def resource(self, name: str) -> Resource:
        """The table called ``name``.

        Raises:
            KeyError: no such table; the message lists the valid names.
        """
        for r in self.resources:
            if r.name == name:
                return r
        raise KeyError(f"no table named {name!r}; valid names are: {', '.join(self.names)}")

    def read_bytes(self, name: str) -> bytes:
        """The bytes of table ``name``'s data file (bounded, regular files only)."""
        res = self.resource(name)
        if res.csv_file is None:
            raise PackageError(f"table {name!r} has no readable data file", code="missing-file", file=self.descriptor_path.name)
        return read_file(res.csv_file, shown=res.path, field=None, table=name)

    def read_text(self, name: str) -> str:
        """The text of table ``name``'s data file, strictly UTF-8 (a leading BOM dropped).

        Raises:
            PackageError: ``encoding-error`` naming the file and line.
        """
        data = self.read_bytes(name)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            row = data.count(b"\n", 0, exc.start) + 1
            raise PackageError(f"expected UTF-8; found the byte 0x{data[exc.start]:02x} that is not valid UTF-8. "
                               "Likely cause: saved as Windows-1252 or Latin-1; re-save as UTF-8.",
                               code="encoding-error", file=self.resource(name).path, row=row) from None

    def file_digest(self, name: str) -> tuple[str, int]:
        """(hex SHA-256, byte count) of table ``name``'s data file."""
        data = self.read_bytes(name)
        return hashlib.sha256(data).hexdigest(), len(data)

    def member_files(self) -> list[tuple[str, Path]]:
        """Every file of the package, relative path first: the descriptor,
        then each schema and data file it names, sorted."""
        names = {}
        for r in self.resources:
            for rel, f in ((r.path, r.csv_file), (r.schema_path, r.schema_file)):
                if rel and f is not None:
                    names[rel] = f
        return [(DESCRIPTOR_NAME, self.descriptor_path)] + sorted(names.items())

    def read_member(self, rel: str) -> bytes:
        """The bytes of one of :meth:`member_files`, read under the policy."""
        for r, f in self.member_files():
            if r == rel:
                return read_file(f, shown=rel)
        raise KeyError(rel)
