"""The Enforcer: asks the registry (``POST /v1/verify``) whether a server's current tools
may be used, caches the answer for the registry's ``cache_ttl_s``, and decides what to
do when the registry cannot be reached.

Protocol with the registry: the first call sends only the manifest hash. Only when
the answer is ``schema_drift`` (or the registry sets ``tools_required``) does a second
call send the tools themselves, so the registry can record the drifted manifest and
say which tools changed. Unchanged servers therefore never ship their tools around.

Fail modes: closed by default (registry down -> every tool blocked, with a message
saying so). ``fail_open_grace_s`` must be chosen explicitly: for that many seconds
after the registry became unreachable the last answer (or, for a server never seen,
"allow") is used, each time logged at WARNING. A configured signed snapshot is
consulted before either.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import msgspec

from gateway_enforcer.cache import CacheKey, Clock, DecisionCache
from gateway_enforcer.errors import RegistryRefused, RegistryUnavailable, SnapshotError
from gateway_enforcer.models import Decision, Mode, VerifyAnswer, VerifyRequest
from gateway_enforcer.snapshot import VerifiedSnapshot, decide_offline
from scanner.hashing import manifest_sha256, tool_hashes

log = logging.getLogger("gateway_enforcer")

DEFAULT_MAX_TTL_S = 5.0
MAX_ANSWER_BYTES = 1024 * 1024


class Enforcer:
    """Embeddable verify client. One instance per gateway; safe to share across tasks."""

    def __init__(
        self,
        registry_url: str | None,
        *,
        token: str | None = None,
        mode: Mode = "tool-level",
        fail_open_grace_s: float | None = None,
        snapshot: VerifiedSnapshot | None = None,
        max_cache_ttl_s: float = DEFAULT_MAX_TTL_S,
        timeout_s: float = 5.0,
        http: httpx.AsyncClient | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        if registry_url is None and snapshot is None:
            raise ValueError("an Enforcer needs a registry URL, a snapshot, or both")
        self.registry_url = registry_url.rstrip("/") if registry_url else None
        self.mode: Mode = mode
        self.fail_open_grace_s = fail_open_grace_s
        self.snapshot = snapshot
        self.max_cache_ttl_s = max_cache_ttl_s
        self._clock = clock
        self._cache = DecisionCache(clock=clock)
        self._outage_since: float | None = None
        self._approved: dict[str, str] = {}  # server -> last manifest the registry approved
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout_s, headers=headers, trust_env=False)
        if http is not None and token:
            self._http.headers.update(headers)

    async def __aenter__(self) -> Enforcer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    def cached(self, server: str, manifest: str, principal: str | None) -> Decision | None:
        """A still-fresh decision, without any I/O (the proxy's fast path)."""
        return self._cache.get((server, manifest, principal or ""))

    def invalidate(self) -> None:
        self._cache.clear()

    async def check(
        self,
        server: str,
        tools: Sequence[Mapping[str, Any]],
        *,
        principal: str | None = None,
        version: str | None = None,
    ) -> Decision:
        """Decide on ``tools`` (wire form, exactly as ``tools/list`` returned them)."""
        manifest = manifest_sha256(tools)
        key: CacheKey = (server, manifest, principal or "")
        hit = self._cache.get(key)
        if hit is not None:
            return msgspec.structs.replace(hit, source="cache")
        if self.registry_url is None:
            offline = self._offline(server, tools, principal, "no registry configured")
            assert offline is not None  # the constructor demands a snapshot without a registry
            if offline.source == "snapshot":
                self._cache.put(key, offline, self.max_cache_ttl_s)
            return offline
        try:
            decision, ttl = await self._ask(server, manifest, tools, principal, version)
        except RegistryRefused as exc:
            log.error("registry refused the verify call for %s: %s", server, exc)
            return _deny_everything(server, manifest, tools, "registry_refused", str(exc))
        except RegistryUnavailable as exc:
            return self._unreachable(key, tools, principal, str(exc))
        self._outage_since = None
        self._cache.put(key, decision, min(ttl, self.max_cache_ttl_s))
        return decision

    async def _ask(
        self,
        server: str,
        manifest: str,
        tools: Sequence[Mapping[str, Any]],
        principal: str | None,
        version: str | None,
    ) -> tuple[Decision, float]:
        # A manifest that differs from the one we know was approved is a drift: send the
        # tools straight away so the registry records them with the observation.
        known = self._approved.get(server)
        drifted = known is not None and known != manifest
        request = VerifyRequest(
            server=server, manifest_sha256=manifest, version=version, principal=principal,
            tools=[dict(t) for t in tools] if drifted else None,
        )
        answer = await self._post(request)
        wants_tools = answer.reason == "schema_drift" or answer.tools_required
        if request.tools is None and answer.decision == "deny" and wants_tools:
            answer = await self._post(msgspec.structs.replace(request, tools=[dict(t) for t in tools]))
        if answer.approved_manifest_sha256:
            self._approved[server] = answer.approved_manifest_sha256
        return self._interpret(server, manifest, tools, answer), answer.cache_ttl_s

    async def _post(self, request: VerifyRequest) -> VerifyAnswer:
        url = f"{self.registry_url}/v1/verify"
        try:
            response = await self._http.post(
                url, content=msgspec.json.encode(request),
                headers={"Content-Type": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise RegistryUnavailable(f"{url}: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise RegistryUnavailable(f"{url} answered HTTP {response.status_code}")
        if response.status_code >= 400:
            raise RegistryRefused(f"{url} answered HTTP {response.status_code}: {_detail(response)}")
        if len(response.content) > MAX_ANSWER_BYTES:
            raise RegistryUnavailable(f"{url} sent an oversized answer")
        try:
            return msgspec.json.decode(response.content, type=VerifyAnswer)
        except msgspec.DecodeError as exc:
            raise RegistryUnavailable(f"{url} sent an answer we cannot read: {exc}") from exc

    def _interpret(
        self, server: str, manifest: str, tools: Sequence[Mapping[str, Any]], answer: VerifyAnswer
    ) -> Decision:
        """The stricter of the registry's answer and our mode: in strict mode any drift
        blocks the whole server, even where the registry would allow unchanged tools."""
        names = set(tool_hashes(tools))
        listed = {b.name: b.reason for b in answer.blocked_tools}
        drift = answer.reason == "schema_drift"
        if drift and self.mode == "strict":
            allowed: set[str] = set()
        elif answer.decision == "allow" or drift:
            allowed = names - set(listed)
            if answer.allowed_tools is not None or answer.decision == "deny":
                allowed &= set(answer.allowed_tools or ())
        else:
            allowed = set()
        fallback = "not_allowed" if answer.reason == "approved" else answer.reason
        blocked = {n: listed.get(n, fallback) for n in names - allowed}
        return Decision(
            server=server, manifest_sha256=manifest,
            decision="allow" if allowed else "deny", reason=answer.reason,
            allowed_tools=frozenset(allowed), blocked_tools=blocked, source="registry",
        )

    def _offline(
        self, server: str, tools: Sequence[Mapping[str, Any]], principal: str | None, why: str
    ) -> Decision | None:
        if self.snapshot is None:
            return None
        manifest = manifest_sha256(tools)
        try:
            self.snapshot.check_fresh()
        except SnapshotError as exc:
            log.error("cannot decide offline for %s: %s", server, exc)
            return _deny_everything(server, manifest, tools, "snapshot_expired", str(exc))
        decision = decide_offline(self.snapshot, server, tools, principal=principal, mode=self.mode)
        log.info("%s: %s (%s)", server, decision.reason, why)
        return decision

    def _unreachable(
        self, key: CacheKey, tools: Sequence[Mapping[str, Any]], principal: str | None, error: str
    ) -> Decision:
        server, manifest, _ = key
        offline = self._offline(server, tools, principal, f"registry unreachable: {error}")
        if offline is not None:
            return offline
        now = self._clock()
        if self._outage_since is None:
            self._outage_since = now
        grace = self.fail_open_grace_s
        if grace is not None and now - self._outage_since <= grace:
            left = grace - (now - self._outage_since)
            last = self._cache.last_good(key, max_age_s=grace + self.max_cache_ttl_s)
            log.warning(
                "FAIL-OPEN: registry unreachable (%s); %s for %s without verification, "
                "%.0f s of grace left", error,
                "reusing the last answer" if last else "ALLOWING every tool", server, left,
            )
            if last is not None:
                return msgspec.structs.replace(last, source="fail_open")
            return Decision(
                server=server, manifest_sha256=manifest, decision="allow",
                reason="registry_unreachable", allowed_tools=frozenset(tool_hashes(tools)),
                blocked_tools={}, source="fail_open", message=error,
            )
        log.error("registry unreachable, blocking %s (fail closed): %s", server, error)
        return _deny_everything(server, manifest, tools, "registry_unreachable", error)


def _deny_everything(
    server: str, manifest: str, tools: Sequence[Mapping[str, Any]], reason: str, message: str
) -> Decision:
    return Decision(
        server=server, manifest_sha256=manifest, decision="deny", reason=reason,
        allowed_tools=frozenset(), blocked_tools=dict.fromkeys(tool_hashes(tools), reason),
        source="unreachable", message=message,
    )


def _detail(response: httpx.Response) -> str:
    try:
        doc = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(doc, dict):
        return str(doc.get("detail") or doc.get("title") or doc)[:200]
    return str(doc)[:200]
