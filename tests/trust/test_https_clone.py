"""The production path: an https remote, cloned blobless and counted, over real TLS."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scanner.trust.git_facts import collect_git_facts
from scanner.trust.gitclone import prefetch_mailmap, safe_clone
from scanner.trust.records import TrustSettings
from tests.trust.gitrepo import NOW, build_monorepo, git_env
from tests.trust.https_git import https_git_server, self_signed


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("https")
    work = base / "work"
    build_monorepo(work)
    root = base / "root"
    root.mkdir()
    bare = root / "mono.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], env=git_env(), check=True)
    for key, value in (("uploadpack.allowFilter", "true"), ("uploadpack.allowAnySHA1InWant", "true")):
        subprocess.run(["git", "-C", str(bare), "config", key, value], env=git_env(), check=True)
    cert, key_path = self_signed(base)
    return root, cert, key_path


def test_an_https_remote_is_cloned_without_file_contents(
    served: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cert, key = served
    monkeypatch.setenv("GIT_SSL_CAINFO", str(cert))
    home = tmp_path / "home"
    (home / "tmp").mkdir(parents=True)
    clone = tmp_path / "clone"
    with https_git_server(root, cert, key) as base:
        safe_clone(f"{base}/mono.git", clone, allow_local=False, timeout_s=60, max_bytes=10**8, home=str(home))
        missing = subprocess.run(
            ["git", "-C", str(clone), "rev-list", "--objects", "--all", "--missing=print"],
            env=git_env(),
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        assert any(line.startswith("?") for line in missing.splitlines())  # blobs left behind
        assert not (clone / "README.md").exists()  # no checkout
        control = subprocess.run(  # before: git would download a missing blob on demand
            ["git", "-C", str(clone), "cat-file", "-p", "HEAD:LICENSE"],
            env=git_env({"GIT_SSL_CAINFO": str(cert)}),
            capture_output=True,
            check=False,
        )
        assert control.returncode == 0 and control.stdout == b"MIT\n"
        assert prefetch_mailmap(clone, home=str(home), timeout_s=60, max_bytes=10**8)
        # lazy fetching is off afterwards: a blob we did not ask for is an error, not a download
        readme = subprocess.run(
            ["git", "-C", str(clone), "cat-file", "-p", "HEAD:README.md"],
            env=git_env(),
            capture_output=True,
            check=False,
        )
    assert readme.returncode != 0


def test_https_facts_match_the_local_figures_mailmap_included(
    served: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cert, key = served
    monkeypatch.setenv("GIT_SSL_CAINFO", str(cert))
    with https_git_server(root, cert, key) as base:
        facts = collect_git_facts(f"{base}/mono.git", subfolder=None, now=NOW, settings=TrustSettings())
    v = facts.velocity
    assert (v.commits_90d, v.commits_365d, v.authors_90d, v.active_weeks_13) == (8, 11, 3, 4)
    assert [t.name for t in facts.tags] == ["v0.2", "v0.1"]
    assert facts.shallow is False


def test_a_self_signed_remote_is_refused_without_the_ca(
    served: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner.trust.gitclone import GitFactsError

    root, cert, key = served
    monkeypatch.delenv("GIT_SSL_CAINFO", raising=False)
    with https_git_server(root, cert, key) as base, pytest.raises(GitFactsError, match="failed"):
        collect_git_facts(f"{base}/mono.git", subfolder=None, now=NOW, settings=TrustSettings())
