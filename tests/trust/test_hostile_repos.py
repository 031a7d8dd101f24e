"""A repository is a stranger's input: cloning it must run nothing of theirs.

Each attack is first shown to work with a plain git command (so the test can
fail), then shown to do nothing through our clone.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from scanner.errors import SourceError
from scanner.trust.git_facts import collect_git_facts
from scanner.trust.gitclone import GitFactsError, safe_clone, validate_source
from scanner.trust.records import TrustSettings
from tests.trust.gitrepo import NOW, RepoBuilder, git_env

LOCAL = TrustSettings(allow_local_repo=True)


def _hook_template(tmp_path: Path, marker: Path) -> Path:
    template = tmp_path / "template"
    hooks = template / "hooks"
    hooks.mkdir(parents=True)
    for name in ("reference-transaction", "post-checkout"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\necho ran >> {marker}\n")
        hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    return template


def test_a_hook_that_would_write_a_file_does_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "hook-ran"
    template = _hook_template(tmp_path, marker)
    src = RepoBuilder(tmp_path / "src")
    src.commit(1, "Eve", "eve@evil.test", "x.py")
    # the hook also sits in the source repository's own hooks folder
    (src.path / ".git" / "hooks" / "post-checkout").write_text(f"#!/bin/sh\necho ran >> {marker}\n")
    (src.path / ".git" / "hooks" / "post-checkout").chmod(0o755)

    subprocess.run(
        ["git", "clone", "-q", str(src.path), str(tmp_path / "plain")],
        env=git_env({"GIT_TEMPLATE_DIR": str(template)}),
        check=True,
    )
    assert marker.exists(), "control: a plain clone with this template runs the hook"
    marker.unlink()

    monkeypatch.setenv("GIT_TEMPLATE_DIR", str(template))
    facts = collect_git_facts(str(src.path), subfolder=None, now=NOW, settings=LOCAL)
    assert facts.velocity.commits_90d == 1
    assert not marker.exists()


def test_a_submodule_with_an_ext_url_never_runs_its_command(tmp_path: Path) -> None:
    marker = tmp_path / "ext-ran"
    src = RepoBuilder(tmp_path / "src")
    head = src.commit(2, "Eve", "eve@evil.test", "x.py")
    src.git("config", "-f", ".gitmodules", "submodule.evil.path", "evil")
    src.git("config", "-f", ".gitmodules", "submodule.evil.url", f"ext::sh -c touch% {marker}")
    src.git("add", ".gitmodules")
    src.git("update-index", "--add", "--cacheinfo", f"160000,{head},evil")
    src.commit(1, "Eve", "eve@evil.test")

    subprocess.run(
        [
            "git",
            "-c",
            "protocol.ext.allow=always",
            "clone",
            "-q",
            "--recurse-submodules",
            str(src.path),
            str(tmp_path / "plain"),
        ],
        env=git_env(),
        capture_output=True,
        check=False,
    )
    assert marker.exists(), "control: git with ext allowed runs the submodule URL"
    marker.unlink()

    facts = collect_git_facts(str(src.path), subfolder=None, now=NOW, settings=LOCAL)
    assert facts.velocity.commits_90d == 2
    assert ".gitmodules" in facts.root_files
    assert not marker.exists()


@pytest.mark.parametrize(
    "url",
    [
        "--upload-pack=touch /tmp/mcp-trust-pwned",
        "-u touch /tmp/mcp-trust-pwned",
        "ext::sh -c touch% /tmp/mcp-trust-pwned",
        "http://plain.test/acme/repo",
        "ssh://git@forge.test/acme/repo",
        "git@forge.test:acme/repo.git",
        "file:///etc",
        "https://user:token@forge.test/acme/repo",
        "",
    ],
)
def test_an_option_like_or_non_https_url_is_refused_before_anything_runs(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started for {url!r}")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    monkeypatch.setattr(subprocess, "run", no_process)
    with pytest.raises(SourceError, match="refusing"):
        collect_git_facts(url, subfolder=None, now=NOW, settings=LOCAL)
    assert not Path("/tmp/mcp-trust-pwned").exists()


def test_a_local_path_needs_explicit_permission(tmp_path: Path) -> None:
    src = RepoBuilder(tmp_path / "src")
    src.commit(1, "A", "a@a.test")
    with pytest.raises(SourceError, match="--allow-local-repo"):
        validate_source(str(src.path), allow_local=False)
    assert validate_source(str(src.path), allow_local=True) == (str(src.path.resolve()), True)
    assert validate_source("https://forge.test/acme/r", allow_local=False) == ("https://forge.test/acme/r", False)


def _some_repo(tmp_path: Path) -> RepoBuilder:
    src = RepoBuilder(tmp_path / "src")
    for i in range(20):
        src.commit(i + 1, "A", "a@a.test", f"f{i}.txt", content=os.urandom(2048).hex())
    return src


def test_a_clone_larger_than_the_bound_is_aborted_and_removed(tmp_path: Path) -> None:
    src = _some_repo(tmp_path)
    home = tmp_path / "home"
    (home / "tmp").mkdir(parents=True)
    with pytest.raises(GitFactsError, match="larger than 1000 bytes"):
        safe_clone(str(src.path), tmp_path / "dest", allow_local=True, timeout_s=60, max_bytes=1000, home=str(home))


def test_a_remote_that_never_answers_is_killed_at_the_time_bound(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "tmp").mkdir(parents=True)
    with socket.socket() as silent:  # accepts the TCP connection, then says nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        with pytest.raises(GitFactsError, match="longer than 1 s"):
            safe_clone(
                f"https://127.0.0.1:{port}/acme/repo",
                tmp_path / "dest",
                allow_local=False,
                timeout_s=1.0,
                max_bytes=10**9,
                home=str(home),
            )


def test_the_clone_does_not_see_the_users_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.trust.gitclone import git_env as our_env

    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    monkeypatch.setenv("GIT_DIR", "/somewhere/else")
    env = our_env(str(tmp_path))
    assert "GITHUB_TOKEN" not in env and "GIT_DIR" not in env
    assert env["GIT_CONFIG_GLOBAL"] == os.devnull and env["GIT_TERMINAL_PROMPT"] == "0"
