"""The verify API's brain: an in-memory index of approval pins, judged by the contract.

``VerifyIndex.decide`` never touches the database: each server's entry is a contract
``Pin`` (state, manifest, surface, item hashes, allow-list, principals, item-level mode),
and a request is hashed once (``observe``) and judged by the one ``decide()`` the
enforcer and offline snapshots call too. The index is rebuilt from the database (in a
worker thread) whenever the change counter moves, locally at once after a decision and
on other replicas via LISTEN/NOTIFY (PostgreSQL) or a short poll (SQLite).

What stays the registry's own: noticing a manifest or surface not seen before under the
approval, so its report is queued (with the audit of a denial) and written in the
background, where it starts a confirming scan; never on the request path.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from registry.errors import InvalidInput
from registry.models import LIVE_STATES, Approval, Observation, Server, ServerState
from scanner.contract.decide import Observation as Seen
from scanner.contract.decide import Pin, answer, decide, observe
from scanner.contract.hashing import CanonicalizationError, canonical_json
from scanner.contract.surface import ItemKind
from scanner.contract.wire import VerifyAnswer, VerifyRequest

__all__ = ["Entry", "Outcome", "VerifyAnswer", "VerifyIndex", "VerifyRequest", "check_request", "load_entries"]


def _invalid(message: str, path: str, why: str) -> InvalidInput:
    return InvalidInput(message, extra={"errors": [{"path": path, "message": why}]})


def check_request(req: VerifyRequest) -> None:
    """Contract checks msgspec cannot express; raise InvalidInput naming the JSON path."""
    if req.manifest_sha256 is None and req.tools is None:
        raise _invalid("send manifest_sha256 or tools", "$", "manifest_sha256 or tools")
    for kind in ItemKind:
        items = req.items(kind)
        if items is None:
            continue
        for i, item in enumerate(items):
            if not isinstance(item.get(kind.key), str):
                path = f"$.{kind.value}[{i}].{kind.key}"
                raise _invalid(f"{kind.value}[{i}] has no string {kind.key}", path, "required")
        try:
            canonical_json(items)
        except CanonicalizationError as exc:
            raise _invalid(f"{kind.value} cannot be canonicalised: {exc}", f"$.{kind.value}", str(exc)) from exc


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    """One server: the pin its approval holds (or just its state) and the drifts already reported."""

    pin: Pin
    observed: frozenset[str] = frozenset()  # manifests and surfaces already recorded under the approval


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    answer: VerifyAnswer
    observed_sha: str | None = None  # a manifest or surface not yet recorded: report it in the background


def pin_of(state: ServerState, a: Approval) -> Pin:
    """The contract pin an approval holds (its surface fields None when it pins tools only)."""
    return Pin(
        state=state,
        manifest_sha256=a.manifest_sha256,
        surface_sha256=a.surface_sha256,
        instructions_sha256=a.instructions_sha256,
        tools=dict(a.tool_hashes),
        prompts=dict(a.prompt_hashes or {}),
        resources=dict(a.resource_hashes or {}),
        resource_templates=dict(a.resource_template_hashes or {}),
        allowed_tools=frozenset(a.allowed_tools) if a.allowed_tools is not None else None,
        principals=frozenset(a.principals) if a.principals else None,
        item_level=a.tool_level,
    )


def load_entries(engine: Engine) -> dict[str, Entry]:
    """Every server's entry, read in one session."""
    with Session(engine) as session:
        servers = session.exec(select(Server)).all()
        approvals = {a.server_id: a for a in session.exec(select(Approval).where(col(Approval.active).is_(True))).all()}
        seen: dict[int, set[str]] = {}
        for obs in session.exec(select(Observation)).all():
            if obs.server_id in approvals and obs.approval_id == approvals[obs.server_id].id:
                keys = seen.setdefault(obs.server_id, set())
                keys.add(obs.manifest_sha256)
                if obs.surface_sha256:
                    keys.add(obs.surface_sha256)
    out: dict[str, Entry] = {}
    for s in servers:
        a = approvals.get(s.id or 0)
        state = ServerState(s.state)
        if a is None or state not in LIVE_STATES:
            # a live state with no approval in force is a review still to finish
            out[s.name] = Entry(pin=Pin(state=state if state not in LIVE_STATES else ServerState.PENDING))
            continue
        out[s.name] = Entry(pin=pin_of(state, a), observed=frozenset(seen.get(s.id or 0, ())))
    return out


def drift_key(pin: Pin, seen: Seen) -> str | None:
    """What a drifted observation is recorded under: its manifest when the tools changed,
    else its surface when only what lies beyond the tools changed (``None``: neither)."""
    if seen.manifest_sha256 is not None and seen.manifest_sha256 != pin.manifest_sha256:
        return seen.manifest_sha256
    if pin.surface_sha256 is not None and seen.surface_sha256 not in (None, pin.surface_sha256):
        return seen.surface_sha256
    return None


class VerifyIndex:
    """The approvals every replica answers from, swapped whole on reload."""

    def __init__(self, ttl_s: int) -> None:
        self.ttl_s = ttl_s
        self.entries: dict[str, Entry] = {}
        self.version = -1  # the change counter the entries reflect

    def replace(self, entries: dict[str, Entry], version: int) -> None:
        """Swap in a freshly loaded index."""
        self.entries, self.version = entries, version  # one atomic swap

    def mark_observed(self, server: str, sha: str) -> None:
        """Remember a reported drift so this replica queues it once."""
        e = self.entries.get(server)
        if e is not None:
            self.entries[server] = dataclasses.replace(e, observed=e.observed | {sha})

    def decide(self, req: VerifyRequest) -> Outcome:
        """The contract's decision on one request, and a drift not yet reported."""
        entry = self.entries.get(req.server)
        pin = entry.pin if entry is not None else None
        seen = observe(req)
        verdict = decide(pin, seen)
        new: str | None = None
        if entry is not None and verdict.reason == "schema_drift" and entry.pin.state in LIVE_STATES:
            key = drift_key(entry.pin, seen)
            new = key if key is not None and key not in entry.observed else None
        return Outcome(answer(verdict, pin, self.ttl_s), new)
