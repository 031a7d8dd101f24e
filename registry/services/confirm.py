"""A gateway's report of another manifest or surface, and the registry's own look before anything is blocked.

A gateway that sees a manifest other than the approved one, or (where the approval pins
one) another surface (a changed prompt, resource, template or instructions), is denied
for it at once, and its report is recorded (one observation per manifest and approval). The
server is not taken out of service on that word alone: the registry queues a confirming
scan of the approval's pinned source (``Scan.trigger == "confirm"``, run by the scan
workers) and decides from what it sees itself. A different manifest there is confirmed
drift (``drift.record_drift``); the approved manifest makes the report unconfirmed
(audit event ``server.drift_unconfirmed``, nothing blocked). So one gateway token can
neither take a server down nor make the registry scan anything but the approved source.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from registry.models import Observation, Scan, ScanStatus, Server, utcnow
from registry.services import audit, changes, drift, surface_pins
from registry.services.servers import find_server
from scanner.contract.decide import observe
from scanner.contract.wire import VerifyRequest
from scanner.models import ScanReport

TRIGGER = "confirm"
ACTOR = "system:confirm"
# one confirming scan per server at a time covers every report made meanwhile, so a token
# sending many made-up manifests costs one scan; a scan older than this is presumed lost
# with its replica and no longer holds the next one back
PENDING_FOR = dt.timedelta(minutes=30)


def report_request(session: Session, req: VerifyRequest, *, actor: str) -> int | None:
    """Record what a gateway's verify request saw (hashed by the contract, as verify did)."""
    seen = observe(req)
    if seen.manifest_sha256 is None:
        return None
    return report_drift(
        session,
        req.server,
        seen.manifest_sha256,
        actor=actor,
        tools=req.tools,
        version=req.version,
        surface_sha256=seen.surface_sha256,
    )


def report_drift(
    session: Session,
    server_name: str,
    manifest_sha256: str,
    *,
    actor: str,
    tools: list[dict[str, Any]] | None = None,
    version: str | None = None,
    surface_sha256: str | None = None,
) -> int | None:
    """Record a gateway's report of ``manifest_sha256`` (and the surface it saw, if it sent
    one); returns the id of a confirming scan to queue when this report started one."""
    server = find_server(session, server_name)
    if server is None or server.state not in drift.LIVE_STATES:
        return None
    approval = drift.active_approval(session, server.id)
    if approval is None:
        return None
    other_surface = approval.surface_sha256 is not None and surface_sha256 not in (None, approval.surface_sha256)
    if approval.manifest_sha256 == manifest_sha256 and not other_surface:
        return None
    obs, new = drift.observe(
        session,
        server,
        approval,
        manifest_sha256,
        reported_by=actor,
        source="gateway",
        tools=tools,
        version=version,
        surface_sha256=surface_sha256,
    )
    if not new:
        return None
    pending = _pending_scan(session, server)
    created: int | None = None
    if pending is None and approval.source is not None:
        scan = Scan(server_id=server.id or 0, submission_id=approval.submission_id, trigger=TRIGGER)
        session.add(scan)
        session.flush()
        pending = scan
        created = scan.id
    obs.scan_id = pending.id if pending else None
    session.add(obs)
    audit.append_event(
        session,
        actor=actor,
        action="server.drift_reported",
        subject=f"server:{server.name}",
        reason=None if pending else "the approval pins no source to scan: re-approve the server to pin one",
        details={
            "observed_manifest_sha256": manifest_sha256,
            "approved_manifest_sha256": approval.manifest_sha256,
            "observed_surface_sha256": surface_sha256,
            "approved_surface_sha256": approval.surface_sha256,
            "confirming_scan_id": obs.scan_id,
        },
    )
    changes.bump(session)  # every replica's index learns the manifest was reported
    return created


def _pending_scan(session: Session, server: Server) -> Scan | None:
    return session.exec(
        select(Scan).where(
            Scan.server_id == server.id,
            Scan.trigger == TRIGGER,
            col(Scan.status).in_((ScanStatus.QUEUED.value, ScanStatus.RUNNING.value)),
            col(Scan.created_at) > utcnow() - PENDING_FOR,
        )
    ).first()


def pinned_source(session: Session, scan: Scan) -> dict[str, Any] | None:
    """What a confirming scan scans: the active approval's pinned source and nothing else.
    Without one the scan fails here, with the reason, instead of scanning anything."""
    approval = drift.active_approval(session, scan.server_id)
    if approval is not None and approval.source is not None:
        return dict(approval.source)
    scan.status, scan.finished_at = ScanStatus.FAILED.value, utcnow()
    scan.error = "the server has no approval that pins a source; nothing to confirm against"
    session.add(scan)
    failed(session, scan, scan.error)
    return None


def _reports(session: Session, scan: Scan) -> list[Observation]:
    return list(session.exec(select(Observation).where(Observation.scan_id == scan.id)).all())


def finished(session: Session, scan: Scan, report: ScanReport) -> None:
    """Judge a confirming scan (in the transaction that stores it): confirmed or unconfirmed."""
    server = session.get(Server, scan.server_id)
    reports = _reports(session, scan)
    reporters = sorted({o.reported_by for o in reports})
    approval = drift.active_approval(session, scan.server_id)
    if server is None or server.state not in drift.LIVE_STATES or approval is None:
        return  # revoked (or similar) meanwhile: nothing left to take out of service
    if surface_pins.drifted(approval, report):
        drift.record_drift(
            session, server.name, report, actor=ACTOR, source="gateway", scan=scan, reported_by=reporters
        )
        return
    audit.append_event(
        session,
        actor=ACTOR,
        action="server.drift_unconfirmed",
        subject=f"server:{server.name}",
        reason="the registry's scan of the approved source found what the approval pins",
        details={
            "reported_manifests": sorted({o.manifest_sha256 for o in reports}),
            "reported_by": reporters,
            "approved_manifest_sha256": approval.manifest_sha256,
            "confirming_scan_id": scan.id,
        },
    )


def failed(session: Session, scan: Scan, error: str) -> None:
    """A confirming scan that could not run: the reports stay unconfirmed, nothing is blocked
    (the reported manifests are still denied; scheduled rescans keep looking)."""
    server = session.get(Server, scan.server_id)
    reports = _reports(session, scan)
    audit.append_event(
        session,
        actor=ACTOR,
        action="server.drift_confirm_failed",
        subject=f"server:{server.name if server else scan.server_id}",
        reason=error[:500],
        details={
            "reported_manifests": sorted({o.manifest_sha256 for o in reports}),
            "reported_by": sorted({o.reported_by for o in reports}),
            "confirming_scan_id": scan.id,
        },
    )
