"""Fail when data/ or schemas/ changed without a version bump and a CHANGELOG entry.

    python tools/check_version_bump.py                 # this repository
    python tools/check_version_bump.py --base v1.0.0   # compare with a given ref
    python tools/check_version_bump.py --strict        # a skip is a failure (for CI)

What it compares (docs/versioning.md):

* the base is ``--base`` if given; else the latest release tag ``v*``
  reachable from HEAD; else, with no tag (tags may not travel with a clone),
  the release ledger in CHANGELOG.md: a released version's section records
  ``Release hash: `sha256:...``` over data/ and schemas/, and the files must
  still hash to it while the version is unchanged; a version whose heading
  has no date (``## [1.1.0] - Unreleased``) is still being prepared, and
  changes collect under it; with neither, the parent of the latest commit that changed data/
  or schemas/ (or HEAD itself while such changes are uncommitted);
* the current state is the working tree.

If any file under data/ or schemas/ differs from the base, then the version
in datapackage.json must be greater than the base's, CHANGELOG.md must have a
``## [X.Y.Z]`` section for it, CITATION.cff and .zenodo.json (where present)
must carry the same version, and the bump must be at least the one the
changes imply (computed by ``improvement_evidence.diff``).

It never crashes on an unusual checkout: without git, outside a repository,
or in a shallow clone that lacks the base commit it prints ``SKIP`` with the
reason and exits 0 (1 with ``--strict``); on the first commit it passes.
Exit codes: 0 pass or skip, 1 fail.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WATCHED = ("data", "schemas")


class Skip(Exception):
    """The check cannot run here; the message says why."""


class Fail(Exception):
    """The check ran and found a problem; the message says what to do."""


def git(repo: Path, *args: str, check: bool = True) -> str | None:
    """Run git in ``repo``; return stdout, or None when ``check`` is False and git fails."""
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise Skip("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        if check:
            raise Skip(f"`git {' '.join(args)}` failed: {proc.stderr.strip()}")
        return None
    return proc.stdout


def semver(version: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)(?:[-+].*)?", version.strip())
    if not m:
        raise Fail(f"datapackage.json: version {version!r} is not MAJOR.MINOR.PATCH (docs/versioning.md)")
    return int(m[1]), int(m[2]), int(m[3])


def find_base(repo: Path, explicit: str | None) -> tuple[str, str]:
    """Return (commit, how it was chosen); raise Skip or a pass signal (None commit)."""
    if explicit:
        commit = git(repo, "rev-parse", "--verify", "-q", f"{explicit}^{{commit}}", check=False)
        if not commit:
            raise Skip(f"--base {explicit}: no such commit here (a shallow clone? run `git fetch --unshallow --tags`)")
        return commit.strip(), f"--base {explicit}"
    tag = git(repo, "describe", "--tags", "--abbrev=0", "--match", "v*", "HEAD", check=False)
    if tag and tag.strip():
        tag = tag.strip()
        return git(repo, "rev-parse", f"{tag}^{{commit}}").strip(), f"the last release tag {tag}"
    ledger_check(repo)
    dirty = git(repo, "status", "--porcelain", "--", *WATCHED).strip()
    if dirty:
        return git(repo, "rev-parse", "HEAD").strip(), "HEAD (uncommitted changes to data/ or schemas/)"
    last = git(repo, "log", "-1", "--format=%H", "--", *WATCHED).strip()
    if not last:
        raise _Pass("no commit has changed data/ or schemas/")
    parent = git(repo, "rev-parse", "--verify", "-q", f"{last}^", check=False)
    if parent:
        return parent.strip(), f"{last[:10]}^, the commit before the last change to data/ or schemas/"
    shallow = (git(repo, "rev-parse", "--is-shallow-repository", check=False) or "").strip() == "true"
    if shallow:
        raise Skip(
            f"shallow clone: the parent of {last[:10]} is not fetched, so there is nothing to compare with; "
            "run `git fetch --unshallow --tags` (CI: fetch-depth 0)"
        )
    raise _Pass(f"{last[:10]} is the first commit: nothing to compare with")


class _Pass(Exception):
    """Nothing to check: the message says why."""


RELEASE_HASH = re.compile(r"Release hash[^`\n]*`(sha256:[0-9a-f]{64})`")


def release_hash(repo: Path) -> str:
    """sha256 over the sorted ``<sha256>  <path>`` lines of every file under
    data/ and schemas/ (what a release freezes: values and their types)."""
    import hashlib

    lines = []
    for folder in WATCHED:
        for f in sorted((repo / folder).glob("*")):
            if f.is_file():
                lines.append(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {folder}/{f.name}\n")
    return "sha256:" + hashlib.sha256("".join(sorted(lines, key=lambda l: l.split("  ", 1)[1])).encode()).hexdigest()


def changelog_section(repo: Path, version: str) -> tuple[str, str] | None:
    path = repo / "CHANGELOG.md"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    m = re.search(rf"^(##\s+\[?{re.escape(version)}\]?.*?)$(.*?)(?=^##\s|\Z)", text, re.M | re.S)
    return (m.group(1), m.group(2)) if m else None


def ledger_check(repo: Path) -> None:
    """With no release tag: judge by the release ledger in CHANGELOG.md.

    Raises _Pass or Fail when the ledger decides; returns when it has
    nothing to say (no section for the current version)."""
    current = str(json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))["version"])
    semver(current)
    found = changelog_section(repo, current)
    if found is None:
        return
    heading, section = found
    m = RELEASE_HASH.search(section)
    if not m:
        if not re.search(r"\d{4}-\d{2}-\d{2}", heading):
            raise _Pass(f"version {current} has no release date in CHANGELOG.md: it is still being prepared, "
                        "and changes to data/ or schemas/ collect under it")
        return  # released without a recorded hash: judge by git history
    now = release_hash(repo)
    if now != m.group(1):
        raise Fail(
            f"data/ or schemas/ changed since release {current} (CHANGELOG.md records release hash {m.group(1)}; "
            f"the files now hash to {now}). Bump the version in datapackage.json (docs/versioning.md says which part) "
            "and add a CHANGELOG.md section for it"
        )
    raise _Pass(f"data/ and schemas/ are exactly release {current} (release hash {now})")


def changed_files(repo: Path, base: str) -> list[str]:
    tracked = git(repo, "diff", "--name-only", base, "--", *WATCHED).split()
    untracked = git(repo, "ls-files", "--others", "--exclude-standard", "--", *WATCHED).split()
    return sorted(set(tracked) | set(untracked))


def version_at(repo: Path, base: str) -> str | None:
    text = git(repo, "show", f"{base}:datapackage.json", check=False)
    if text is None:
        return None
    try:
        return str(json.loads(text)["version"])
    except (json.JSONDecodeError, KeyError):
        return None


def changelog_has(repo: Path, version: str) -> bool:
    path = repo / "CHANGELOG.md"
    if not path.is_file():
        return False
    pattern = re.compile(rf"^##\s+\[?{re.escape(version)}\]?(\s|$)", re.M)
    return bool(pattern.search(path.read_text(encoding="utf-8")))


def metadata_versions(repo: Path) -> dict[str, str]:
    """Versions written in CITATION.cff and .zenodo.json, where those exist."""
    out = {}
    cff = repo / "CITATION.cff"
    if cff.is_file():
        m = re.search(r'^version:\s*"?([^"\n]+?)"?\s*$', cff.read_text(encoding="utf-8"), re.M)
        out["CITATION.cff"] = m.group(1) if m else "(none)"
    zen = repo / ".zenodo.json"
    if zen.is_file():
        try:
            out[".zenodo.json"] = str(json.loads(zen.read_text(encoding="utf-8")).get("version", "(none)"))
        except json.JSONDecodeError:
            out[".zenodo.json"] = "(not valid JSON)"
    return out


def implied_bump(repo: Path, base: str) -> tuple[object | None, str]:
    """Diff the base's package with the working tree's; (report, note)."""
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from improvement_evidence.diff import DiffError, diff
    except ImportError as exc:
        return None, f"policy check skipped: improvement_evidence.diff cannot be imported ({exc})"
    proc = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", base, "datapackage.json", *WATCHED],
                          capture_output=True)
    if proc.returncode != 0:
        return None, f"policy check skipped: cannot extract the base package ({proc.stderr.decode().strip()})"
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            tar.extractall(tmp, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(tmp)
        try:
            return diff(Path(tmp), repo), ""
        except DiffError as exc:
            return None, f"policy check skipped: {exc}"


def check(repo: Path, base_ref: str | None = None) -> str:
    """Run the check; return the PASS message or raise Skip/Fail/_Pass."""
    if shutil.which("git") is None:
        raise Skip("git is not installed or not on PATH")
    inside = git(repo, "rev-parse", "--is-inside-work-tree", check=False)
    if not inside or inside.strip() != "true":
        raise Skip(f"{repo} is not inside a git work tree")
    if git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False) is None:
        raise _Pass("no commit yet")
    base, how = find_base(repo, base_ref)
    files = changed_files(repo, base)
    if not files:
        return f"no change to data/ or schemas/ since {how}"
    old = version_at(repo, base)
    if old is None:
        return f"datapackage.json did not exist at {how}: this is the first version"
    current = str(json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))["version"])
    listed = ", ".join(files[:10]) + (f" and {len(files) - 10} more" if len(files) > 10 else "")
    problems = []
    if semver(current) <= semver(old):
        problems.append(
            f"{listed} changed since {how}, but datapackage.json still says version {current} "
            f"(base: {old}). Bump the version (docs/versioning.md says which part)"
        )
    if not changelog_has(repo, current):
        problems.append(
            f"CHANGELOG.md has no '## [{current}]' section: add one, with a '### Data' subsection "
            f"saying what changed in {listed}"
        )
    for name, v in metadata_versions(repo).items():
        if v != current:
            problems.append(f"{name}: version {v} differs from datapackage.json's {current}; update it")
    report, note = implied_bump(repo, base)
    if report is not None and not report.bump_sufficient and semver(current) > semver(old):
        needed = [c.detail if c.table is None else f"{c.table}: {c.detail}" for c in report.changes if c.bump == report.implied_bump]
        problems.append(
            f"{old} -> {current} is a {report.actual_bump} bump, but the changes need {report.implied_bump}: "
            + "; ".join(needed[:5])
        )
    if problems:
        raise Fail("\n  ".join(problems))
    return f"{listed} changed since {how}; version {old} -> {current}, CHANGELOG entry present" + (f" ({note})" if note else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", type=Path, default=ROOT, help="the repository to check (default: this one)")
    ap.add_argument("--base", default=None, help="compare with this git ref instead of the last tag or data commit")
    ap.add_argument("--strict", action="store_true", help="treat SKIP as a failure (exit 1)")
    ap.add_argument("--release-hash", action="store_true", help="print the release hash of data/ and schemas/ (to record in CHANGELOG.md at release) and exit")
    args = ap.parse_args(argv)
    name = "check_version_bump"
    if args.release_hash:
        print(release_hash(args.repo.resolve()))
        return 0
    try:
        msg = check(args.repo.resolve(), args.base)
    except _Pass as exc:
        print(f"{name}: PASS: {exc}")
        return 0
    except Skip as exc:
        print(f"{name}: SKIP: {exc}", file=sys.stderr)
        return 1 if args.strict else 0
    except Fail as exc:
        print(f"{name}: FAIL:\n  {exc}", file=sys.stderr)
        return 1
    print(f"{name}: PASS: {msg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
