"""The Enforcer: asks the registry (``POST /v1/verify``) whether a server's current surface
(its tools, prompts, resources, resource templates and instructions: everything an agent
reads) may be used, caches the answer for the registry's ``cache_ttl_s``, and decides
what to do when the registry cannot be reached.

Protocol with the registry: the first call sends only ``manifest_sha256`` and
``surface_sha256``. Only when the answer is ``schema_drift`` (or the registry sets
``tools_required``), or the surface differs from the one last approved, does a call send
the lists and the instructions themselves, so the registry can record the drift and say
which items changed. Unchanged servers therefore never ship their surface around.

Every answer is read with the contract's ``pin_from_answer`` and judged by the one
``decide()`` the registry and offline snapshots use; the enforcer's mode only chooses
whether it decides item by item (``tool-level``) or blocks a drifted server whole.

Fail modes: closed by default (registry down -> everything blocked, with a message
saying so). ``fail_open_grace_s`` must be chosen explicitly: for that many seconds
after the registry became unreachable the last answer (or, for a server never seen,
"allow") is used, each time logged at WARNING. A configured signed snapshot is
consulted before either.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
import msgspec

from gateway_enforcer.cache import CacheKey, Clock, DecisionCache
from gateway_enforcer.errors import RegistryRefused, RegistryUnavailable, SnapshotError
from gateway_enforcer.models import KINDS, Decision, Mode, conclude, everything
from gateway_enforcer.snapshot import VerifiedSnapshot, decide_offline
from scanner.contract.decide import Observation, decide, observe_surface, pin_from_answer
from scanner.contract.surface import Surface
from scanner.contract.wire import VerifyAnswer, VerifyRequest

log = logging.getLogger("gateway_enforcer")

DEFAULT_MAX_TTL_S = 5.0
MAX_ANSWER_BYTES = 1024 * 1024
# A registry older than surface pins refuses surface_sha256: ask it with the tools alone,
# and try the surface again after this long (it may have been upgraded meanwhile).
SURFACE_RETRY_S = 300.0


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
        self._surface_off_until: float | None = None
        # server -> the manifest and surface the registry last said were approved
        self._approved: dict[str, tuple[str, str | None]] = {}
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
        """Close the HTTP client if the enforcer made it."""
        if self._own_http:
            await self._http.aclose()

    def cached(self, server: str, surface_sha256: str, principal: str | None) -> Decision | None:
        """A still-fresh decision, without any I/O (the proxy's fast path)."""
        return self._cache.get((server, surface_sha256, principal or ""))

    def invalidate(self) -> None:
        """Forget every cached decision."""
        self._cache.clear()

    async def check(
        self,
        server: str,
        surface: Surface,
        *,
        principal: str | None = None,
        version: str | None = None,
        observed: Observation | None = None,
    ) -> Decision:
        """Decide on ``surface`` (every list exactly as the server sent it, and its
        instructions). ``observed``: ``observe_surface(surface)`` when the caller has it."""
        seen = observed if observed is not None else observe_surface(surface)
        if seen.principal != principal:
            seen = msgspec.structs.replace(seen, principal=principal)
        key: CacheKey = (server, seen.surface_sha256 or "", principal or "")
        hit = self._cache.get(key)
        if hit is not None:
            return msgspec.structs.replace(hit, source="cache")
        if self.registry_url is None:
            offline = self._offline(server, surface, seen, "no registry configured")
            assert offline is not None  # the constructor demands a snapshot without a registry
            if offline.source == "snapshot":
                self._cache.put(key, offline, self.max_cache_ttl_s)
            return offline
        try:
            decision, ttl = await self._ask(server, surface, seen, version)
        except RegistryRefused as exc:
            log.error("registry refused the verify call for %s: %s", server, exc)
            return everything(server, seen, allow=False, reason="registry_refused", source="unreachable",
                              message=str(exc))
        except RegistryUnavailable as exc:
            return self._unreachable(key, surface, seen, str(exc))
        self._outage_since = None
        self._cache.put(key, decision, min(ttl, self.max_cache_ttl_s))
        return decision

    async def _ask(
        self, server: str, surface: Surface, seen: Observation, version: str | None
    ) -> tuple[Decision, float]:
        # A surface that differs from the one we know was approved is a drift: send the
        # lists straight away so the registry records them with the observation.
        lists = self._known_drift(server, seen)
        answer = await self._post(self._request(server, surface, seen, version, lists=lists))
        wants_lists = answer.reason == "schema_drift" or answer.tools_required
        if not lists and answer.decision == "deny" and wants_lists:
            answer = await self._post(self._request(server, surface, seen, version, lists=True))
        if answer.approved_manifest_sha256:
            self._approved[server] = (answer.approved_manifest_sha256, answer.approved_surface_sha256)
        return self._read(server, seen, answer), answer.cache_ttl_s

    def _known_drift(self, server: str, seen: Observation) -> bool:
        known = self._approved.get(server)
        if known is None:
            return False
        manifest, surface = known
        return manifest != seen.manifest_sha256 or (surface is not None and surface != seen.surface_sha256)

    def _read(self, server: str, seen: Observation, answer: VerifyAnswer) -> Decision:
        """The answer read as the pin it implies, judged by the contract's ``decide()``."""
        pin = pin_from_answer(answer, seen)
        verdict = decide(pin, seen, item_level=self.mode == "tool-level")
        hints = {k: {b.name: str(b.reason) for b in answer.blocked(k)} for k in KINDS}
        # a drift answer without ``pinned`` carries no hashes to tell what changed
        explain_by = pin if answer.pinned is not None else None
        return conclude(server, seen, verdict, source="registry", pin=explain_by, hints=hints)

    def _request(
        self, server: str, surface: Surface, seen: Observation, version: str | None, *, lists: bool
    ) -> VerifyRequest:
        with_surface = self._surface_off_until is None or self._clock() >= self._surface_off_until
        fields: dict[str, Any] = {
            "server": server, "manifest_sha256": seen.manifest_sha256, "version": version,
            "principal": seen.principal,
        }
        if with_surface:
            fields["surface_sha256"] = seen.surface_sha256
        if lists:
            fields["tools"] = [dict(t) for t in surface.tools]
        if lists and with_surface:
            fields.update(
                prompts=[dict(p) for p in surface.prompts],
                resources=[dict(r) for r in surface.resources],
                resource_templates=[dict(t) for t in surface.resource_templates],
                instructions=surface.instructions,
            )
        return VerifyRequest(**fields)

    async def _post(self, request: VerifyRequest) -> VerifyAnswer:
        url = f"{self.registry_url}/v1/verify"
        response = await self._send(url, request)
        if response.status_code in {400, 422} and _has_surface(request) and b"unknown field" in response.content:
            self._surface_off_until = self._clock() + SURFACE_RETRY_S
            log.warning(
                "the registry at %s does not take surface pins (an older registry): asking with the "
                "tools alone, so prompts, resources and instructions are not verified by it", url,
            )
            response = await self._send(url, _tools_only(request))
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

    async def _send(self, url: str, request: VerifyRequest) -> httpx.Response:
        try:
            return await self._http.post(
                url, content=msgspec.json.encode(request), headers={"Content-Type": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise RegistryUnavailable(f"{url}: {type(exc).__name__}: {exc}") from exc

    def _offline(self, server: str, surface: Surface, seen: Observation, why: str) -> Decision | None:
        if self.snapshot is None:
            return None
        try:
            self.snapshot.check_fresh()
        except SnapshotError as exc:
            log.error("cannot decide offline for %s: %s", server, exc)
            return everything(server, seen, allow=False, reason="snapshot_expired", source="unreachable",
                              message=str(exc))
        decision = decide_offline(self.snapshot, server, surface, principal=seen.principal, mode=self.mode,
                                  observed=seen)
        log.info("%s: %s (%s)", server, decision.reason, why)
        return decision

    def _unreachable(self, key: CacheKey, surface: Surface, seen: Observation, error: str) -> Decision:
        server = key[0]
        offline = self._offline(server, surface, seen, f"registry unreachable: {error}")
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
                "reusing the last answer" if last else "ALLOWING everything", server, left,
            )
            if last is not None:
                return msgspec.structs.replace(last, source="fail_open")
            return everything(server, seen, allow=True, reason="registry_unreachable", source="fail_open",
                              message=error)
        log.error("registry unreachable, blocking %s (fail closed): %s", server, error)
        return everything(server, seen, allow=False, reason="registry_unreachable", source="unreachable",
                          message=error)


def _has_surface(request: VerifyRequest) -> bool:
    others = (request.prompts, request.resources, request.resource_templates)
    return request.surface_sha256 is not None or any(i is not None for i in others) or (
        request.instructions is not msgspec.UNSET
    )


def _tools_only(request: VerifyRequest) -> VerifyRequest:
    return msgspec.structs.replace(
        request, surface_sha256=None, prompts=None, resources=None, resource_templates=None,
        instructions=msgspec.UNSET,
    )


def _detail(response: httpx.Response) -> str:
    try:
        doc = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(doc, dict):
        return str(doc.get("detail") or doc.get("title") or doc)[:200]
    return str(doc)[:200]
