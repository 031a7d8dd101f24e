"""The verify API's wire types (``POST /v1/verify``), one definition for the registry that
decodes requests and encodes answers and the enforcer that does the reverse.

Requests are strict (unknown fields and out-of-bound values are refused); answers
tolerate unknown fields, so the registry can grow without breaking gateways.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from scanner.contract.states import BlockReason, Reason
from scanner.contract.surface import ItemKind

# one printable line: no control characters (a name or principal ends up in audit and logs)
ONE_LINE = r"^[^\x00-\x1f\x7f]*$(?!\n)"
Sha256 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
ServerName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
PrincipalName = Annotated[str, msgspec.Meta(min_length=1, max_length=320, pattern=ONE_LINE)]
Items = Annotated[list[dict[str, Any]], msgspec.Meta(max_length=5000)]
MAX_INSTRUCTIONS_CHARS = 256 * 1024


class VerifyRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """What a gateway saw: the hashes, optionally the lists themselves, and who is asking."""

    server: ServerName
    version: Annotated[str, msgspec.Meta(max_length=100, pattern=ONE_LINE)] | None = None
    manifest_sha256: Sha256 | None = None
    surface_sha256: Sha256 | None = None
    tools: Items | None = None
    prompts: Items | None = None
    resources: Items | None = None
    resource_templates: Items | None = None
    # UNSET: not reported; None: the server gives no instructions
    instructions: Annotated[str, msgspec.Meta(max_length=MAX_INSTRUCTIONS_CHARS)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    principal: PrincipalName | None = None

    def items(self, kind: ItemKind) -> list[dict[str, Any]] | None:
        """The reported list of one kind, or ``None`` when it was not sent."""
        items: list[dict[str, Any]] | None = getattr(self, kind.value)
        return items


class BlockedItem(msgspec.Struct, frozen=True):
    """One item a gateway must not expose, and why."""

    name: str
    reason: BlockReason


class PinnedItems(msgspec.Struct, frozen=True, kw_only=True):
    """The approval's item hashes, sent with a drift answer so the gateway decides
    item by item with the same ``decide()`` the registry used."""

    tools: dict[str, str] = msgspec.field(default_factory=dict)
    prompts: dict[str, str] | None = None
    resources: dict[str, str] | None = None
    resource_templates: dict[str, str] | None = None
    instructions_sha256: str | None = None
    allowed_tools: list[str] | None = None  # the approval's allow-list (None: every pinned tool)
    item_level: bool = False


class VerifyAnswer(msgspec.Struct, frozen=True, kw_only=True):
    """The registry's decision on one request."""

    decision: Literal["allow", "deny"]
    reason: Reason
    approved_manifest_sha256: str | None = None
    approved_surface_sha256: str | None = None
    allowed_tools: list[str] = msgspec.field(default_factory=list)
    blocked_tools: list[BlockedItem] = msgspec.field(default_factory=list)
    blocked_prompts: list[BlockedItem] = msgspec.field(default_factory=list)
    blocked_resources: list[BlockedItem] = msgspec.field(default_factory=list)
    blocked_resource_templates: list[BlockedItem] = msgspec.field(default_factory=list)
    cache_ttl_s: float = 5.0
    tools_required: bool = False  # the registry wants the lists themselves to record a drift
    pinned: PinnedItems | None = None  # with schema_drift answers only

    def blocked(self, kind: ItemKind) -> list[BlockedItem]:
        """The blocked items of one kind."""
        items: list[BlockedItem] = getattr(self, f"blocked_{kind.value}")
        return items
