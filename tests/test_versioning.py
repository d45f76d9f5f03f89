"""tools/check_version_bump.py on throwaway git repositories (issue 5)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TOOL = ROOT / "tools" / "check_version_bump.py"
MINI = HERE / "data" / "mini-package"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2020-01-02\n\n### Data\n\n- Initial release.\n"


def git_env(tmp_path: Path) -> dict:
    # isolate from the user's and the system's git configuration
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return env


class Repo:
    def __init__(self, path: Path, env: dict):
        self.path, self.env = path, env

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.path, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("-c", "commit.gpgsign=false", "commit", "-q", "-m", message)

    def check(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(TOOL), "--repo", str(self.path), *args],
                              env=env or self.env, capture_output=True, text=True)

    def append_row(self, table: str, line: str) -> None:
        with open(self.path / "data" / f"{table}.csv", "a", encoding="utf-8", newline="") as fh:
            fh.write(line + "\n")

    def bump(self, version: str, changelog: bool = True) -> None:
        p = self.path / "datapackage.json"
        d = json.loads(p.read_text(encoding="utf-8"))
        d["version"] = version
        p.write_text(json.dumps(d, indent=2), encoding="utf-8")
        if changelog:
            c = self.path / "CHANGELOG.md"
            c.write_text(c.read_text(encoding="utf-8").replace(
                "## [Unreleased]\n", f"## [Unreleased]\n\n## [{version}] - 2020-02-02\n\n### Data\n\n- More data.\n"), encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Repo:
    path = tmp_path / "repo"
    shutil.copytree(MINI, path)
    (path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    env = git_env(tmp_path)
    r = Repo(path, env)
    r.git("init", "-q")
    r.commit("initial package")
    return r


def test_first_commit_passes(repo):
    out = repo.check()
    assert out.returncode == 0, out.stderr
    assert "PASS" in out.stdout and "first commit" in out.stdout


def test_a_committed_data_change_without_a_bump_fails(repo):
    repo.append_row("groups", "gamma,Gamma,3")
    repo.commit("more data")
    out = repo.check()
    assert out.returncode == 1
    assert "FAIL" in out.stderr
    assert "data/groups.csv changed since" in out.stderr
    assert "still says version 1.0.0" in out.stderr
    assert "CHANGELOG.md has no '## [1.0.0]' section" not in out.stderr  # the 1.0.0 entry exists


def test_an_uncommitted_change_without_a_bump_fails(repo):
    schema = repo.path / "schemas" / "groups.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace("Label.", "The label."), encoding="utf-8")
    out = repo.check()
    assert out.returncode == 1
    assert "schemas/groups.json changed since HEAD" in out.stderr


def test_a_bump_with_a_changelog_entry_passes(repo):
    repo.append_row("groups", "gamma,Gamma,3")
    repo.bump("1.1.0")
    repo.commit("more data, 1.1.0")
    out = repo.check()
    assert out.returncode == 0, out.stderr
    assert "version 1.0.0 -> 1.1.0" in out.stdout


def test_a_bump_without_a_changelog_entry_fails(repo):
    repo.append_row("groups", "gamma,Gamma,3")
    repo.bump("1.1.0", changelog=False)
    repo.commit("more data")
    out = repo.check()
    assert out.returncode == 1
    assert "CHANGELOG.md has no '## [1.1.0]' section" in out.stderr
    assert "still says version" not in out.stderr


def test_a_bump_smaller_than_the_policy_needs_fails(repo):
    lines = (repo.path / "data" / "groups.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (repo.path / "data" / "groups.csv").write_text("".join(lines[:-1]), encoding="utf-8")  # a row removed
    (repo.path / "data" / "items.csv").write_text(
        (repo.path / "data" / "items.csv").read_text(encoding="utf-8").replace(",beta,", ",alpha,"), encoding="utf-8")
    repo.bump("1.0.1")
    repo.commit("drop a group")
    out = repo.check()
    assert out.returncode == 1
    assert "1.0.0 -> 1.0.1 is a patch bump, but the changes need major: groups: 1 row(s) removed" in out.stderr


def test_citation_files_must_follow_the_version(repo):
    (repo.path / "CITATION.cff").write_text('cff-version: "1.2.0"\nversion: "1.0.0"\n', encoding="utf-8")
    repo.commit("citation")
    repo.append_row("groups", "gamma,Gamma,3")
    repo.bump("1.1.0")
    out = repo.check()
    assert out.returncode == 1
    assert "CITATION.cff: version 1.0.0 differs from datapackage.json's 1.1.0" in out.stderr


def test_the_last_release_tag_is_the_base(repo):
    repo.git("tag", "v1.0.0")
    repo.append_row("groups", "gamma,Gamma,3")
    repo.bump("1.1.0")
    repo.commit("1.1.0 work")
    repo.append_row("groups", "delta,Delta,4")
    repo.commit("more 1.1.0 work: no second bump needed before the release")
    out = repo.check()
    assert out.returncode == 0, out.stderr
    assert "since the last release tag v1.0.0" in out.stdout


def test_a_change_after_the_release_tag_without_a_bump_fails(repo):
    repo.git("tag", "v1.0.0")
    repo.append_row("groups", "gamma,Gamma,3")
    repo.commit("after the release")
    out = repo.check()
    assert out.returncode == 1
    assert "data/groups.csv changed since the last release tag v1.0.0" in out.stderr


def test_a_change_outside_data_and_schemas_needs_no_bump(repo):
    (repo.path / "README.md").write_text("docs\n", encoding="utf-8")
    repo.commit("docs")
    out = repo.check()
    assert out.returncode == 0, out.stderr


def test_shallow_clone_skips_with_a_reason(repo, tmp_path):
    repo.append_row("groups", "gamma,Gamma,3")
    repo.commit("more data")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)],
                   env=repo.env, check=True, capture_output=True)
    shallow = Repo(clone, repo.env)
    out = shallow.check()
    assert out.returncode == 0
    assert "SKIP" in out.stderr and "shallow clone" in out.stderr and "--unshallow" in out.stderr
    assert shallow.check("--strict").returncode == 1


def test_missing_git_skips(repo, tmp_path):
    env = dict(repo.env, PATH=str(tmp_path / "empty-bin"))  # no git anywhere on PATH
    out = repo.check(env=env)
    assert out.returncode == 0
    assert "SKIP: git is not installed" in out.stderr


def test_outside_a_repository_skips(tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(MINI, plain)
    out = Repo(plain, git_env(tmp_path)).check()
    assert out.returncode == 0
    assert "SKIP" in out.stderr and "not inside a git work tree" in out.stderr


# -- the release ledger: works without tags and in shallow clones -----------

def record_release_hash(repo: Repo) -> str:
    out = repo.check("--release-hash")
    digest = out.stdout.strip()
    assert digest.startswith("sha256:") and len(digest) == 7 + 64
    c = repo.path / "CHANGELOG.md"
    c.write_text(c.read_text(encoding="utf-8").replace(
        "- Initial release.\n", f"- Initial release.\n\nRelease hash (data and schemas): `{digest}`\n"), encoding="utf-8")
    return digest


def test_ledger_passes_while_the_files_equal_the_recorded_release(repo):
    digest = record_release_hash(repo)
    repo.commit("record the release hash")
    repo.append_row("groups", "gamma,Gamma,3")
    repo.git("checkout", "--", "data/groups.csv")  # changed and changed back: same bytes
    out = repo.check()
    assert out.returncode == 0, out.stderr
    assert f"exactly release 1.0.0 (release hash {digest})" in out.stdout


def test_ledger_fails_a_change_under_a_released_version_even_without_history(repo):
    digest = record_release_hash(repo)
    repo.commit("record the release hash")
    repo.append_row("groups", "gamma,Gamma,3")
    repo.commit("more data")
    # no git history at all: the ledger alone decides
    shutil.rmtree(repo.path / ".git")
    repo.git("init", "-q")
    repo.commit("a fresh clone with one commit")
    out = repo.check()
    assert out.returncode == 1
    assert f"changed since release 1.0.0 (CHANGELOG.md records release hash {digest}" in out.stderr
    assert "Bump the version" in out.stderr


def test_ledger_lets_changes_collect_under_an_undated_version(repo):
    c = repo.path / "CHANGELOG.md"
    c.write_text(c.read_text(encoding="utf-8").replace("## [1.0.0] - 2020-01-02", "## [1.0.0] - Unreleased"), encoding="utf-8")
    repo.commit("not released yet")
    repo.append_row("groups", "gamma,Gamma,3")
    repo.commit("more data")
    out = repo.check()
    assert out.returncode == 0, out.stderr
    assert "still being prepared" in out.stdout


def test_this_repository_matches_its_release_ledger():
    """The guard CI relies on: if CHANGELOG.md records a release hash for the
    current version, data/ and schemas/ must still hash to it."""
    sys.path.insert(0, str(ROOT / "tools"))
    import check_version_bump as cvb

    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    found = cvb.changelog_section(ROOT, version)
    assert found is not None, f"CHANGELOG.md has no section for {version}"
    m = cvb.RELEASE_HASH.search(found[1])
    if m is None:
        pytest.skip(f"version {version} records no release hash yet")
    assert cvb.release_hash(ROOT) == m.group(1), (
        f"data/ or schemas/ changed since release {version}: bump the version and add a CHANGELOG section")
