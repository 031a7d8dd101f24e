"""mcp-trust gateway enforcer: a thin client of the registry's verify API and an MCP proxy.

Embed it in a gateway::

    async with Enforcer("https://registry.internal", token=TOKEN) as enforcer:
        decision = await enforcer.check("io.github.acme/crm", tools, principal="alice")
        if not decision.tool_allowed("create_invoice"): ...

or run ``mcp-trust enforce`` in front of a server. Deliberately light: httpx, msgspec,
cryptography and the canonical hashing module only (a test checks ``sys.modules``).
"""

from gateway_enforcer.enforcer import Enforcer
from gateway_enforcer.errors import (
    EnforcerError,
    RegistryRefused,
    RegistryUnavailable,
    SnapshotError,
    UpstreamError,
)
from gateway_enforcer.models import BlockedTool, Decision, VerifyAnswer, VerifyRequest
from gateway_enforcer.snapshot import (
    VerifiedSnapshot,
    decide_offline,
    load_public_key,
    load_snapshot_file,
    verify_snapshot,
)

__all__ = [
    "BlockedTool",
    "Decision",
    "Enforcer",
    "EnforcerError",
    "RegistryRefused",
    "RegistryUnavailable",
    "SnapshotError",
    "UpstreamError",
    "VerifiedSnapshot",
    "VerifyAnswer",
    "VerifyRequest",
    "decide_offline",
    "load_public_key",
    "load_snapshot_file",
    "verify_snapshot",
]
