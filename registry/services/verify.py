"""The verify API's brain: an in-memory index of approvals and a pure decision.

``VerifyIndex.decide`` never touches the database: the index is rebuilt from the
database (in a worker thread) whenever the change counter moves, locally at once
after a decision and on other replicas via LISTEN/NOTIFY (PostgreSQL) or a short
poll (SQLite). Side effects of an answer (audit of a denial, a drift report and the
confirming scan it starts) are queued and written in the background, never on the
request path. A ``drifted`` server is one whose drift the registry confirmed itself: it
is denied whole, its approved manifest too, unless it is in tool-level mode.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

import msgspec
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from registry.errors import InvalidInput
from registry.models import Approval, Observation, Server
from registry.services.servers import ONE_LINE
from scanner.hashing import CanonicalizationError, canonical_json, manifest_sha256, tool_hashes

Reason = Literal[
    "approved", "unregistered", "pending_review", "rejected", "revoked", "schema_drift", "principal_not_permitted"
]


Sha256 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]


class VerifyRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    server: Annotated[str, msgspec.Meta(min_length=1, max_length=201, pattern=ONE_LINE)]
    version: Annotated[str, msgspec.Meta(max_length=100, pattern=ONE_LINE)] | None = None
    manifest_sha256: Sha256 | None = None
    tools: Annotated[list[dict[str, Any]], msgspec.Meta(max_length=5000)] | None = None
    principal: Annotated[str, msgspec.Meta(max_length=320, pattern=ONE_LINE)] | None = None


def check_request(req: VerifyRequest) -> None:
    """Contract checks msgspec cannot express; raise InvalidInput naming the JSON path."""
    if req.manifest_sha256 is None and req.tools is None:
        raise InvalidInput(
            "send manifest_sha256 or tools", extra={"errors": [{"path": "$", "message": "manifest_sha256 or tools"}]}
        )
    if req.tools is not None:
        for i, tool in enumerate(req.tools):
            if not isinstance(tool.get("name"), str):
                raise InvalidInput(
                    f"tools[{i}] has no string name",
                    extra={"errors": [{"path": f"$.tools[{i}].name", "message": "required"}]},
                )
        try:
            canonical_json(req.tools)
        except CanonicalizationError as exc:
            raise InvalidInput(
                f"tools cannot be canonicalised: {exc}", extra={"errors": [{"path": "$.tools", "message": str(exc)}]}
            ) from exc


class BlockedTool(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    reason: Literal["changed", "added", "not_allowed"]


class VerifyAnswer(msgspec.Struct, frozen=True, kw_only=True):
    decision: Literal["allow", "deny"]
    reason: Reason
    approved_manifest_sha256: str | None
    allowed_tools: list[str]
    blocked_tools: list[BlockedTool]
    cache_ttl_s: int


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    state: str
    manifest_sha256: str | None = None
    tool_hashes: dict[str, str] = dataclasses.field(default_factory=dict)
    allowed_tools: tuple[str, ...] | None = None
    principals: frozenset[str] | None = None
    tool_level: bool = False
    observed: frozenset[str] = frozenset()  # drifted manifests already recorded


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    answer: VerifyAnswer
    observed_sha: str | None = None  # a new drift to record in the background


_STATE_REASON: dict[str, Reason] = {
    "pending": "pending_review",
    "rejected": "rejected",
    "revoked": "revoked",
    "decommissioned": "revoked",
}


def load_entries(engine: Engine) -> dict[str, Entry]:
    with Session(engine) as session:
        servers = session.exec(select(Server)).all()
        approvals = {a.server_id: a for a in session.exec(select(Approval).where(col(Approval.active).is_(True))).all()}
        seen: dict[int, set[str]] = {}
        for obs in session.exec(select(Observation)).all():
            if obs.server_id in approvals and obs.approval_id == approvals[obs.server_id].id:
                seen.setdefault(obs.server_id, set()).add(obs.manifest_sha256)
    out: dict[str, Entry] = {}
    for s in servers:
        a = approvals.get(s.id or 0)
        if a is None or s.state not in {"approved", "drifted"}:
            out[s.name] = Entry(state=s.state)
            continue
        out[s.name] = Entry(
            state=s.state,
            manifest_sha256=a.manifest_sha256,
            tool_hashes=dict(a.tool_hashes),
            allowed_tools=tuple(a.allowed_tools) if a.allowed_tools is not None else None,
            principals=frozenset(a.principals) if a.principals else None,
            tool_level=a.tool_level,
            observed=frozenset(seen.get(s.id or 0, ())),
        )
    return out


class VerifyIndex:
    def __init__(self, ttl_s: int) -> None:
        self.ttl_s = ttl_s
        self.entries: dict[str, Entry] = {}
        self.version = -1  # the change counter the entries reflect

    def replace(self, entries: dict[str, Entry], version: int) -> None:
        self.entries, self.version = entries, version  # one atomic swap

    def mark_observed(self, server: str, sha: str) -> None:
        e = self.entries.get(server)
        if e is not None:
            self.entries[server] = dataclasses.replace(e, observed=e.observed | {sha})

    def decide(self, req: VerifyRequest) -> Outcome:
        entry = self.entries.get(req.server)
        if entry is None:
            return Outcome(self._deny("unregistered"))
        if entry.state not in {"approved", "drifted"} or entry.manifest_sha256 is None:
            return Outcome(self._deny(_STATE_REASON.get(entry.state, "pending_review")))
        if entry.principals is not None and req.principal not in entry.principals:
            return Outcome(self._deny("principal_not_permitted", entry.manifest_sha256))
        seen = manifest_sha256(req.tools) if req.tools is not None else req.manifest_sha256
        allowed = list(entry.allowed_tools if entry.allowed_tools is not None else entry.tool_hashes)
        if seen == entry.manifest_sha256:
            if entry.state == "drifted" and not entry.tool_level:
                # the registry confirmed drift itself: the whole server is out until re-approved
                return Outcome(self._deny("schema_drift", entry.manifest_sha256))
            return Outcome(self._answer("allow", "approved", entry, sorted(allowed), []))
        new = seen if seen and seen not in entry.observed else None
        if entry.tool_level and req.tools is not None:
            return Outcome(self._tool_level(entry, req.tools, set(allowed)), new)
        return Outcome(self._deny("schema_drift", entry.manifest_sha256), new)

    def _tool_level(self, entry: Entry, tools: list[dict[str, Any]], allowed: set[str]) -> VerifyAnswer:
        """Block only the tools whose hash changed or that were added since approval."""
        seen = tool_hashes(tools)
        ok, blocked = [], []
        for name, sha in sorted(seen.items()):
            pinned = entry.tool_hashes.get(name)
            if pinned is None:
                blocked.append(BlockedTool(name=name, reason="added"))
            elif pinned != sha:
                blocked.append(BlockedTool(name=name, reason="changed"))
            elif name in allowed:
                ok.append(name)
            else:
                blocked.append(BlockedTool(name=name, reason="not_allowed"))
        return self._answer("allow" if ok else "deny", "schema_drift", entry, ok, blocked)

    def _answer(
        self,
        decision: Literal["allow", "deny"],
        reason: Reason,
        entry: Entry,
        allowed: list[str],
        blocked: list[BlockedTool],
    ) -> VerifyAnswer:
        return VerifyAnswer(
            decision=decision,
            reason=reason,
            approved_manifest_sha256=entry.manifest_sha256,
            allowed_tools=allowed,
            blocked_tools=blocked,
            cache_ttl_s=self.ttl_s,
        )

    def _deny(self, reason: Reason, approved: str | None = None) -> VerifyAnswer:
        return VerifyAnswer(
            decision="deny",
            reason=reason,
            approved_manifest_sha256=approved,
            allowed_tools=[],
            blocked_tools=[],
            cache_ttl_s=self.ttl_s,
        )
