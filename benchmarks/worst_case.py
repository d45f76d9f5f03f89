"""Peak memory of validate() and load() on the worst input under the size limit.

    python benchmarks/worst_case.py                 # measure, print a Markdown table
    python benchmarks/worst_case.py --mib 4         # a smaller package (quick look)
    python benchmarks/worst_case.py --json out.json

The package model (improvement_evidence.package) refuses a package whose files
together exceed ``IMPROVEMENT_EVIDENCE_MAX_BYTES`` (32 MiB by default) before
reading anything. This benchmark builds, just under that limit, the inputs
that cost the most memory per byte, and measures the peak resident memory of
a fresh process that validates (and loads) each:

* ``tiny-cells``: a three-column table of one-character cells -- the most
  cells, rows and Python objects per byte, all valid;
* ``tiny-errors``: the same with every cell a type error -- the most error
  records per byte;
* ``wide-rows``: rows with thousands of cells beyond the header (cut off
  before frictionless; see validation/files.py);
* ``one-long-cell``: one cell holding nearly the whole file.

The figure docs/reliability.md states is the largest peak measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCHEMA = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}, {"name": "n", "type": "integer"}]}

PROBE = """
import resource, sys, time
t0 = time.perf_counter()
import improvement_evidence as ie
kind = sys.argv[2]
if kind == "validate":
    r = ie.validate(sys.argv[1])
    result = f"{len(r.errors)} errors"
else:
    try:
        result = f"{sum(len(t) for t in ie.load(sys.argv[1]).tables.values())} rows"
    except ie.LoadError as exc:
        result = f"LoadError"
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, result)
"""


def _body(kind: str, budget: int) -> str:
    if kind == "tiny-cells":
        line = "x,y,1\n"
    elif kind == "tiny-errors":
        line = "x,y,z\n"
    elif kind == "wide-rows":
        line = "x,y,1" + ",q" * 5000 + "\n"
    else:
        return "x,y," + "9" * (budget - 20) + "\n"
    return line * (budget // len(line))


def build(kind: str, root: Path, total: int) -> Path:
    import hashlib

    (root / "data").mkdir(parents=True)
    (root / "schemas").mkdir()
    (root / "schemas" / "t.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    text = "a,b,n\n" + _body(kind, total - 2000)
    data = text.encode()
    (root / "data" / "t.csv").write_bytes(data)
    desc = {"name": "worst", "version": "1.0.0", "resources": [{
        "name": "t", "path": "data/t.csv", "schema": "schemas/t.json", "format": "csv", "encoding": "utf-8",
        "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}]}
    (root / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    return root


def measure(pkg: Path, what: str, limit: int) -> dict:
    env = dict(os.environ, IMPROVEMENT_EVIDENCE_MAX_BYTES=str(limit))
    out = subprocess.run([sys.executable, "-c", PROBE, str(pkg), what], capture_output=True, text=True, env=env, check=True)
    secs, kb, *result = out.stdout.split()
    return {"seconds": round(float(secs), 1), "peak_mb": round(int(kb) / 1024), "result": " ".join(result)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mib", type=float, default=None, help="package size in MiB (default: the size limit)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--kinds", nargs="*", default=["tiny-cells", "tiny-errors", "wide-rows", "one-long-cell"])
    args = ap.parse_args(argv)
    from improvement_evidence.package import max_bytes

    limit = max_bytes()
    total = int(args.mib * 1024 * 1024) if args.mib else limit
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds:
            pkg = build(kind, Path(tmp) / kind, total)
            size = sum(f.stat().st_size for f in pkg.rglob("*") if f.is_file())
            for what in ("validate", "load"):
                r = measure(pkg, what, max(limit, size))
                rows.append({"input": kind, "bytes": size, "call": what, **r})
                print(f"| {kind} | {size / 2**20:.1f} MiB | `{what}` | {r['seconds']} s | {r['peak_mb']} MB | {r['result']} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"limit": limit, "runs": rows}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
