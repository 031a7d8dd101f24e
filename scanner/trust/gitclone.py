"""Clone a stranger's repository without letting it do anything.

A blobless partial clone (all commits and trees, no file contents, no checkout)
is enough for every history figure and cheap on the wire. Nothing in the input
becomes a git option: the source is either an ``https://`` URL or, only when
the caller allows it, an existing local directory, and it always follows
``--``. Hooks, templates, submodules and every transport but https (and file,
for an allowed local path) are off; the user's own git configuration is not
read (an ``insteadOf`` there could reroute the URL); time and size are bounded
and a clone over either bound is killed with its whole process group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from scanner.childenv import scrubbed_env
from scanner.errors import ScannerError, SourceError

# Proxies and CA bundles are how corporate networks reach https at all; they carry
# no credentials of the user's that a hostile remote could read.
_PASS_THROUGH = (
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
    "GIT_SSL_CAINFO",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)


class GitFactsError(ScannerError):
    """The repository could not be cloned or read within the bounds."""


def hardened_config(*, allow_file: bool) -> list[str]:
    """``-c`` pairs for every git invocation on untrusted data."""
    pairs = {
        "core.hooksPath": "/dev/null",
        "core.fsmonitor": "false",
        "protocol.allow": "never",
        "protocol.https.allow": "always",
        "protocol.ext.allow": "never",
        "protocol.file.allow": "always" if allow_file else "never",
        "submodule.recurse": "false",
        "transfer.fsckObjects": "true",
        "credential.helper": "",
        "advice.detachedHead": "false",
    }
    argv: list[str] = []
    for key, value in pairs.items():
        argv += ["-c", f"{key}={value}"]
    return argv


def git_env(home: str) -> dict[str, str]:
    """A scrubbed environment: no tokens, no user or system git config, no prompts."""
    env = scrubbed_env({}, home)
    env.update({k: os.environ[k] for k in _PASS_THROUGH if k in os.environ})
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "/bin/false",
            "SSH_ASKPASS": "/bin/false",
            "GIT_OPTIONAL_LOCKS": "0",
            "LC_ALL": "C",
        }
    )
    return env


def validate_source(source: str, *, allow_local: bool) -> tuple[str, bool]:
    """Return ``(clone_source, is_local)`` or raise ``SourceError`` before anything runs."""
    text = source.strip()
    if not text or text.startswith("-") or any(c in text for c in "\n\r\0"):
        raise SourceError(f"refusing repository {source!r}: not a URL or a path")
    parts = urlsplit(text)
    if parts.scheme == "https":
        if not parts.hostname or parts.username or parts.password:
            raise SourceError(f"refusing repository URL {text!r}: needs a host and no credentials")
        return text, False
    if ":" in text:  # another scheme, ext::, or scp-like "host:path" (git would use ssh)
        raise SourceError(f"refusing repository {text!r}: only https:// URLs are cloned")
    if not allow_local:
        raise SourceError(f"refusing local repository {text!r}: pass --allow-local-repo to score a local path")
    path = Path(text).expanduser().resolve()
    if not path.is_dir():
        raise SourceError(f"local repository {str(path)!r} is not a directory")
    return str(path), True


def _tree_bytes(root: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            try:
                total += (Path(dirpath) / name).lstat().st_size
            except OSError:
                continue
    return total


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run_bounded(
    argv: list[str], *, home: str, watch: Path, timeout_s: float, max_bytes: int, what: str
) -> tuple[int, str, str]:
    """Run git while watching the size of ``watch``; kill the process group over either
    bound. Returns (exit status, stdout, the start of stderr)."""
    deadline = time.monotonic() + timeout_s
    with tempfile.TemporaryFile() as outfile, tempfile.TemporaryFile() as errfile:
        proc = subprocess.Popen(
            argv,
            env=git_env(home),
            stdin=subprocess.DEVNULL,
            stdout=outfile,
            stderr=errfile,
            start_new_session=True,
        )
        # Bounded polling: the only way to see the size grow while git runs.
        while True:
            try:
                code = proc.wait(timeout=max(0.0, min(0.2, deadline - time.monotonic())))
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() >= deadline:
                    _kill(proc)
                    raise GitFactsError(f"{what} took longer than {timeout_s:g} s") from None
                if watch.exists() and _tree_bytes(watch) > max_bytes:
                    _kill(proc)
                    raise GitFactsError(f"{what} is larger than {max_bytes} bytes; aborted") from None
        outfile.seek(0)
        errfile.seek(0)
        out = outfile.read(1024 * 1024).decode("utf-8", "replace")
        err = errfile.read(4096).decode("utf-8", "replace").strip()
    return code, out, err


MAX_MAILMAP_BYTES = 1024 * 1024


def prefetch_mailmap(repo_dir: Path, *, home: str, timeout_s: float, max_bytes: int) -> bool:
    """Fetch the one file the history figures read (``.mailmap``) under the bounds, then
    switch lazy fetching off so nothing later reaches the network. True when the
    mailmap can be used (present and at most ``MAX_MAILMAP_BYTES``)."""
    base = ["git", *hardened_config(allow_file=False), "-C", str(repo_dir)]
    listing = (
        subprocess.run(
            [*base, "ls-tree", "HEAD", "--", ".mailmap"],
            env=git_env(home),
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
        .stdout.decode("utf-8", "replace")
        .split()
    )
    usable = False
    if len(listing) >= 3 and listing[1] == "blob":
        code, out, _ = run_bounded(
            [*base, "cat-file", "-s", listing[2]],
            home=home,
            watch=repo_dir,
            timeout_s=timeout_s,
            max_bytes=max_bytes,
            what="fetching .mailmap",
        )
        usable = code == 0 and out.strip().isdigit() and int(out) <= MAX_MAILMAP_BYTES
    subprocess.run(
        [*base, "config", "--unset", "extensions.partialClone"],
        env=git_env(home),
        capture_output=True,
        timeout=timeout_s,
        check=False,
    )
    return usable


def safe_clone(
    source: str,
    dest: Path,
    *,
    allow_local: bool,
    timeout_s: float,
    max_bytes: int,
    home: str,
) -> None:
    """Blobless, checkout-free clone of ``source`` into ``dest`` (which must not exist)."""
    url, local = validate_source(source, allow_local=allow_local)
    argv = [
        "git",
        *hardened_config(allow_file=local),
        "clone",
        "--quiet",
        "--template=",
        "--filter=blob:none",
        "--no-checkout",
        "--no-recurse-submodules",
    ]
    if local:
        argv.append("--no-hardlinks")
    argv += ["--", url, str(dest)]
    code, _, err = run_bounded(
        argv, home=home, watch=dest, timeout_s=timeout_s, max_bytes=max_bytes, what=f"clone of {url}"
    )
    if code != 0:
        last = err.splitlines()[-1] if err else f"exit status {code}"
        raise GitFactsError(f"git clone of {url} failed: {last}")
    if _tree_bytes(dest) > max_bytes:
        raise GitFactsError(f"clone of {url} is larger than {max_bytes} bytes; aborted")
