"""Read datapackage.json and each resource entry, refusing unsafe paths.

This stage runs before anything else reads a file: a resource or schema path
that is absolute, climbs out of the package, is remote or otherwise odd is
reported as ``unsafe-path`` and never opened, so validation needs no network
and reads nothing outside the package folder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import _DTYPES, TableSpec, table_spec_from_dict
from .report import ValidationError

__all__ = ["Table", "PackageInfo", "read_package", "SEMVER"]

DESCRIPTOR_NAME = "datapackage.json"

# semver.org's own regular expression for a version (2.0.0).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HASH = re.compile(r"^(sha256:[0-9a-fA-F]{64}|md5:[0-9a-fA-F]{32})$")


@dataclass
class Table:
    """One resource of the package and what the stages learned about it.

    Examples:
        >>> info, _ = read_package(None)
        >>> t = info.table("areas")
        >>> t.rel_path, t.spec.primary_key
        ('data/areas.csv', ('area_id',))
    """

    name: str
    entry: dict
    csv_path: Path | None = None  # None: unsafe or missing, not to be read
    rel_path: str | None = None
    schema: dict | None = None  # the parsed Table Schema
    spec: TableSpec | None = None
    # Filled by the files stage.
    text: str | None = None  # decoded text (BOM removed); None if unreadable
    digest: str | None = None  # sha256 of the file's bytes, the key of per-table result caches
    raw: object = None  # pandas DataFrame of strings, positional columns; row 0 is the header
    blank: set[int] = field(default_factory=set)  # positions in ``raw`` of blank lines
    columns: dict[str, int] = field(default_factory=dict)  # schema field -> column position
    # Filled after loading.
    frame: object = None  # the DataFrame load_table returns
    frame_rows: object = None  # spreadsheet row number of each frame row

    def cache_key(self) -> tuple | None:
        """(file digest, path, schema as JSON): what a per-table result
        depends on; None until the file stage has read the file.

        Examples:
            >>> Table("t", {}).cache_key() is None
            True
        """
        if self.digest is None or self.schema is None:
            return None
        return (self.digest, self.rel_path, json.dumps(self.schema, sort_keys=True))

    @property
    def readable(self) -> bool:
        """The file exists, is decodable and has a schema: row checks can run.

        Examples:
            >>> Table("t", {}).readable
            False
        """
        return self.text is not None and self.spec is not None


@dataclass
class PackageInfo:
    """The package as the descriptor stage read it: where it is and its tables.

    Examples:
        >>> info, _ = read_package(None)
        >>> info.descriptor_path.name, info.table("nope")
        ('datapackage.json', None)
    """

    descriptor_path: Path
    root: Path
    descriptor: dict | None
    tables: list[Table]

    def table(self, name: str) -> Table | None:
        """The table called ``name``, or None (see the class example)."""
        for t in self.tables:
            if t.name == name:
                return t
        return None


def _err(code, table, message, field=None) -> ValidationError:
    return ValidationError(code, table, None, field, message)


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
    if any(ord(c) < 32 for c in p):
        return "it contains a control character"
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
    except (OSError, ValueError):
        return "it cannot be resolved"
    if not inside:
        return "it leads outside the package folder (through a symbolic link)"
    return None


def _schema_problem(raw) -> str | None:
    if not isinstance(raw, dict):
        return f"expected a JSON object; found {type(raw).__name__}"
    fields = raw.get("fields")
    if not isinstance(fields, list) or not fields:
        return "expected a non-empty 'fields' list"
    for i, f in enumerate(fields):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f.get("name"):
            return f"field #{i + 1} has no name"
        if f.get("type", "string") not in _DTYPES:
            return f"field {f.get('name')!r} has type {f.get('type')!r}; supported: {', '.join(_DTYPES)}"
        c = f.get("constraints", {})
        if not isinstance(c, dict):
            return f"field {f['name']!r}: 'constraints' must be an object"
        if "enum" in c and not isinstance(c["enum"], list):
            return f"field {f['name']!r}: constraints.enum must be a list"
    names = [f["name"] for f in fields]
    pk = raw.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    if not isinstance(pk, list) or any(k not in names for k in pk):
        return f"primaryKey {raw.get('primaryKey')!r} names a field the schema does not have"
    mv = raw.get("missingValues", [""])
    if not isinstance(mv, list) or not all(isinstance(v, str) for v in mv):
        return "missingValues must be a list of strings"
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
            ok = (isinstance(own, list) and isinstance(ref, list) and len(own) == len(ref) and own
                  and all(k in names for k in own) and isinstance(fk["reference"].get("resource", ""), str))
        if not ok:
            return f"malformed foreign key {fk!r}"
    return None


def _locate_descriptor(path: Path | str | None) -> Path:
    if path is None:
        from .._resources import package_path

        return package_path()
    p = Path(path)
    return p / DESCRIPTOR_NAME if p.is_dir() else p


def read_package(path: Path | str | None) -> tuple[PackageInfo, list[ValidationError]]:
    """Read the descriptor and every resource entry and schema.

    Never raises: every problem becomes an error, and a table whose file or
    schema cannot be used is kept with ``csv_path`` or ``spec`` None so later
    stages skip it.

    Examples:
        >>> info, errors = read_package("/nonexistent/datapackage.json")
        >>> [e.code for e in errors], info.tables
        (['missing-file'], [])
    """
    errors: list[ValidationError] = []
    dpath = _locate_descriptor(path)
    root = dpath.parent
    info = PackageInfo(dpath, root, None, [])
    if not dpath.is_file():
        what = "folder holding datapackage.json" if path is not None and Path(path).suffix == "" else "datapackage.json"
        errors.append(_err("missing-file", None, f"expected a {what} at {dpath}; found nothing there. Likely cause: a mistyped path, or the folder is not a data package."))
        return info, errors
    try:
        desc = json.loads(dpath.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        errors.append(_err("descriptor-error", None, f"{dpath.name}: expected UTF-8 JSON; found undecodable bytes at byte {exc.start}. Likely cause: saved in another encoding."))
        return info, errors
    except json.JSONDecodeError as exc:
        errors.append(_err("descriptor-error", None, f"{dpath.name}: expected valid JSON; found a syntax error at line {exc.lineno}, column {exc.colno} ({exc.msg}). Likely cause: a hand edit left a trailing comma or a missing quote."))
        return info, errors
    except (RecursionError, ValueError, OSError) as exc:
        errors.append(_err("descriptor-error", None, f"{dpath.name}: cannot be read as JSON ({type(exc).__name__}: {str(exc)[:200]})."))
        return info, errors
    if not isinstance(desc, dict):
        errors.append(_err("descriptor-error", None, f"{dpath.name}: expected a JSON object; found {type(desc).__name__}."))
        return info, errors
    info.descriptor = desc
    version = desc.get("version")
    if not isinstance(version, str) or not SEMVER.match(version):
        errors.append(_err("version-error", None, f"{dpath.name}: expected \"version\" in semantic versioning (MAJOR.MINOR.PATCH, e.g. 1.2.0); found {version!r}. Likely cause: a hand edit such as '1.2' or 'v1.2.0'.", "version"))
    resources = desc.get("resources")
    if not isinstance(resources, list) or not resources:
        errors.append(_err("descriptor-error", None, f"{dpath.name}: expected a non-empty \"resources\" list; found {resources!r:.80}."))
        return info, errors
    seen: set[str] = set()
    for i, entry in enumerate(resources):
        table, errs = _read_entry(i, entry, root, seen)
        errors += errs
        if table is not None:
            info.tables.append(table)
    return info, errors


def _read_entry(i: int, entry, root: Path, seen: set[str]) -> tuple[Table | None, list[ValidationError]]:
    where = f"resource #{i + 1}"
    if not isinstance(entry, dict):
        return None, [_err("descriptor-error", None, f"{where}: expected an object; found {type(entry).__name__}.")]
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        return None, [_err("descriptor-error", None, f"{where}: expected a \"name\"; found {name!r}.")]
    if name in seen:
        return None, [_err("descriptor-error", name, f"{where}: the name {name!r} is used by an earlier resource; names must be unique.")]
    seen.add(name)
    errors: list[ValidationError] = []
    table = Table(name, entry)
    fmt = entry.get("format", "csv")
    enc = str(entry.get("encoding", "utf-8")).lower().replace("_", "-")
    if fmt != "csv":
        errors.append(_err("descriptor-error", name, f"expected \"format\": \"csv\"; found {fmt!r}.", "format"))
    if enc not in ("utf-8", "utf8"):
        errors.append(_err("descriptor-error", name, f"expected \"encoding\": \"utf-8\"; found {entry.get('encoding')!r}.", "encoding"))
    h = entry.get("hash")
    if h is not None and not (isinstance(h, str) and _HASH.match(h)):
        errors.append(_err("descriptor-error", name, f"expected \"hash\" as 'sha256:' + 64 hex digits (or 'md5:' + 32); found {h!r:.90}. Likely cause: a bare hex digest, which frictionless would read as MD5.", "hash"))
    b = entry.get("bytes")
    if b is not None and not (isinstance(b, int) and not isinstance(b, bool) and b >= 0):
        errors.append(_err("descriptor-error", name, f"expected \"bytes\" as a non-negative integer; found {b!r:.60}.", "bytes"))
    # data file
    p = entry.get("path")
    if isinstance(p, list):
        errors.append(_err("descriptor-error", name, "expected \"path\" to be one relative file path; found a list (multipart resources are not supported).", "path"))
    elif not isinstance(p, str) or not p:
        errors.append(_err("descriptor-error", name, f"expected \"path\" to be a relative file path; found {p!r:.80}.", "path"))
    else:
        problem = path_problem(p, root)
        if problem:
            errors.append(_err("unsafe-path", name, f"path {p!r:.200} refused: {problem}. It was not opened or fetched.", "path"))
        elif not (root / p).is_file():
            errors.append(_err("missing-file", name, f"expected the data file {p} (from datapackage.json); found nothing there. Likely cause: the file was renamed, deleted or not copied with the package.", "path"))
        else:
            table.csv_path, table.rel_path = root / p, p
    # schema
    s = entry.get("schema")
    if not isinstance(s, str) or not s:
        errors.append(_err("descriptor-error", name, f"expected \"schema\" to be a relative path to a Table Schema file; found {type(s).__name__ if not isinstance(s, str) else repr(s)}.", "schema"))
        return table, errors
    problem = path_problem(s, root)
    if problem:
        errors.append(_err("unsafe-path", name, f"schema path {s!r:.200} refused: {problem}. It was not opened or fetched.", "schema"))
        return table, errors
    spath = root / s
    if not spath.is_file():
        errors.append(_err("missing-schema", name, f"expected the schema file {s} (from datapackage.json); found nothing there. Likely cause: the schema was renamed, deleted or not copied with the package.", "schema"))
        return table, errors
    try:
        raw = json.loads(spath.read_bytes().decode("utf-8"))
    except (ValueError, RecursionError, OSError) as exc:
        errors.append(_err("schema-error", name, f"{s}: expected a Table Schema in UTF-8 JSON; it cannot be parsed ({type(exc).__name__}: {str(exc)[:160]}).", "schema"))
        return table, errors
    problem = _schema_problem(raw)
    if problem:
        errors.append(_err("schema-error", name, f"{s}: not a usable Table Schema: {problem}.", "schema"))
        return table, errors
    table.schema = raw
    table.spec = table_spec_from_dict(name, raw)
    return table, errors
