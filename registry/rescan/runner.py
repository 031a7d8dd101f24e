"""One rescan: list everything an agent reads again, hash, detect, score, and record what changed.

Drift is another manifest or, where the approval pins one, another surface (a prompt,
resource, resource template or the instructions changed). An approval made before the
surface was pinned is judged on its manifest; its first rescan records the surface in a
review of kind ``surface`` for a reviewer to confirm (``drift.propose_surface``).

A rescan scans the source the active approval pinned (``Approval.source``), never a
later submission: anyone may submit a known name, and what they submit waits for its
own review. An approval without a pinned source fails the rescan with that reason.

The scan itself (seconds, network) runs with no transaction open; the result is
recorded in ONE transaction that starts with a fenced update of the lease row. If
the lease was lost meanwhile (this worker stalled past its expiry and another
replica took the job over), that update matches nothing and the whole result is
dropped, so a due rescan is recorded exactly once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from sqlalchemy import update
from sqlmodel import Session, select

from registry.models import LIVE_STATES, Scan, Server, utcnow
from registry.rescan import judge
from registry.rescan.config import RescanConfig
from registry.rescan.jobs import JOBS, next_due
from registry.rescan.leases import Lease, fenced
from registry.rescan.tables import RescanJob, RescanRun
from registry.services import alerts, drift, surface_pins
from registry.services.scanning import store_report
from registry.services.servers import find_server
from scanner.models import ScanReport

log = logging.getLogger("mcp_trust.rescan")
ScanFn = Callable[[dict[str, Any]], Awaitable[ScanReport]]
RESCAN_STATES = tuple(sorted(LIVE_STATES))


class LeaseLost(Exception):
    """The job was taken over by another worker; this worker's result is discarded."""


class RunResult(msgspec.Struct, frozen=True, kw_only=True):
    server: str
    status: str  # ok | drift | failed | skipped | lost
    trigger: str
    manifest_sha256: str | None = None
    approved_manifest_sha256: str | None = None
    error: str | None = None
    alerts: list[int] = msgspec.field(default_factory=list)
    run_id: int | None = None


class Target(msgspec.Struct, frozen=True, kw_only=True):
    server: str
    state: str
    source: dict[str, Any] | None
    interval_s: float
    failures: int
    runs: int
    started_at: dt.datetime
    error: str | None = None  # why there is no source to scan


def load_target(session: Session, lease: Lease) -> Target | None:
    job = session.exec(
        select(RescanJob).where(RescanJob.id == lease.row_id, RescanJob.lease_token == lease.token)
    ).first()
    if job is None:
        return None
    server = find_server(session, job.server_name)
    approval = drift.active_approval(session, server.id) if server is not None else None
    source = dict(approval.source) if approval is not None and approval.source else None
    error = None
    if source is None:
        error = (
            f"the approval of {job.server_name} pins no source to rescan; re-approve a submission to pin one"
            if approval is not None
            else f"{job.server_name} has no approval in force to rescan"
        )
    return Target(
        server=job.server_name,
        state=server.state if server else "missing",
        source=source,
        interval_s=job.interval_s,
        failures=job.consecutive_failures,
        runs=job.runs,
        started_at=utcnow(),
        error=error,
    )


def _finish_job(
    session: Session, lease: Lease, config: RescanConfig, target: Target, *, status: str, error: str | None
) -> int:
    """Release the lease and reschedule; raises ``LeaseLost`` if it is not ours any more."""
    failures = target.failures + 1 if status == "failed" else 0
    done = session.execute(
        update(JOBS)
        .where(fenced(JOBS, lease))
        .values(
            lease_owner=None,
            lease_token=None,
            lease_expires_at=None,
            attempts=0,
            next_due_at=next_due(utcnow(), target.interval_s, config.jitter),
            consecutive_failures=failures,
            runs=JOBS.c.runs + 1,
            last_status=status,
            last_error=error,
            last_finished_at=utcnow(),
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(f"lease on the rescan of {target.server} was taken over")
    return failures


def _raise(session: Session, server: str, spec: judge.AlertSpec | None, actor: str) -> int | None:
    if spec is None:
        return None
    row = alerts.raise_alert(
        session, spec.kind, server, spec.payload, actor, severity=spec.severity, dedupe_key=spec.dedupe_key
    )
    return row.id if row is not None else None


def _previous_facts(session: Session, server: Server) -> judge.ScanFacts:
    if server.latest_scan_id is None:
        return judge.ScanFacts()
    scan = session.get(Scan, server.latest_scan_id)
    if scan is None:
        return judge.ScanFacts()
    return judge.facts_from_report(scan.report, scan.score)


def record_failure(
    session: Session, lease: Lease, config: RescanConfig, target: Target, *, trigger: str, error: str, actor: str
) -> RunResult:
    failures = _finish_job(session, lease, config, target, status="failed", error=error)
    # the run number that began this streak names it: the same on every replica
    streak = str(target.runs - failures + 2)
    spec = judge.failure_alert(target.server, failures, config.failure_alert_after, error, streak_started=streak)
    raised = [a for a in [_raise(session, target.server, spec, actor)] if a is not None]
    run = RescanRun(
        server_name=target.server,
        trigger=trigger,
        worker=config.worker_id,
        status="failed",
        error=error,
        started_at=target.started_at,
    )
    session.add(run)
    session.flush()
    return RunResult(server=target.server, status="failed", trigger=trigger, error=error, alerts=raised, run_id=run.id)


def record_success(
    session: Session,
    lease: Lease,
    config: RescanConfig,
    target: Target,
    *,
    trigger: str,
    report: ScanReport,
    actor: str,
) -> RunResult:
    server = find_server(session, target.server)
    assert server is not None  # a server is never deleted, only revoked
    approval = drift.active_approval(session, server.id)
    approved_sha = approval.manifest_sha256 if approval else None
    drifted = approval is not None and surface_pins.drifted(approval, report)
    _finish_job(session, lease, config, target, status="drift" if drifted else "ok", error=None)
    prev = _previous_facts(session, server)
    new = judge.facts_from_report(msgspec.to_builtins(report), None)
    raised: list[int | None] = []
    scan_id: int | None = None
    if drifted:  # confirmed by this very scan of the pinned source
        recorded = drift.record_drift(session, target.server, report, actor=actor, source="rescan")
        if recorded is not None:  # this run opened the re-review and raised the drift alert
            scan_id = recorded.scan_id
            raised.append(recorded.alert_id)
    if scan_id is None:  # unchanged, or a drift already recorded: keep the report all the same
        submission_id = approval.submission_id if approval else None
        scan = Scan(server_id=server.id or 0, submission_id=submission_id, trigger="rescan", status="running")
        session.add(scan)
        session.flush()
        if approval is not None and not drifted:  # before storing: the review's sort keys come from it
            drift.propose_surface(session, server, approval, scan, report)
        store_report(session, scan, report)
        scan_id = scan.id
    raised.append(
        _raise(session, target.server, judge.score_alert(target.server, prev, new, config.score_threshold), actor)
    )
    raised.append(_raise(session, target.server, judge.critical_alert(target.server, prev, new), actor))
    run = RescanRun(
        server_name=target.server,
        trigger=trigger,
        worker=config.worker_id,
        status="drift" if drifted else "ok",
        manifest_sha256=report.manifest_sha256,
        scan_id=scan_id,
        started_at=target.started_at,
    )
    session.add(run)
    session.flush()
    return RunResult(
        server=target.server,
        status=run.status,
        trigger=trigger,
        manifest_sha256=report.manifest_sha256,
        approved_manifest_sha256=approved_sha,
        alerts=[a for a in raised if a is not None],
        run_id=run.id,
    )
