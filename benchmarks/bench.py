"""Benchmarks for issue 3's targets. Not a test: run it, read the numbers.

    python benchmarks/bench.py                 # everything, writes docs/benchmarks.md
    python benchmarks/bench.py --quick         # skip the 10^6-row package
    python benchmarks/bench.py --runs 7        # more repetitions
    python benchmarks/bench.py --core-only     # targets only; keep the stored size series

Every timing is taken in separate cold processes (a fresh interpreter per
run) and reported as the median; each target is a ratio or difference against
a baseline measured in the same run, on the same machine, so the figures are
comparable across machines in a way absolute seconds are not.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "benchmarks" / "results.json"

IMPORT_PANDAS = "import pandas"
IMPORT_IE = "import improvement_evidence"
# The increment itself: pandas imported first (untimed), then the package,
# timed, in the same cold process. Process-to-process noise in a cold
# `import pandas` is larger than the 30 ms target here, so this is the
# measure the target is judged on; the paired medians are shown beside it.
INCREMENT = """
import time, pandas
t0 = time.perf_counter()
import improvement_evidence
print("INCREMENT", time.perf_counter() - t0)
"""


def read_all_baseline(pkg: Path) -> str:
    files = sorted(str(p) for p in (pkg / "data").glob("*.csv"))
    return f"import pandas as pd\nfor f in {files!r}:\n    pd.read_csv(f)\n"


def load_ie(pkg: Path | None) -> str:
    arg = "" if pkg is None else repr(str(pkg))
    return f"import improvement_evidence as ie\nie.load({arg})\n"


def validate_ie(pkg: Path | None) -> str:
    arg = "" if pkg is None else repr(str(pkg))
    return f"import improvement_evidence as ie\nr = ie.validate({arg})\nassert r.valid, str(r)[:2000]\n"


PROBE = """
import resource, sys, time
t0 = time.perf_counter()
exec(compile(sys.stdin.read(), "<bench>", "exec"))
t1 = time.perf_counter()
print(t1 - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def cold(code: str, runs: int, env: dict | None = None) -> tuple[float, float]:
    """Median seconds of ``code`` and median peak RSS (MB), each in a fresh process."""
    secs, rss = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PROBE], input=code, capture_output=True, text=True,
                             check=True, env=env, cwd=tempfile.gettempdir())
        s, kb = out.stdout.split()
        secs.append(float(s))
        rss.append(int(kb) / 1024)
    return statistics.median(secs), statistics.median(rss)


def paired(code_a: str, code_b: str, runs: int, env: dict | None = None) -> tuple[tuple[float, float], tuple[float, float]]:
    """Like :func:`cold` for two snippets, alternating A, B, A, B... so that a
    machine that slows down or speeds up during the run affects both alike."""
    a_s, a_m, b_s, b_m = [], [], [], []
    for _ in range(runs):
        s, m = cold(code_a, 1, env)
        a_s.append(s), a_m.append(m)
        s, m = cold(code_b, 1, env)
        b_s.append(s), b_m.append(m)
    med = statistics.median
    return (med(a_s), med(a_m)), (med(b_s), med(b_m))


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def synthetic(dest: Path, n_metrics: int) -> Path:
    """Copy the shipped package and grow metrics.csv to ``n_metrics`` rows:
    the real rows, then copies of them under new ids (so every check still
    has real work and every foreign key into metrics still resolves)."""
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    shutil.copy2(ROOT / "datapackage.json", dest / "datapackage.json")
    src = dest / "data" / "metrics.csv"
    with open(src, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    base = [r for r in rows if not r["compares_with"]]
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        for i in range(max(0, n_metrics - len(rows))):
            r = dict(base[i % len(base)])
            r["metric_id"] = f"{r['metric_id']}-copy-{i}"
            w.writerow(r)
    from improvement_evidence.integrity import file_record

    desc = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    for r in desc["resources"]:
        r.update(file_record((dest / r["path"]).read_bytes()))
    (dest / "datapackage.json").write_text(json.dumps(desc, indent=2), encoding="utf-8")
    return dest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="largest synthetic package 10^5 rows, not 10^6")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    ap.add_argument("--core-only", action="store_true",
                    help="rerun the targets only; keep the size series from benchmarks/results.json")
    args = ap.parse_args(argv)
    runs = max(5, args.runs)
    pkg = ROOT
    env = dict(os.environ)
    results: dict = {"runs": runs, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}

    (t_pd, m_pd), (t_ie, m_ie) = paired(IMPORT_PANDAS, IMPORT_IE, runs, env)
    inc = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", INCREMENT], capture_output=True, text=True, check=True,
                             env=env, cwd=tempfile.gettempdir())
        inc.append(float(out.stdout.split("INCREMENT", 1)[1].split()[0]))
    results["import"] = {"pandas_s": t_pd, "ie_s": t_ie, "extra_ms": (t_ie - t_pd) * 1000,
                         "increment_ms": statistics.median(inc) * 1000}

    (t_base, m_base), (t_load, m_load) = paired(read_all_baseline(pkg), load_ie(None), runs, env)
    results["load"] = {"baseline_s": t_base, "load_s": t_load, "ratio": t_load / t_base,
                       "baseline_rss_mb": m_base, "load_rss_mb": m_load, "extra_rss_mb": m_load - m_base}

    t_val, m_val = cold(validate_ie(None), runs, env)
    results["validate_shipped"] = {"s": t_val, "rss_mb": m_val}

    sizes = [10**3, 10**4, 10**5] + ([] if args.quick else [10**6])
    scale = []
    stored = RAW.is_file() and json.loads(RAW.read_text(encoding="utf-8"))
    if args.core_only and stored:
        # keep the size series of the last full run (it takes ~10 minutes);
        # the page says when that was
        results["scaling"] = stored["scaling"]
        results["scaling_from"] = stored.get("scaling_from") or stored.get("date")
        return finish(results, args)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            d = synthetic(Path(tmp) / f"p{n}", n)
            reps = runs if n <= 10**4 else (3 if n == 10**5 else 1)
            # the synthetic packages outgrow the default size limit (32 MiB): raise it
            big = dict(env or os.environ, IMPROVEMENT_EVIDENCE_MAX_BYTES=str(1 << 40))
            t_v, m_v = cold(validate_ie(d), reps, big)
            fl = shutil.which("frictionless") or str(Path(sys.executable).parent / "frictionless")
            t_f = wall([fl, "validate", str(d / "datapackage.json"), "--limit-errors", "1000000"], reps)
            scale.append({"rows": n, "validate_s": t_v, "validate_rss_mb": m_v, "frictionless_cli_s": t_f, "reps": reps})
            shutil.rmtree(d)
    results["scaling"] = scale
    results["scaling_from"] = results["date"]
    return finish(results, args)


def finish(results: dict, args) -> int:
    RAW.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_report(results, Path(args.out))
    print(json.dumps(results, indent=2))
    return 0


def write_report(r: dict, out: Path) -> None:
    imp, load, val = r["import"], r["load"], r["validate_shipped"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python benchmarks/bench.py` (the whole page; do not edit by hand).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
        f"Each figure is the median of {r['runs']} separate cold processes unless stated; "
        "each target and its baseline are measured alternately (A, B, A, B, ...) so that drift in the machine's speed affects both alike. "
        f"Targets measured {r['date']}; size series measured {r.get('scaling_from', r['date'])}.",
        "",
        "| what | measured | baseline (same run) | target | met |",
        "|---|---|---|---|---|",
        f"| cold `import improvement_evidence; load()` | {load['load_s']*1000:.0f} ms | `import pandas` + `read_csv` of the same files: {load['baseline_s']*1000:.0f} ms | ratio ≤ 1.15 | ratio {load['ratio']:.2f} {'yes' if load['ratio'] <= 1.15 else 'no'} |",
        f"| `import improvement_evidence` after `import pandas`, same cold process | {imp['increment_ms']:.1f} ms | — | ≤ 30 ms over pandas | {'yes' if imp['increment_ms'] <= 30 else 'no'} |",
        f"| `import improvement_evidence` (whole cold process, for reference) | {imp['ie_s']*1000:.0f} ms | `import pandas`: {imp['pandas_s']*1000:.0f} ms | — | {imp['extra_ms']:+.0f} ms (within run-to-run noise) |",
        f"| peak memory of `load()` | {load['load_rss_mb']:.0f} MB | pandas baseline: {load['baseline_rss_mb']:.0f} MB | ≤ baseline + 20 MB | {load['extra_rss_mb']:+.0f} MB {'yes' if load['extra_rss_mb'] <= 20 else 'no'} |",
        f"| full `validate()` of the shipped package (cold process, incl. imports) | {val['s']:.2f} s | — | ≤ 2 s | {'yes' if val['s'] <= 2 else 'no'} |",
        "",
        "## Validation time against size",
        "",
        "Synthetic packages: the shipped package with `metrics.csv` grown to N rows by repeating real rows under new ids. "
        "`validate()` runs frictionless (files, types, constraints, keys, hashes) plus pandera and the cross-table checks; "
        "the last column is `frictionless validate` alone on the same files (wall clock, including interpreter start).",
        "",
        "| metric rows | `validate()` | per 1,000 rows | peak memory | `frictionless validate` alone | runs |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for s in r["scaling"]:
        lines.append(f"| {s['rows']:,} | {s['validate_s']:.2f} s | {s['validate_s']/s['rows']*1000:.3f} s | {s['validate_rss_mb']:.0f} MB | {s['frictionless_cli_s']:.2f} s | {s['reps']} |")
    lines += ["", "Raw results:", "", "```json", json.dumps(r, indent=2), "```", ""]
    out.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
