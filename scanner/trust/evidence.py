"""Evidence bundles: every third-party JSON answer, kept with its URL and fetch time.

An online run records each answer it used; ``--save-evidence`` writes them to a
file, and ``--evidence FILE`` replays them later without a network, so a score
can be recomputed and audited in an air-gapped place. The ``Fetcher`` is the
only way the registry-facts code reaches HTTP: live (an injected
``httpx.Client``, recording), replay (a bundle), or offline (nothing: every
answer is "not available").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import msgspec

from scanner.errors import ScannerError, SourceError
from scanner.trust.records import rfc3339

BUNDLE_FORMAT = "mcp-trust-evidence/1"
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_REDIRECTS = 5


class EvidenceEntry(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    fetched_at: str  # RFC 3339, UTC
    status: int  # HTTP status; 0 when the request itself failed
    body: Any = None  # decoded JSON, or None (non-JSON, error)
    error: str = ""


class EvidenceSource(msgspec.Struct, frozen=True, kw_only=True):
    """Where a fact came from, for the explanation (the body stays in the bundle)."""

    url: str
    fetched_at: str
    status: int
    error: str = ""


class EvidenceBundle(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    format: str = BUNDLE_FORMAT
    created_at: str = ""
    entries: tuple[EvidenceEntry, ...] = ()

    def lookup(self, url: str) -> EvidenceEntry | None:
        for entry in self.entries:
            if entry.url == url:
                return entry
        return None


class EvidenceError(ScannerError):
    """An evidence bundle file is unreadable or of another format."""


def load_bundle(path: Path) -> EvidenceBundle:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read evidence bundle {path}: {exc.strerror}") from exc
    if len(data) > MAX_BUNDLE_BYTES:
        raise EvidenceError(f"evidence bundle {path} is larger than {MAX_BUNDLE_BYTES} bytes")
    try:
        bundle = msgspec.json.decode(data, type=EvidenceBundle)
    except msgspec.ValidationError as exc:
        raise EvidenceError(f"evidence bundle {path}: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise EvidenceError(f"evidence bundle {path} is not JSON: {exc}") from exc
    if bundle.format != BUNDLE_FORMAT:
        raise EvidenceError(f"evidence bundle {path} has format {bundle.format!r}, expected {BUNDLE_FORMAT!r}")
    return bundle


def save_bundle(bundle: EvidenceBundle, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(msgspec.json.format(msgspec.json.encode(bundle)))
    tmp.replace(path)  # never a half-written bundle


class Fetcher:
    """GET JSON from a third party; live, replaying a bundle, or offline."""

    def __init__(
        self,
        http: httpx.Client | None,
        *,
        bundle: EvidenceBundle | None = None,
        now: dt.datetime,
        max_bytes: int = 16 * 1024 * 1024,
        auth: tuple[str, dict[str, str]] | None = None,
    ) -> None:
        self._http = http
        self._bundle = bundle
        self._now = now
        self._max = max_bytes
        self._auth = auth  # (base URL, headers) e.g. the GitHub API and its token
        self.recorded: list[EvidenceEntry] = []
        self.used: dict[str, EvidenceEntry] = {}

    @property
    def live(self) -> bool:
        return self._http is not None

    @property
    def available(self) -> bool:
        return self._http is not None or self._bundle is not None

    def get(self, url: str, *, accept: str = "application/json") -> EvidenceEntry | None:
        """The answer for ``url``, or None when neither the network nor the bundle has it."""
        if self._bundle is not None:
            hit = self._bundle.lookup(url)
            if hit is not None or self._http is None:
                if hit is not None:
                    self.used[url] = hit
                return hit
        if self._http is None:
            return None
        entry = self._fetch(url, accept)
        self.recorded.append(entry)
        self.used[url] = entry
        return entry

    def sources(self) -> tuple[EvidenceSource, ...]:
        """Every answer this run used (live or replayed): URL, fetch time, status."""
        return tuple(
            EvidenceSource(url=e.url, fetched_at=e.fetched_at, status=e.status, error=e.error)
            for e in self.used.values()
        )

    def _headers_for(self, url: str) -> dict[str, str]:
        # credentials go to the one base they were given for, never to a server.json URL
        if self._auth and url.startswith(self._auth[0].rstrip("/") + "/"):
            return dict(self._auth[1])
        return {}

    def _fetch(self, url: str, accept: str) -> EvidenceEntry:
        stamp = rfc3339(self._now)
        assert self._http is not None
        target, origin = url, urlsplit(url)[:2]
        try:
            for _ in range(MAX_REDIRECTS + 1):
                headers = {"Accept": accept, **self._headers_for(target)}
                with self._http.stream("GET", target, headers=headers) as resp:
                    location = resp.headers.get("location")
                    if resp.is_redirect and location:
                        target = urljoin(target, location)
                        if urlsplit(target)[:2] != origin:  # same scheme and host only
                            return EvidenceEntry(
                                url=url,
                                fetched_at=stamp,
                                status=resp.status_code,
                                error=f"redirect to another host refused: {target}",
                            )
                        continue
                    return self._read(url, stamp, resp)
        except httpx.HTTPError as exc:
            return EvidenceEntry(url=url, fetched_at=stamp, status=0, error=f"{type(exc).__name__}: {exc}")
        return EvidenceEntry(url=url, fetched_at=stamp, status=0, error="too many redirects")

    def _read(self, url: str, stamp: str, resp: httpx.Response) -> EvidenceEntry:
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > self._max:
                return EvidenceEntry(
                    url=url,
                    fetched_at=stamp,
                    status=resp.status_code,
                    error=f"answer larger than {self._max} bytes",
                )
            chunks.append(chunk)
        if resp.status_code != 200:
            return EvidenceEntry(url=url, fetched_at=stamp, status=resp.status_code)
        try:
            body = msgspec.json.decode(b"".join(chunks))
        except msgspec.DecodeError:
            return EvidenceEntry(url=url, fetched_at=stamp, status=resp.status_code, error="not JSON")
        return EvidenceEntry(url=url, fetched_at=stamp, status=resp.status_code, body=body)

    def bundle(self) -> EvidenceBundle:
        """Everything used in this run (replayed entries included), for ``--save-evidence``."""
        seen = {e.url: e for e in (self._bundle.entries if self._bundle else ())}
        seen.update({e.url: e for e in self.recorded})
        return EvidenceBundle(created_at=rfc3339(self._now), entries=tuple(seen.values()))
