"""Build real git repositories with controlled dates for the trust tests."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

NOW = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
DAY = 86400


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }
    env.update(extra or {})
    return env


class RepoBuilder:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(["git", *args], cwd=self.path, env=git_env(env), capture_output=True, check=True)
        return done.stdout.decode()

    def _dates(self, days_ago: float) -> dict[str, str]:
        stamp = f"@{int(NOW.timestamp() - days_ago * DAY)} +0000"
        return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}

    def commit(
        self,
        days_ago: float,
        name: str,
        email: str,
        path: str | None = None,
        *,
        content: str | None = None,
        message: str = "change",
    ) -> str:
        if path:
            file = self.path / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(content if content is not None else f"{path} {days_ago}\n")
            self.git("add", path)
        who = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
        self.git("commit", "-q", "--allow-empty", "-m", message, env={**who, **self._dates(days_ago)})
        return self.git("rev-parse", "HEAD").strip()

    def merge(self, branch: str, days_ago: float, name: str, email: str) -> None:
        who = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
        self.git("merge", "-q", "--no-ff", "-m", f"merge {branch}", branch, env={**who, **self._dates(days_ago)})

    def tag(self, name: str) -> None:
        self.git("tag", name)


ALICE = ("Alice", "alice@acme.io")
ALICE_OLD = ("Alice Old", "alice@old.example")
BOB = ("Bob", "bob@example.org")
CAROL = ("Carol", "carol@weather.dev")
DEPENDABOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
ACTIONS = ("github-actions", "action@github.com")
WEATHER = "servers/weather"


def build_monorepo(path: Path) -> RepoBuilder:
    """The history the exact-figure tests check (days before NOW; see test_git_facts)."""
    r = RepoBuilder(path)
    r.commit(400, *ALICE, ".mailmap", content="Alice <alice@acme.io> <alice@old.example>\n")
    r.commit(399, *ALICE, "README.md", content="# weather\n")
    r.commit(398, *ALICE, "LICENSE", content="MIT\n")
    r.commit(300, *CAROL, f"{WEATHER}/server.py")
    r.commit(200, *BOB, "core/b.py")
    r.tag("v0.1")
    r.commit(100, *ALICE, "core/c.py")
    r.commit(50, *DEPENDABOT, "core/deps.txt")
    r.commit(40, *ALICE, f"{WEATHER}/tools.py")
    r.commit(30, *ACTIONS, "core/ci.txt")
    r.commit(20, *ALICE_OLD, "core/d.py")
    r.git("checkout", "-q", "-b", "feature")
    r.commit(16, *BOB, "core/e.py")
    r.git("checkout", "-q", "main")
    r.merge("feature", 15, *ALICE)
    r.commit(10, *ALICE, "core/f.py")
    r.tag("v0.2")
    r.commit(8, *CAROL, f"{WEATHER}/api.py")
    r.commit(5, *BOB, "core/g.py")
    r.commit(3, *ALICE, ".github/SECURITY.md")
    r.commit(2, *ALICE, f"{WEATHER}/README.md")
    r.commit(1, *DEPENDABOT, "core/deps.txt", content="bumped\n")
    r.commit(-10, *ALICE, "core/future.py")
    return r
