"""Bounds that keep a hostile server from hanging or exhausting the scanner.

Every fetch runs under one ``Limits``; each bound, when crossed, ends the scan
with a one-line reason (``ConnectionFailed`` for start-up, ``ServerMisbehaved``
for everything the server does after it answered). Tests pass small bounds.
"""

from __future__ import annotations

import msgspec

MIB = 1024 * 1024
GIB = 1024 * MIB


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    start_timeout_s: float = 30.0  # spawn/connect + initialize
    request_timeout_s: float = 30.0  # each list request
    total_timeout_s: float = 120.0  # the whole fetch, start to teardown
    max_stdout_bytes: int = 64 * MIB  # everything a stdio server may write
    max_message_bytes: int = 16 * MIB  # one JSON-RPC line
    max_stderr_bytes: int = 64 * 1024  # kept for error messages; the rest is drained
    max_tools: int = 5000
    max_tool_bytes: int = 1 * MIB  # compact JSON of one tool (or prompt/resource)
    max_surface_bytes: int = 8 * MIB  # compact JSON of all tools together
    max_pages: int = 100  # per list method
    max_items: int = 5000  # prompts, resources, templates (each)
    install_timeout_s: float = 600.0
    # Confinement (scanner/sandbox.py): kernel resource limits on every process a sandboxed
    # server or install runs, set inside the sandbox after privileges are dropped.
    sandbox_cpu_s: int = 120  # CPU seconds per process (RLIMIT_CPU); an install gets install_timeout_s
    sandbox_memory_bytes: int = 4 * GIB  # address space per process (RLIMIT_AS)
    sandbox_max_processes: int = 256  # processes and threads of the sandbox's user (RLIMIT_NPROC)
    sandbox_max_file_bytes: int = 1 * GIB  # the largest file it may write (RLIMIT_FSIZE)
    sandbox_home_bytes: int = 256 * MIB  # its private HOME and /tmp: one tmpfs of this size
    # the unprivileged user a sandboxed process runs as when the scanner runs as root (the
    # kernel does not apply RLIMIT_NPROC to root, and root could read what it should not)
    sandbox_uid: int = 65534

    def scaled_total(self, total_s: float) -> Limits:
        """A copy whose per-step timeouts never exceed ``total_s`` (``--timeout``)."""
        return msgspec.structs.replace(
            self,
            total_timeout_s=total_s,
            start_timeout_s=min(self.start_timeout_s, total_s),
            request_timeout_s=min(self.request_timeout_s, total_s),
        )


DEFAULT_LIMITS = Limits()
