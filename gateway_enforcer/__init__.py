"""mcp-trust gateway enforcer: a thin client of the registry's verify API and an MCP proxy.

Embed it in a gateway::

    surface = Surface(tools=tools, prompts=prompts, resources=resources,
                      resource_templates=templates, instructions=instructions)
    async with Enforcer("https://registry.internal", token=TOKEN) as enforcer:
        decision = await enforcer.check("io.github.acme/crm", surface, principal="alice")
        if not decision.tool_allowed("create_invoice"): ...

or run ``mcp-trust enforce`` in front of a server. Deliberately light: httpx, msgspec,
cryptography and the shared contract package (``scanner.contract``: hashing, wire types,
``decide()``) only; a test checks ``sys.modules``.
"""

from gateway_enforcer.enforcer import Enforcer
from gateway_enforcer.errors import (
    EnforcerError,
    RegistryRefused,
    RegistryUnavailable,
    SnapshotError,
    UpstreamError,
)
from gateway_enforcer.models import Decision
from gateway_enforcer.snapshot import (
    VerifiedSnapshot,
    decide_offline,
    load_public_key,
    load_snapshot_file,
    verify_snapshot,
)
from scanner.contract.surface import ItemKind, Surface
from scanner.contract.wire import BlockedItem, VerifyAnswer, VerifyRequest

__all__ = [
    "BlockedItem",
    "Decision",
    "Enforcer",
    "EnforcerError",
    "ItemKind",
    "RegistryRefused",
    "RegistryUnavailable",
    "SnapshotError",
    "Surface",
    "UpstreamError",
    "VerifiedSnapshot",
    "VerifyAnswer",
    "VerifyRequest",
    "decide_offline",
    "load_public_key",
    "load_snapshot_file",
    "verify_snapshot",
]
