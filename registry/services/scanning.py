"""Background scans with bounded concurrency.

``ScanWorkers`` runs ``Settings.scan_concurrency`` asyncio tasks draining a queue of
scan ids. A replica claims a scan with a conditional UPDATE (queued -> running), so
two replicas never run the same scan. Every outcome is stored: a report on success,
``failed`` with a one-line error otherwise; the submission and its review item stay.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import anyio.to_thread
import httpx
import msgspec
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from registry.db import session_scope
from registry.models import ReviewItem, Scan, ScanStatus, Server, Submission, utcnow
from registry.services import changes
from registry.settings import Settings
from registry.tasks import cancel_and_wait
from scanner.models import ScanReport, worst_severity

if TYPE_CHECKING:
    from scanner.limits import Limits
    from scanner.netguard import NetworkPolicy

log = logging.getLogger("registry.scan")


def source_from_stored(stored: dict[str, Any], settings: Settings | None = None) -> Any:
    """The scanner source for a stored submission source (never a shell string). Packages
    and commands are always confined (``registry.services.sandboxing``); without
    ``settings`` the sandbox is bubblewrap with nothing extra hidden."""
    from registry.services import sandboxing
    from scanner.sources import Confinement, HttpSource, ServerJsonSource, StdioSource

    sandbox = sandboxing.scan_sandbox(settings) if settings else "bwrap"
    confine = sandboxing.confinement(settings) if settings else Confinement()
    if "server_json" in stored:
        return ServerJsonSource(
            document=stored["server_json"],
            origin="<submission>",
            sandbox=sandbox,
            confinement=confine,
            allow_sdist=stored.get("allow_sdist") is True,  # an admin's decision, pinned with the source
        )
    if "url" in stored:
        return HttpSource(url=stored["url"])
    return StdioSource(argv=tuple(stored["command"]), sandbox=sandbox, confinement=confine)


def detector() -> Any:
    try:
        from scanner.detect import default_detector
    except ImportError:  # detection not in this build: the report says "not_available"
        return None
    return default_detector()


def trust_breakdown(stored: dict[str, Any], report: ScanReport, settings: Settings) -> dict[str, Any] | None:
    """The explainable trust score (``None``: not computed). Offline unless the
    operator enables lookups (``Settings.trust_online``): no public host is contacted
    by default."""
    try:
        from scanner.serverjson import ServerJsonError, load_server_json
        from scanner.trust import TrustSettings, score_server
    except ImportError:
        return None
    try:
        sj = load_server_json(stored["server_json"]) if "server_json" in stored else None
    except ServerJsonError:
        sj = None
    trust_settings = TrustSettings(
        pypi_url=settings.package_index_url, npm_url=settings.npm_registry_url, github_api_url=settings.github_api_url
    )
    try:
        with httpx.Client(timeout=20.0) as http:
            result = score_server(
                sj,
                report,
                repo=None,
                offline=not settings.trust_online,
                evidence=None,
                http=http,
                settings=trust_settings,
            )
    except Exception:
        log.exception("trust score failed")
        return None
    built = msgspec.to_builtins(result)
    return built if isinstance(built, dict) else None


def store_report(session: Session, scan: Scan, report: ScanReport) -> None:
    trust = report.trust
    worst = worst_severity(report.all_findings())
    score = trust.get("score") if trust else None
    scan.status = ScanStatus.SUCCEEDED.value
    scan.report = msgspec.to_builtins(report)
    scan.manifest_sha256 = report.manifest_sha256
    scan.surface_sha256 = report.surface_sha256
    scan.score = float(score) if isinstance(score, int | float) else None
    scan.worst_severity = worst.value if worst else None
    scan.finished_at = utcnow()
    session.add(scan)
    _update_sort_keys(session, scan, worst.rank if worst else 0)


def _update_sort_keys(session: Session, scan: Scan, worst_rank: int) -> None:
    session.execute(
        update(ReviewItem)
        .where(col(ReviewItem.scan_id) == scan.id)
        .values(sort_score=scan.score if scan.score is not None else -1.0, sort_worst=worst_rank)
    )
    session.execute(update(Server).where(col(Server.id) == scan.server_id).values(latest_scan_id=scan.id))


class ScanWorkers:
    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self.finished = asyncio.Event()  # set after every scan; tests poll state instead

    def enqueue(self, scan_id: int) -> None:
        self._queue.put_nowait(scan_id)

    async def start(self) -> None:
        queued = await anyio.to_thread.run_sync(self._queued_ids)
        for scan_id in queued:
            self.enqueue(scan_id)
        self._tasks = [asyncio.create_task(self._run()) for _ in range(self._settings.scan_concurrency)]

    async def stop(self) -> None:
        await cancel_and_wait(self._tasks)

    def _queued_ids(self) -> list[int]:
        with Session(self._engine) as session:
            rows = session.exec(select(Scan.id).where(Scan.status == ScanStatus.QUEUED.value)).all()
        return [r for r in rows if r is not None]

    async def _run(self) -> None:
        while True:
            scan_id = await self._queue.get()
            try:
                await self.run_scan(scan_id)
            except Exception:
                log.exception("scan %s crashed", scan_id)

    def _claim(self, scan_id: int) -> dict[str, Any] | None:
        with session_scope(self._engine) as session:
            claimed = session.execute(
                update(Scan)
                .where(col(Scan.id) == scan_id, col(Scan.status) == "queued")
                .values(status=ScanStatus.RUNNING.value)
            ).rowcount  # type: ignore[attr-defined]
            if claimed != 1:
                return None
            scan = session.get(Scan, scan_id)
            if scan is not None and scan.trigger == "confirm":
                from registry.services import confirm  # imports this module

                return confirm.pinned_source(session, scan)  # the approval's source, never a newer one
            sub = session.get(Submission, scan.submission_id) if scan and scan.submission_id else None
            return dict(sub.source) if sub else None

    async def run_scan(self, scan_id: int) -> None:
        stored = await anyio.to_thread.run_sync(self._claim, scan_id)
        if stored is None:
            return
        from scanner.limits import DEFAULT_LIMITS

        limits = DEFAULT_LIMITS.scaled_total(self._settings.scan_timeout_s)
        try:
            report = await self._scan(stored, limits)
        except asyncio.CancelledError:
            # shutting down mid-scan: hand the scan back so the next start runs it again
            # (a synchronous write: the event loop is being torn down)
            self._requeue(scan_id)
            raise
        except Exception as exc:  # noqa: BLE001 - any failure is recorded on the scan
            await anyio.to_thread.run_sync(self._fail, scan_id, failure_text(stored, exc, f"scan {scan_id}"))
        else:
            await anyio.to_thread.run_sync(self._succeed, scan_id, report)
        self.finished.set()

    async def _scan(self, stored: dict[str, Any], limits: Limits) -> ScanReport:
        from scanner.scan import scan_source

        source = source_from_stored(stored, self._settings)
        det = await anyio.to_thread.run_sync(detector)
        report = await scan_source(source, limits=limits, detector=det, network=network_policy(self._settings))
        trust = await anyio.to_thread.run_sync(trust_breakdown, stored, report, self._settings)
        return msgspec.structs.replace(report, trust=trust)

    def _requeue(self, scan_id: int) -> None:
        with session_scope(self._engine) as session:
            session.execute(
                update(Scan).where(col(Scan.id) == scan_id, col(Scan.status) == "running").values(status="queued")
            )

    def _succeed(self, scan_id: int, report: ScanReport) -> None:
        with session_scope(self._engine) as session:
            scan = session.get(Scan, scan_id)
            if scan is not None:
                if scan.trigger == "confirm":  # a gateway's drift report: judged from this scan
                    from registry.services import confirm

                    confirm.finished(session, scan, report)
                store_report(session, scan, report)
                changes.bump(session)

    def _fail(self, scan_id: int, error: str) -> None:
        with session_scope(self._engine) as session:
            scan = session.get(Scan, scan_id)
            if scan is not None:
                scan.status, scan.error, scan.finished_at = ScanStatus.FAILED.value, error, utcnow()
                session.add(scan)
                if scan.trigger == "confirm":
                    from registry.services import confirm

                    confirm.failed(session, scan, error)
                changes.bump(session)


def _one_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"{type(exc).__name__}: {text}"[:500]


def network_policy(settings: Settings) -> NetworkPolicy:
    """URL scans are always guarded here; only the operator's allowlist opens ranges."""
    from scanner.netguard import NetworkPolicy

    return NetworkPolicy(allow=settings.allow_scan_network)


class ScanFailed(Exception):
    """A scan failed; the message is ``failure_text``'s reason, safe to show a submitter."""


def failure_text(stored: dict[str, Any], exc: BaseException, what: str) -> str:
    """What a failed scan stores and shows: a generic reason, never the target's own words
    (those go to the operator's log). A command source (admins only; the registry fetches
    nothing for it) keeps its one-line error."""
    from registry.services.sandboxing import refusal_text
    from scanner.netguard import AddressNotAllowed
    from scanner.reasons import exception_chain, public_reason

    lines: list[str] = []  # what the target said is often down the chain of causes
    for e in exception_chain(exc):
        line = _one_line(e)
        if not isinstance(e, BaseExceptionGroup) and line not in lines and len(lines) < 6:
            lines.append(line)
    detail = " <- ".join(lines)
    if isinstance(exc, AddressNotAllowed):
        detail = f"{detail} ({exc.detail()})"  # which name resolved to what: for operators only
    log.warning("%s failed: %r", what, detail)
    refused = refusal_text(exc)  # our own refusal of an sdist-only package, naming it
    if refused:
        return refused
    return _one_line(exc) if "command" in stored else public_reason(exc)
