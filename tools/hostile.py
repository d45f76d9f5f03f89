"""The hostile-input catalogue, and a runner that feeds it to every command.

    python tools/hostile.py                 # run the catalogue, print counts per command
    python tools/hostile.py --json          # the same, as JSON
    python tools/hostile.py --case fifo-data-file --json   # one case (used for isolation)

Each :class:`Hostile` case builds a small data package (written by
:func:`write_base`, so no test fixture is needed) and damages it the way an
attacker or an accident would: paths that leave the package, special files,
oversized files, bad encodings, lone surrogates and NULs, schemas and
descriptors of the wrong shape, catastrophic regular expressions, rows with
thousands of extra cells, resource and field names that are paths or
formulas. Next to the package lies a *sentinel* folder holding a secret
token; no command may ever show it.

Every command in ``improvement_evidence.cli.COMMANDS`` is run on every case
(``cite`` and ``export`` once per format, ``diff`` with the case on either
side), in-process through ``cli.main`` under a watchdog, or -- for cases
marked ``isolate`` (FIFOs, devices, huge files, catastrophic patterns) --
in a child process with a timeout and a memory cap. A run *fails* when:

* ``traceback``: an exception escaped ``cli.main``, or stderr shows a traceback;
* ``internal-error``: the command (or a check inside ``validate``) reported
  an internal error: no traceback, but a crash all the same;
* ``hang``: it ran past the time limit;
* ``read-outside``: the sentinel's token (or the start of its SHA-256) appears
  in the output, the error, or any file written;
* ``write-outside``: a file outside the output path was created or changed;
* ``data-loss``: an export failed and the previous output is not intact;
* ``formula``: an xlsx export holds a formula cell.

The runner only uses ``cli.main`` and ``cli.COMMANDS``, so it runs unchanged
against older versions of the code (the before/after figures in
docs/reliability.md).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TOKEN = "SENTINEL-7f3a9c-OUTSIDE-THE-PACKAGE"
SECRET_CSV = f"group_id,label,size\nsecret,{TOKEN},1\n"
TIME_LIMIT = 30  # seconds per command run
MEMORY_CAP = 4 << 30  # bytes of address space for an isolated child
FAILURES = ("traceback", "internal-error", "hang", "read-outside", "write-outside", "data-loss", "formula")
CITE_FORMATS = ("apa", "bibtex", "ris", "csl-json", "cff")
EXPORT_FORMATS = ("zip", "parquet", "sqlite", "xlsx", "csv")
FOLDER_FORMATS = ("parquet", "csv")


# -- the base package -------------------------------------------------------------

GROUPS_SCHEMA = {
    "fields": [
        {"name": "group_id", "type": "string", "constraints": {"required": True, "pattern": "^[a-z0-9-]+$"}},
        {"name": "label", "type": "string", "description": "What the group is."},
        {"name": "size", "type": "integer", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["group_id"],
}
ITEMS_SCHEMA = {
    "fields": [
        {"name": "item_id", "type": "string", "constraints": {"required": True}},
        {"name": "group_id", "type": "string"},
        {"name": "kind", "type": "string", "constraints": {"enum": ["alpha", "beta"]}},
        {"name": "score", "type": "number"},
        {"name": "ok", "type": "boolean"},
        {"name": "when", "type": "date"},
    ],
    "primaryKey": ["item_id"],
    "foreignKeys": [{"fields": ["group_id"], "reference": {"resource": "groups", "fields": ["group_id"]}}],
}
GROUPS_CSV = "group_id,label,size\ng-one,First group,3\ng-two,Second group,5\n"
ITEMS_CSV = ("item_id,group_id,kind,score,ok,when\n"
             "i-1,g-one,alpha,1.5,true,2020-01-02\n"
             "i-2,g-two,beta,2,false,2021-03-04\n")


def _entry(name: str, data: bytes) -> dict:
    return {"name": name, "path": f"data/{name}.csv", "schema": f"schemas/{name}.json", "format": "csv",
            "encoding": "utf-8", "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def write_base(root: Path) -> Path:
    """Write a small valid package (two tables, every type, a foreign key) at ``root``."""
    (root / "data").mkdir(parents=True)
    (root / "schemas").mkdir()
    desc = {"name": "hostile-base", "title": "A small package for hostile-input tests", "version": "1.0.0",
            "created": "2020-01-02T03:04:05Z", "homepage": "https://example.org/hostile",
            "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
            "contributors": [{"title": "Hostile Tests", "roles": ["creator"]}], "resources": []}
    for name, schema, text in (("groups", GROUPS_SCHEMA, GROUPS_CSV), ("items", ITEMS_SCHEMA, ITEMS_CSV)):
        data = text.encode("utf-8")
        (root / "data" / f"{name}.csv").write_bytes(data)
        (root / "schemas" / f"{name}.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        desc["resources"].append(_entry(name, data))
    write_json(root / "datapackage.json", desc)
    return root


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2) + "\n", encoding="utf-8")


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def edit_descriptor(root: Path, fn: Callable[[dict], None]) -> None:
    desc = load_json(root / "datapackage.json")
    fn(desc)
    write_json(root / "datapackage.json", desc)


def edit_resource(root: Path, table: str, **changes) -> None:
    def fn(desc):
        for r in desc["resources"]:
            if r["name"] == table:
                r.update(changes)
    edit_descriptor(root, fn)


def edit_schema(root: Path, name: str, fn: Callable[[dict], None]) -> None:
    path = root / "schemas" / f"{name}.json"
    schema = load_json(path)
    fn(schema)
    write_json(path, schema)


def rehash(root: Path) -> None:
    """Record the current bytes and SHA-256 of every data file in place, so a
    case is about what it damaged and not about a stale hash."""
    def fn(desc):
        for r in desc.get("resources", []):
            p = root / str(r.get("path", ""))
            if isinstance(r.get("path"), str) and p.is_file() and not p.is_symlink() and p.stat().st_size < 1 << 20:
                data = p.read_bytes()
                r["bytes"], r["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    edit_descriptor(root, fn)


# -- the catalogue --------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One hostile package: ``build(root, outside)`` damages the base package
    at ``root``; ``outside`` is the sentinel folder beside it."""

    name: str
    group: str
    description: str
    build: Callable[[Path, Path], None]
    isolate: bool = False  # run in a child process (may block or eat memory if unprotected)


CATALOGUE: list[Hostile] = []


def hostile(name: str, group: str, *, isolate: bool = False):
    def deco(fn):
        CATALOGUE.append(Hostile(name, group, " ".join((fn.__doc__ or "").split()), fn, isolate))
        return fn
    return deco


def case(name: str) -> Hostile:
    return next(c for c in CATALOGUE if c.name == name)


# paths --------------------------------------------------------------------------------

@hostile("absolute-data-path", "paths")
def _(root, out):
    """A resource path that is absolute and names a file outside the package."""
    edit_resource(root, "groups", path=str(out / "secret.csv"))


@hostile("parent-data-path", "paths")
def _(root, out):
    """A resource path that climbs out with '..'."""
    edit_resource(root, "groups", path="../outside/secret.csv")


@hostile("symlinked-data-file", "paths")
def _(root, out):
    """A data file that is a symbolic link to a file outside the package."""
    (root / "data" / "groups.csv").unlink()
    (root / "data" / "groups.csv").symlink_to(out / "secret.csv")


@hostile("symlinked-data-folder", "paths")
def _(root, out):
    """The data folder is a symbolic link to a folder outside the package."""
    shutil.copy(root / "data" / "items.csv", out / "items.csv")
    shutil.copy(out / "secret.csv", out / "groups.csv")
    shutil.rmtree(root / "data")
    (root / "data").symlink_to(out)


@hostile("absolute-schema-path", "paths")
def _(root, out):
    """A schema path that is absolute and names a schema outside the package."""
    edit_resource(root, "groups", schema=str(out / "secret.json"))


@hostile("parent-schema-path", "paths")
def _(root, out):
    """A schema path that climbs out with '..'."""
    edit_resource(root, "groups", schema="../outside/secret.json")


@hostile("symlinked-schema", "paths")
def _(root, out):
    """A schema file that is a symbolic link to a schema outside the package."""
    (root / "schemas" / "groups.json").unlink()
    (root / "schemas" / "groups.json").symlink_to(out / "secret.json")


@hostile("remote-data-path", "paths")
def _(root, out):
    """A resource path that is a URL (no command may use the network)."""
    edit_resource(root, "groups", path="https://example.invalid/groups.csv")


@hostile("file-url-path", "paths")
def _(root, out):
    """A resource path that is a file: URL of a file outside."""
    edit_resource(root, "groups", path=f"file://{out / 'secret.csv'}")


@hostile("backslash-path", "paths")
def _(root, out):
    """A resource path written with backslashes that climbs out on Windows."""
    edit_resource(root, "groups", path="..\\outside\\secret.csv")


@hostile("path-is-a-list", "paths")
def _(root, out):
    """A multipart resource path (a list)."""
    edit_resource(root, "groups", path=["data/groups.csv", "data/groups.csv"])


@hostile("missing-data-file", "paths")
def _(root, out):
    """A data file that is not there."""
    (root / "data" / "groups.csv").unlink()


@hostile("no-descriptor", "paths")
def _(root, out):
    """A folder without datapackage.json."""
    (root / "datapackage.json").unlink()


# special files ---------------------------------------------------------------------------

@hostile("fifo-data-file", "special files", isolate=True)
def _(root, out):
    """A data file that is a FIFO (named pipe): reading it blocks forever."""
    (root / "data" / "groups.csv").unlink()
    os.mkfifo(root / "data" / "groups.csv")


@hostile("fifo-schema", "special files", isolate=True)
def _(root, out):
    """A schema file that is a FIFO."""
    (root / "schemas" / "groups.json").unlink()
    os.mkfifo(root / "schemas" / "groups.json")


@hostile("fifo-descriptor", "special files", isolate=True)
def _(root, out):
    """datapackage.json itself is a FIFO."""
    (root / "datapackage.json").unlink()
    os.mkfifo(root / "datapackage.json")


@hostile("device-data-file", "special files", isolate=True)
def _(root, out):
    """A data file that is a symbolic link to /dev/zero (endless bytes)."""
    (root / "data" / "groups.csv").unlink()
    (root / "data" / "groups.csv").symlink_to("/dev/zero")


@hostile("data-file-is-a-folder", "special files")
def _(root, out):
    """A data file that is a folder."""
    (root / "data" / "groups.csv").unlink()
    (root / "data" / "groups.csv").mkdir()


# sizes --------------------------------------------------------------------------------

@hostile("huge-sparse-data-file", "sizes", isolate=True)
def _(root, out):
    """A data file of 8 GB (sparse: it costs no disk, only whoever reads it)."""
    with open(root / "data" / "groups.csv", "r+b") as fh:
        fh.truncate(8 << 30)


@hostile("huge-sparse-descriptor", "sizes", isolate=True)
def _(root, out):
    """A datapackage.json of 8 GB."""
    with open(root / "datapackage.json", "r+b") as fh:
        fh.truncate(8 << 30)


@hostile("large-descriptor", "sizes")
def _(root, out):
    """A datapackage.json padded to 40 MB with a long description."""
    edit_descriptor(root, lambda d: d.update(description="x" * (40 << 20)))


@hostile("deeply-nested-descriptor", "sizes")
def _(root, out):
    """A descriptor nested 100,000 levels deep."""
    (root / "datapackage.json").write_text('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")


@hostile("huge-integer", "sizes")
def _(root, out):
    """A 'bytes' value of 100,000 digits."""
    text = (root / "datapackage.json").read_text(encoding="utf-8").replace('"bytes": ', '"bytes": ' + "9" * 100_000, 1)
    (root / "datapackage.json").write_text(text, encoding="utf-8")


# encodings --------------------------------------------------------------------------------

@hostile("latin1-data", "encodings")
def _(root, out):
    """A data file saved as Latin-1."""
    (root / "data" / "groups.csv").write_bytes(GROUPS_CSV.replace("First", "Caf\u00e9").encode("latin-1"))
    rehash(root)


@hostile("latin1-schema", "encodings")
def _(root, out):
    """A schema saved as Latin-1."""
    p = root / "schemas" / "groups.json"
    p.write_bytes(p.read_text(encoding="utf-8").replace("What the group is.", "Caf\u00e9").encode("latin-1"))


@hostile("utf16-descriptor", "encodings")
def _(root, out):
    """datapackage.json saved as UTF-16."""
    p = root / "datapackage.json"
    p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))


@hostile("bom-descriptor", "encodings")
def _(root, out):
    """datapackage.json with a UTF-8 byte-order mark."""
    p = root / "datapackage.json"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())


@hostile("invalid-json-descriptor", "encodings")
def _(root, out):
    """datapackage.json with a trailing comma."""
    p = root / "datapackage.json"
    p.write_text(p.read_text(encoding="utf-8").rstrip().rstrip("}") + ",}", encoding="utf-8")


@hostile("unclosed-quote", "encodings")
def _(root, out):
    """A data file with an unclosed quote."""
    (root / "data" / "groups.csv").write_text('group_id,label,size\ng-one,"First group,3\n', encoding="utf-8")
    rehash(root)


# strings ---------------------------------------------------------------------------------

@hostile("lone-surrogate-title", "strings")
def _(root, out):
    """A lone surrogate in the package title (valid JSON, not encodable)."""
    text = (root / "datapackage.json").read_text(encoding="utf-8")
    (root / "datapackage.json").write_text(text.replace('"title": "A small', '"title": "\\ud800 A small', 1), encoding="utf-8")


@hostile("nul-in-name", "strings")
def _(root, out):
    """A NUL character in the package name."""
    edit_descriptor(root, lambda d: d.update(name="hostile\u0000base"))


@hostile("lone-surrogate-field", "strings")
def _(root, out):
    """A lone surrogate in a schema's field description."""
    p = root / "schemas" / "groups.json"
    p.write_text(p.read_text(encoding="utf-8").replace("What the group is.", "\\udc80"), encoding="utf-8")


@hostile("lone-surrogate-path", "strings")
def _(root, out):
    """A lone surrogate in a resource path."""
    text = (root / "datapackage.json").read_text(encoding="utf-8")
    (root / "datapackage.json").write_text(text.replace('"data/groups.csv"', '"data/\\ud800.csv"'), encoding="utf-8")


@hostile("nul-in-cell", "strings")
def _(root, out):
    """A NUL byte inside a data cell."""
    (root / "data" / "groups.csv").write_text(GROUPS_CSV.replace("First group", "First\x00group"), encoding="utf-8")
    rehash(root)


# descriptor shapes ---------------------------------------------------------------------------

@hostile("descriptor-is-a-list", "descriptor shapes")
def _(root, out):
    """datapackage.json holds a JSON list."""
    write_json(root / "datapackage.json", [1, 2])


@hostile("resources-not-a-list", "descriptor shapes")
def _(root, out):
    """"resources" is an object."""
    edit_descriptor(root, lambda d: d.update(resources={"groups": "data/groups.csv"}))


@hostile("resource-not-an-object", "descriptor shapes")
def _(root, out):
    """A resource entry that is a string."""
    edit_descriptor(root, lambda d: d["resources"].append("data/extra.csv"))


@hostile("no-resources", "descriptor shapes")
def _(root, out):
    """An empty resources list."""
    edit_descriptor(root, lambda d: d.update(resources=[]))


@hostile("duplicate-resource-names", "descriptor shapes")
def _(root, out):
    """Two resources with the same name."""
    edit_descriptor(root, lambda d: d["resources"].append(dict(d["resources"][0])))


@hostile("licenses-as-strings", "descriptor shapes")
def _(root, out):
    """licenses given as a list of strings."""
    edit_descriptor(root, lambda d: d.update(licenses=["CC-BY-4.0"]))


@hostile("contributors-as-strings", "descriptor shapes")
def _(root, out):
    """contributors given as a list of strings."""
    edit_descriptor(root, lambda d: d.update(contributors=["Jane Doe"]))


@hostile("sources-not-objects", "descriptor shapes")
def _(root, out):
    """sources given as strings and a title that is a number."""
    edit_descriptor(root, lambda d: d.update(sources=["a guide", {"title": 3}]))


@hostile("keywords-as-string", "descriptor shapes")
def _(root, out):
    """keywords given as one string."""
    edit_descriptor(root, lambda d: d.update(keywords="improvement"))


@hostile("created-not-a-date", "descriptor shapes")
def _(root, out):
    """created that is not a date."""
    edit_descriptor(root, lambda d: d.update(created="yesterday"))


@hostile("created-missing", "descriptor shapes")
def _(root, out):
    """No created date."""
    edit_descriptor(root, lambda d: d.pop("created"))


@hostile("version-not-semver", "descriptor shapes")
def _(root, out):
    """A version that is not MAJOR.MINOR.PATCH."""
    edit_descriptor(root, lambda d: d.update(version="v1"))


@hostile("version-a-number", "descriptor shapes")
def _(root, out):
    """A version that is a JSON number."""
    edit_descriptor(root, lambda d: d.update(version=1.0))


@hostile("title-a-list", "descriptor shapes")
def _(root, out):
    """A package title that is a list."""
    edit_descriptor(root, lambda d: d.update(title=["a", "b"]))


@hostile("bare-hash", "descriptor shapes")
def _(root, out):
    """A resource hash without its algorithm."""
    edit_resource(root, "groups", hash="0" * 64)


@hostile("bytes-not-a-number", "descriptor shapes")
def _(root, out):
    """A resource 'bytes' that is a string."""
    edit_resource(root, "groups", bytes="many")


# schema shapes ---------------------------------------------------------------------------

@hostile("schema-is-a-list", "schema shapes")
def _(root, out):
    """A schema file holding a list."""
    write_json(root / "schemas" / "groups.json", [])


@hostile("fields-not-a-list", "schema shapes")
def _(root, out):
    """'fields' is an object."""
    edit_schema(root, "groups", lambda s: s.update(fields={"group_id": "string"}))


@hostile("field-without-name", "schema shapes")
def _(root, out):
    """A field without a name."""
    edit_schema(root, "groups", lambda s: s["fields"].append({"type": "string"}))


@hostile("unknown-type", "schema shapes")
def _(root, out):
    """A field of an unknown type."""
    edit_schema(root, "groups", lambda s: s["fields"][2].update(type="geopoint"))


@hostile("primary-key-unknown-field", "schema shapes")
def _(root, out):
    """A primary key naming a field the schema lacks."""
    edit_schema(root, "groups", lambda s: s.update(primaryKey=["nope"]))


@hostile("foreign-key-malformed", "schema shapes")
def _(root, out):
    """A foreign key whose fields is a number."""
    edit_schema(root, "items", lambda s: s["foreignKeys"][0].update(fields=3))


@hostile("foreign-key-unknown-table", "schema shapes")
def _(root, out):
    """A foreign key to a table that does not exist."""
    edit_schema(root, "items", lambda s: s["foreignKeys"][0]["reference"].update(resource="nope"))


@hostile("constraints-not-an-object", "schema shapes")
def _(root, out):
    """constraints given as a list."""
    edit_schema(root, "groups", lambda s: s["fields"][1].update(constraints=["required"]))


@hostile("enum-not-a-list", "schema shapes")
def _(root, out):
    """An enum that is a string."""
    edit_schema(root, "items", lambda s: s["fields"][2]["constraints"].update(enum="alpha"))


@hostile("missing-values-not-a-list", "schema shapes")
def _(root, out):
    """missingValues given as a string."""
    edit_schema(root, "groups", lambda s: s.update(missingValues="NA"))


@hostile("duplicate-field-names", "schema shapes")
def _(root, out):
    """Two fields with the same name."""
    edit_schema(root, "groups", lambda s: s["fields"].append(dict(s["fields"][1])))


# regular expressions ----------------------------------------------------------------------

@hostile("catastrophic-pattern", "patterns", isolate=True)
def _(root, out):
    """A pattern with nested quantifiers and a cell that makes it backtrack."""
    edit_schema(root, "groups", lambda s: s["fields"][1].update(constraints={"pattern": "^(a+)+$"}))
    (root / "data" / "groups.csv").write_text(f"group_id,label,size\ng-one,{'a' * 34}!,3\ng-two,aaa,5\n", encoding="utf-8")
    rehash(root)


@hostile("backreference-pattern", "patterns")
def _(root, out):
    """A pattern with a backreference."""
    edit_schema(root, "groups", lambda s: s["fields"][1].update(constraints={"pattern": "^(a)\\1$"}))


@hostile("invalid-pattern", "patterns")
def _(root, out):
    """A pattern that is not a regular expression."""
    edit_schema(root, "groups", lambda s: s["fields"][1].update(constraints={"pattern": "([a-z"}))


# rows -----------------------------------------------------------------------------------

@hostile("row-with-20000-extra-cells", "rows", isolate=True)
def _(root, out):
    """One row with 20,000 cells more than the header."""
    (root / "data" / "groups.csv").write_text(GROUPS_CSV + "g-three,x,1" + ",x" * 20_000 + "\n", encoding="utf-8")
    rehash(root)


@hostile("many-rows-with-extra-cells", "rows")
def _(root, out):
    """5,000 rows each with 10 extra cells."""
    rows = "".join(f"g-{i},x,1" + ",y" * 10 + "\n" for i in range(5000))
    (root / "data" / "groups.csv").write_text(GROUPS_CSV + rows, encoding="utf-8")
    rehash(root)


@hostile("duplicate-header", "rows")
def _(root, out):
    """A data file whose header repeats a column."""
    (root / "data" / "groups.csv").write_text("group_id,label,label\ng-one,a,b\n", encoding="utf-8")
    rehash(root)


@hostile("empty-data-file", "rows")
def _(root, out):
    """An empty data file."""
    (root / "data" / "groups.csv").write_text("", encoding="utf-8")
    rehash(root)


@hostile("duplicate-primary-keys", "rows")
def _(root, out):
    """Two rows with the same primary key."""
    (root / "data" / "groups.csv").write_text(GROUPS_CSV + "g-one,Again,4\n", encoding="utf-8")
    rehash(root)


# names -----------------------------------------------------------------------------------

@hostile("resource-name-traversal", "names")
def _(root, out):
    """A resource named '../../PWNED' (an export would write PWNED two folders up)."""
    edit_resource(root, "groups", name="../../PWNED")
    edit_schema(root, "items", lambda s: s["foreignKeys"][0]["reference"].update(resource="../../PWNED"))


@hostile("resource-name-absolute", "names")
def _(root, out):
    """A resource named with an absolute path."""
    edit_resource(root, "items", name=str(out / "PWNED"))


@hostile("resource-name-formula", "names")
def _(root, out):
    """A resource name that a spreadsheet would run as a formula (a sheet name)."""
    edit_resource(root, "items", name="=cmd|' /C calc'!A0")


@hostile("resource-name-very-long", "names")
def _(root, out):
    """A resource name of 10,000 characters."""
    edit_resource(root, "items", name="a" * 10_000)


@hostile("field-name-formula", "names")
def _(root, out):
    """A field (column) named =HYPERLINK(...), in the schema and the header."""
    bad = '=HYPERLINK("http://example.invalid","x")'
    edit_schema(root, "groups", lambda s: s["fields"][1].update(name=bad))
    (root / "data" / "groups.csv").write_text(GROUPS_CSV.replace("label", f'"{bad.replace(chr(34), chr(34) * 2)}"', 1), encoding="utf-8")
    rehash(root)


@hostile("cell-formula", "names")
def _(root, out):
    """Text cells that a spreadsheet would run as formulas."""
    (root / "data" / "groups.csv").write_text(GROUPS_CSV.replace("First group", "=1+1").replace("Second group", "@SUM(A1)"), encoding="utf-8")
    rehash(root)


@hostile("title-with-newline", "names")
def _(root, out):
    """A package title with a newline and an RIS tag (could start a new record)."""
    edit_descriptor(root, lambda d: d.update(title="Data\nER  - \nTY  - JOUR\nTI  - injected}, @misc{x,"))


# -- running ---------------------------------------------------------------------------------


class Hang(BaseException):
    """The watchdog fired (a BaseException, so no `except Exception` swallows it)."""


@dataclass
class Run:
    case: str
    command: str  # e.g. "export:zip"
    argv: list[str]
    failures: list[str]
    rc: int | None
    detail: str = ""


def commands() -> list[str]:
    from improvement_evidence import cli

    return list(cli.COMMANDS)


def variants(names: list[str]) -> list[str]:
    """Every (command, option) pair to run: cite and export per format, diff both ways."""
    out = []
    for name in names:
        if name == "cite":
            out += [f"cite:{f}" for f in CITE_FORMATS]
        elif name == "export":
            out += [f"export:{f}" for f in EXPORT_FORMATS]
        elif name == "diff":
            out += ["diff:old", "diff:new"]
        elif name == "brief":
            out += [f"brief:{f}" for f in ("md", "html", "json", "docx")]
        else:
            out.append(name)
    return out


def _table_of(pkg: Path) -> str:
    return "items"


def argv_for(variant: str, pkg: Path, good: Path, out: Path) -> list[str]:
    cmd, _, opt = variant.partition(":")
    p = str(pkg)
    if cmd == "info":
        return ["info", "--path", p]
    if cmd == "show":
        return ["show", _table_of(pkg), "--path", p]
    if cmd in ("validate", "verify"):
        return [cmd, p]
    if cmd == "cite":
        return ["cite", "--format", opt, "--path", p]
    if cmd == "export":
        return ["export", "--format", opt, "--path", p, "--force", str(out)]
    if cmd == "diff":
        return ["diff", p, str(good)] if opt == "old" else ["diff", str(good), p]
    if cmd == "brief":
        return ["brief", "--audience", "policy", "--format", opt, "--path", p, *(["-o", str(out)] if opt == "docx" else [])]
    return [cmd, "--path", p]


def _snapshot(top: Path, skip: Path | None) -> dict[str, tuple]:
    """Every file under ``top`` (not following links) with its size and mtime, ``skip`` left out."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        d = Path(dirpath)
        if skip is not None and (d == skip or skip in d.parents):
            dirnames[:] = []
            continue
        for n in dirnames + filenames:
            f = d / n
            if skip is not None and (f == skip):
                continue
            try:
                st = os.lstat(f)
            except OSError:
                continue
            # a folder's own times change whenever an entry is renamed in it: compare only its presence
            seen[str(f.relative_to(top))] = (st.st_mode,) if os.path.isdir(f) and not os.path.islink(f) else (st.st_mode, st.st_size, st.st_mtime_ns)
    return seen


def _old_output(out: Path, fmt: str) -> bytes:
    """Put a previous export at ``out``; return its fingerprint."""
    if fmt in FOLDER_FORMATS:
        out.mkdir(parents=True)
        (out / f"previous.{'parquet' if fmt == 'parquet' else 'csv'}").write_bytes(b"previous export\n")
    else:
        out.write_bytes(b"previous export\n")
    return _fingerprint(out)


def _fingerprint(out: Path) -> bytes:
    h = hashlib.sha256()
    if out.is_dir():
        for f in sorted(out.rglob("*")):
            h.update(str(f.relative_to(out)).encode() + b"\0")
            if f.is_file():
                h.update(f.read_bytes())
    elif out.is_file():
        h.update(out.read_bytes())
    else:
        h.update(b"<missing>")
    return h.digest()


def _output_texts(out: Path) -> list[bytes]:
    """The bytes of everything an export wrote, with zip members (xlsx too) unpacked."""
    files = [f for f in out.rglob("*") if f.is_file()] if out.is_dir() else ([out] if out.is_file() else [])
    texts = []
    for f in files:
        data = f.read_bytes()
        texts.append(data)
        if zipfile.is_zipfile(f):
            with contextlib.suppress(Exception), zipfile.ZipFile(f) as z:
                texts += [z.read(n) for n in z.namelist()]
        if f.suffix == ".parquet":
            with contextlib.suppress(Exception):
                import pyarrow.parquet as pq

                texts.append(str(pq.read_table(f).to_pylist()).encode("utf-8", "backslashreplace"))
                texts.append(str(pq.read_schema(f).metadata).encode("utf-8", "backslashreplace"))
    return texts


def _has_formula(out: Path) -> bool:
    if not (out.is_file() and zipfile.is_zipfile(out)):
        return False
    with zipfile.ZipFile(out) as z:
        return any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def _alarm(signum, frame):
    raise Hang()


def run_cli(argv: list[str], limit: int = TIME_LIMIT) -> tuple[int | None, str, str, str | None]:
    """(exit code, stdout, stderr, problem) of ``cli.main(argv)`` in this process,
    under a watchdog; problem is "traceback" or "hang" or None."""
    from improvement_evidence import cli

    # Like a terminal: text that cannot be encoded raises, as it would there.
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n", write_through=True)
    problem, rc = None, None
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(limit)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = cli.main(argv)
            except SystemExit as exc:  # argparse: a usage error
                rc = exc.code if isinstance(exc.code, int) else 2
    except Hang:
        problem = "hang"
    except BaseException as exc:  # noqa: BLE001 - anything escaping main is the failure we count
        import traceback

        err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True)
        err.write("".join(traceback.format_exception(exc)))
        problem = "traceback"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    stdout = out.buffer.getvalue().decode("utf-8", "backslashreplace")
    stderr = err.buffer.getvalue().decode("utf-8", "backslashreplace")
    if problem is None and "Traceback (most recent call last)" in stderr:
        problem = "traceback"
    return rc, stdout, stderr, problem


def build_case(c: Hostile, top: Path) -> tuple[Path, Path, Path]:
    """Lay out ``top/outside`` (the sentinel), ``top/a/b/pkg`` (the damaged
    package) and ``top/a/b/good`` (an intact one for diff); return (pkg, good, outside)."""
    outside = top / "a" / "b" / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.csv").write_text(SECRET_CSV, encoding="utf-8")
    secret_schema = dict(GROUPS_SCHEMA, description=TOKEN)
    write_json(outside / "secret.json", secret_schema)
    pkg = write_base(top / "a" / "b" / "pkg")
    good = write_base(top / "a" / "b" / "good")
    c.build(pkg, outside)
    return pkg, good, outside


def run_case(c: Hostile, only: list[str] | None = None, limit: int = TIME_LIMIT) -> list[Run]:
    """Run every command variant on case ``c`` in this process."""
    runs = []
    secret_hash = hashlib.sha256(SECRET_CSV.encode()).hexdigest()[:12]
    with tempfile.TemporaryDirectory(prefix=f"hostile-{c.name}-") as tmp:
        top = Path(tmp)
        pkg, good, outside = build_case(c, top)
        for v in only or variants(commands()):
            cmd, _, opt = v.partition(":")
            out = top / "a" / "b" / "exports" / v.replace(":", "-") / (f"out.{opt}" if opt and opt not in FOLDER_FORMATS else "out")
            out.parent.mkdir(parents=True, exist_ok=True)
            before_out = _old_output(out, opt) if cmd == "export" else None
            before = _snapshot(top, out if cmd == "export" else None)
            argv = argv_for(v, pkg, good, out)
            rc, stdout, stderr, problem = run_cli(argv, limit)
            failures = [problem] if problem else []
            if rc == 3 or "internal error" in stderr or "internal-error" in stdout:
                failures.append("internal-error")
            texts = [stdout.encode("utf-8", "backslashreplace"), stderr.encode("utf-8", "backslashreplace")]
            if cmd == "export" and out.exists():
                texts += _output_texts(out)
            if any(TOKEN.encode() in t or secret_hash.encode() in t for t in texts):
                failures.append("read-outside")
            after = _snapshot(top, out if cmd == "export" else None)
            if after != before:
                failures.append("write-outside")
            if cmd == "export" and rc != 0 and _fingerprint(out) != before_out:
                failures.append("data-loss")
            if cmd == "export" and opt == "xlsx" and rc == 0 and _has_formula(out):
                failures.append("formula")
            detail = (stderr.strip().splitlines() or [""])[-1][:300]
            runs.append(Run(c.name, v, argv, failures, rc, detail))
            # leave the tree as it was for the next command
            if cmd == "export":
                shutil.rmtree(out.parent, ignore_errors=True)
            for extra in set(after) - set(before):
                p = top / extra
                if p.is_file() or p.is_symlink():
                    with contextlib.suppress(OSError):
                        p.unlink()
    return runs


def _cap_memory():  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    os.setsid()


def run_isolated(c: Hostile, only: list[str] | None = None, python: str = sys.executable,
                 env: dict | None = None, limit: int = TIME_LIMIT) -> list[Run]:
    """Run case ``c`` in a child process with a memory cap; a child that
    outlives the time limit counts as a hang of every command it had left."""
    wanted = only or variants(commands())
    cmd = [python, str(Path(__file__).resolve()), "--case", c.name, "--json", "--in-process", "--limit", str(limit)]
    for v in wanted:
        cmd += ["--variant", v]
    timeout = limit * len(wanted) + 60
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, preexec_fn=_cap_memory)
    except subprocess.TimeoutExpired:
        return [Run(c.name, v, [], ["hang"], None, f"child still running after {timeout} s") for v in wanted]
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1][:300]
        return [Run(c.name, v, [], ["traceback"], proc.returncode, f"child died: {tail}") for v in wanted]
    return [Run(**r) for r in data["runs"]]


def run_all(cases: list[Hostile] | None = None, *, per_variant: bool = False, python: str = sys.executable,
            env: dict | None = None) -> list[Run]:
    """Run the catalogue: isolated cases in children, the rest in this process."""
    runs = []
    for c in cases or CATALOGUE:
        if c.isolate:
            if per_variant:
                for v in variants(commands()):
                    runs += run_isolated(c, [v], python, env)
            else:
                runs += run_isolated(c, None, python, env)
        else:
            runs += run_case(c)
    return runs


def counts(runs: list[Run]) -> dict[str, dict[str, int]]:
    """command -> {"runs": n, failure kind: n}; a command's variants are added up."""
    out: dict[str, dict[str, int]] = {}
    for r in runs:
        row = out.setdefault(r.command.split(":")[0], {"runs": 0, **{f: 0 for f in FAILURES}})
        row["runs"] += 1
        for f in set(r.failures):
            row[f] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", action="append", help="run only this case (repeatable)")
    ap.add_argument("--variant", action="append", help="run only this command variant, e.g. export:zip (repeatable)")
    ap.add_argument("--json", action="store_true", help="print every run and the counts as JSON")
    ap.add_argument("--in-process", action="store_true", help="run isolated cases in this process too")
    ap.add_argument("--per-variant", action="store_true", help="one child per command for isolated cases (slower, more precise)")
    ap.add_argument("--limit", type=int, default=TIME_LIMIT, help="seconds per command")
    args = ap.parse_args(argv)
    cases = [case(n) for n in args.case] if args.case else CATALOGUE
    if args.in_process:
        runs = [r for c in cases for r in run_case(c, args.variant, args.limit)]
    else:
        runs = run_all(cases, per_variant=args.per_variant)
    if args.json:
        print(json.dumps({"runs": [r.__dict__ for r in runs], "counts": counts(runs)}, indent=1))
    else:
        for r in runs:
            if r.failures:
                print(f"{r.case:32} {r.command:14} {','.join(r.failures):20} {r.detail[:120]}")
        for cmd, row in counts(runs).items():
            print(f"{cmd:10} " + " ".join(f"{k}={v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
