"""Bounds that keep a hostile server from hanging or exhausting the scanner.

Every fetch runs under one ``Limits``; each bound, when crossed, ends the scan
with a one-line reason (``ConnectionFailed`` for start-up, ``ServerMisbehaved``
for everything the server does after it answered). Tests pass small bounds.
"""

from __future__ import annotations

import msgspec

MIB = 1024 * 1024


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

    def scaled_total(self, total_s: float) -> Limits:
        """A copy whose per-step timeouts never exceed ``total_s`` (``--timeout``)."""
        return msgspec.structs.replace(
            self,
            total_timeout_s=total_s,
            start_timeout_s=min(self.start_timeout_s, total_s),
            request_timeout_s=min(self.request_timeout_s, total_s),
        )


DEFAULT_LIMITS = Limits()
