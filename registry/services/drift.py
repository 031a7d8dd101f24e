"""Drift the registry confirmed itself: observation, ``approved -> drifted``, re-review, alert.

``record_drift`` takes a report the registry produced by scanning the approval's pinned
source and finds drift in everything an agent reads: another manifest, or (where the
approval pins one) another surface, so a changed prompt, resource, resource template or
instructions drifts the server as a changed tool does. The report comes from a scheduled
rescan, or the confirming scan a gateway's report started
(``registry.services.confirm``). A gateway's word alone never lands here. There is one
observation per (server, approval, manifest), and the first caller to stamp its
``confirmed_at`` (a conditional UPDATE) opens the re-review and raises the alert, so the
same drift seen by many rescans, replicas or gateways opens ONE review and ONE alert.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from registry.models import (
    LIVE_STATES,
    Approval,
    Observation,
    ReviewItem,
    ReviewState,
    Scan,
    Server,
    Submission,
    utcnow,
)
from registry.services import alerts, audit, changes, surface_pins
from registry.services.scanning import store_report
from registry.services.servers import find_server, transition
from scanner.models import ScanReport

__all__ = ["LIVE_STATES", "Recorded", "active_approval", "observe", "record_drift"]


@dataclasses.dataclass(frozen=True)
class Recorded:
    """What a newly confirmed drift opened."""

    scan_id: int
    review_id: int
    alert_id: int | None


def active_approval(session: Session, server_id: int | None) -> Approval | None:
    """The approval in force for a server (``None`` when none is)."""
    return session.exec(select(Approval).where(Approval.server_id == server_id, col(Approval.active).is_(True))).first()


def observe(
    session: Session,
    server: Server,
    approval: Approval,
    manifest_sha256: str,
    *,
    reported_by: str,
    source: str,
    tools: list[dict[str, Any]] | None = None,
    version: str | None = None,
    surface_sha256: str | None = None,
) -> tuple[Observation, bool]:
    """The observation of ``manifest_sha256`` under ``approval``: inserted, or the one already
    recorded (then ``False``), so each manifest is reported once per approval. A change
    beyond the tools keeps the approved manifest: its surface tells it apart in the index,
    and a second such change under the same approval joins the first observation (the
    server is out of service already; the re-review's approval pins what it reads)."""
    obs = Observation(
        server_id=server.id or 0,
        approval_id=approval.id or 0,
        manifest_sha256=manifest_sha256,
        surface_sha256=surface_sha256,
        tools=tools,
        version=version,
        reported_by=reported_by,
        source=source,
    )
    try:
        with session.begin_nested():
            session.add(obs)
            session.flush()
    except IntegrityError:  # already observed (here or by another replica a moment ago)
        existing = session.exec(
            select(Observation).where(
                Observation.server_id == server.id,
                Observation.approval_id == approval.id,
                Observation.manifest_sha256 == manifest_sha256,
            )
        ).one()
        return existing, False
    return obs, True


def _claim_confirmation(session: Session, obs: Observation) -> bool:
    stmt = (
        update(Observation)
        .where(col(Observation.id) == obs.id, col(Observation.confirmed_at).is_(None))
        .values(confirmed_at=utcnow())
    )
    return bool(session.execute(stmt).rowcount == 1)  # type: ignore[attr-defined]


def record_drift(
    session: Session,
    server_name: str,
    report: ScanReport,
    *,
    actor: str,
    source: str,
    scan: Scan | None = None,
    reported_by: list[str] | None = None,
) -> Recorded | None:
    """Take a server out of service because the registry's own scan of its pinned source
    (``report``) differs from the approval. ``scan`` is the confirming scan that produced
    the report (its caller stores it); without one a scan row is written here. ``None``
    when nothing changed or this drift was already recorded."""
    server = find_server(session, server_name)
    if server is None or server.state not in LIVE_STATES:
        return None
    approval = active_approval(session, server.id)
    sha = report.manifest_sha256
    if approval is None or not surface_pins.drifted(approval, report):
        return None
    tools = [t.tool for t in report.tools]
    surface = surface_pins.report_surface_sha256(report)
    obs, _ = observe(
        session, server, approval, sha, reported_by=actor, source=source, tools=tools, surface_sha256=surface
    )
    if not _claim_confirmation(session, obs):
        return None  # already confirmed: the re-review and the alert exist
    if server.state == "approved":
        transition(session, server, "drifted")
    stored_here = scan is None
    if scan is None:
        scan = Scan(server_id=server.id or 0, submission_id=approval.submission_id, trigger=source, status="running")
        session.add(scan)
        session.flush()
    item = _drift_item(session, server, approval, scan, obs)
    if stored_here:  # after the item: its queue sort keys come from the stored scan
        store_report(session, scan, report)
    reporters = sorted(set(reported_by or []))
    audit.append_event(
        session,
        actor=actor,
        action="server.drift",
        subject=f"server:{server.name}",
        details={
            "observed_manifest_sha256": sha,
            "approved_manifest_sha256": approval.manifest_sha256,
            "observed_surface_sha256": surface,
            "approved_surface_sha256": approval.surface_sha256,
            "review_id": item.id,
            "source": source,
            "confirming_scan_id": scan.id,
            "reported_by": reporters,
        },
    )
    alert = alerts.raise_alert(
        session,
        "drift",
        server.name,
        _alert_payload(
            session,
            approval,
            report,
            name=server.name,
            source=source,
            reporters=reporters,
            review_id=item.id,
            scan_id=scan.id,
        ),
        actor,
        severity="high",
        dedupe_key=f"drift:{server.name}:{approval.id}:{surface_pins.drift_key(approval, report)}",
    )
    changes.bump(session)
    return Recorded(scan_id=scan.id or 0, review_id=item.id or 0, alert_id=alert.id if alert else None)


def _drift_item(session: Session, server: Server, approval: Approval, scan: Scan, obs: Observation) -> ReviewItem:
    """The re-review; its submitter is the approved submission's (four eyes still applies)."""
    sub = session.get(Submission, approval.submission_id) if approval.submission_id else None
    item = ReviewItem(
        server_id=server.id or 0,
        submission_id=approval.submission_id,
        scan_id=scan.id,
        observation_id=obs.id,
        kind="drift",
        state=ReviewState.DRIFTED.value,
        submitted_by=sub.submitted_by if sub else "system:drift",
        submitted_by_person=(sub.submitted_by_person or sub.submitted_by) if sub else None,
    )
    session.add(item)
    session.flush()
    return item


def _alert_payload(
    session: Session,
    approval: Approval,
    report: ScanReport,
    *,
    name: str,
    source: str,
    reporters: list[str],
    review_id: int | None,
    scan_id: int | None,
) -> dict[str, Any]:
    diff = surface_pins.alert_diff(session, approval, report)
    what = " and ".join(surface_pins.changed_parts(diff)) or "surface"
    how = "rescan" if source == "rescan" else "confirming scan"
    summary = f"the {what} of {name} changed since approval (confirmed by the registry's {how} of the approved source"
    summary += f"; reported by {', '.join(reporters)})" if reporters else ")"
    return {
        "approved_manifest_sha256": approval.manifest_sha256,
        "observed_manifest_sha256": report.manifest_sha256,
        "approved_surface_sha256": approval.surface_sha256,
        "observed_surface_sha256": surface_pins.report_surface_sha256(report),
        "review_id": review_id,
        "source": source,
        "confirmed_by": "registry",
        "confirming_scan_id": scan_id,
        "reported_by": reporters,
        "diff": diff,
        "summary": summary,
    }


def propose_surface(session: Session, server: Server, approval: Approval, scan: Scan, report: ScanReport) -> int | None:
    """An approval made before surfaces were pinned: open a review of kind ``surface`` for
    the surface a rescan saw (its manifest unchanged), once per approval. Approving it
    pins that surface; until then the approval is judged on its manifest, as it was made.
    Returns the new review's id (``None``: nothing to confirm, or already proposed)."""
    if approval.surface_sha256 is not None or surface_pins.report_surface_sha256(report) is None:
        return None
    if server.state != "approved" or approval.manifest_sha256 != report.manifest_sha256:
        return None  # a drift, judged as one
    proposed = session.exec(
        select(ReviewItem.id).where(
            col(ReviewItem.server_id) == server.id,
            col(ReviewItem.kind) == "surface",
            col(ReviewItem.created_at) >= approval.created_at,
        )
    ).first()
    if proposed is not None:
        return None
    sub = session.get(Submission, approval.submission_id) if approval.submission_id else None
    item = ReviewItem(
        server_id=server.id or 0,
        submission_id=approval.submission_id,
        scan_id=scan.id,
        kind="surface",
        state=ReviewState.PENDING.value,
        submitted_by=sub.submitted_by if sub else "system:rescan",
        submitted_by_person=(sub.submitted_by_person or sub.submitted_by) if sub else None,
    )
    session.add(item)
    session.flush()
    audit.append_event(
        session,
        actor="system:rescan",
        action="server.surface_recorded",
        subject=f"server:{server.name}",
        reason="the approval pins the tools only; approve this review to pin everything an agent reads",
        details={"review_id": item.id, "scan_id": scan.id, "surface_sha256": report.surface_sha256},
    )
    return item.id
