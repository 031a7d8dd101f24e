"""``GET /v1/approvals/snapshot``: every current approval, signed (registry feature plug-in).

Built from the verify index (``runtime.index``), the same in-memory view that answers
``POST /v1/verify``: each approval is the contract ``Pin`` verify judges against, written
out whole (manifest, surface, instructions, every item hash, state), so an enforcer
deciding offline decides as the registry would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

from litestar import Litestar, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.types import ControllerRouterHandler

from registry.api.common import RuntimeDep
from registry.auth import roles
from registry.models import LIVE_STATES
from registry.services.verify import Entry
from registry.settings import Settings
from registry.snapshot.signing import key_path, load_or_create_key, sign_snapshot
from scanner.contract.decide import Pin
from scanner.contract.snapshot import SignedSnapshot, SnapshotApproval
from scanner.contract.states import ServerState

DEFAULT_VALID_S = 24 * 3600
MAX_VALID_S = 30 * 24 * 3600


def snapshot_approval(name: str, pin: Pin) -> SnapshotApproval:
    """One signed approval: the pin as verify holds it (``pin()`` of it gives it back).
    drifted is signed with its state, so an enforcer offline denies it whole (unless
    tool-level) as the registry does; surface fields stay None on a tools-only approval."""
    surface = pin.surface_sha256 is not None
    return SnapshotApproval(
        server=name,
        manifest_sha256=pin.manifest_sha256 or "",
        tool_hashes=dict(pin.tools),
        allowed_tools=sorted(pin.allowed_tools) if pin.allowed_tools is not None else None,
        principals=sorted(pin.principals) if pin.principals is not None else None,
        tool_level=pin.item_level,
        state="drifted" if pin.state is ServerState.DRIFTED else "approved",
        surface_sha256=pin.surface_sha256,
        instructions_sha256=pin.instructions_sha256 if surface else None,
        prompt_hashes=dict(pin.prompts) if surface else None,
        resource_hashes=dict(pin.resources) if surface else None,
        resource_template_hashes=dict(pin.resource_templates) if surface else None,
    )


def approvals_from_index(entries: dict[str, Entry]) -> list[SnapshotApproval]:
    """Every approval in force, from the verify index."""
    return [
        snapshot_approval(name, e.pin)
        for name, e in entries.items()
        if e.pin.state in LIVE_STATES and e.pin.manifest_sha256 is not None
    ]


def route_handlers(settings: Settings) -> Sequence[ControllerRouterHandler]:
    path = key_path(settings)
    keys: list[Any] = []  # loaded once per process; the file is the source of truth

    @get(
        "/v1/approvals/snapshot", opt=roles("gateway", "admin", "auditor"), tags=["verify"],
        summary="All current approvals, signed with the registry's Ed25519 key",
        # the handler sends the signed bytes as they are; this is what they decode to
        responses={200: ResponseSpec(
            SignedSnapshot, generate_examples=False,
            description="The signed envelope: `payload` is the base64 of the canonical JSON snapshot",
        )},
    )
    async def snapshot(
        runtime: RuntimeDep,
        valid_for: Annotated[int, Parameter(ge=60, le=MAX_VALID_S)] = DEFAULT_VALID_S,
    ) -> Response[bytes]:
        """Enforcers verify it with the public key they were configured with (never one
        fetched from here), then decide offline until ``expires_at``."""
        if not keys:
            keys.append(load_or_create_key(path))
        body = sign_snapshot(
            keys[0], approvals_from_index(runtime.index.entries), issuer=settings.public_url,
            valid_for=dt.timedelta(seconds=valid_for),
        )
        return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})

    return [snapshot]


async def on_startup(app: Litestar) -> None:
    """Create the signing key on first start, so its public half can be handed out early."""
    runtime: Any = app.state.get("runtime")
    if runtime is not None:
        load_or_create_key(key_path(runtime.settings))
