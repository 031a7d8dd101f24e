"""Drift the registry confirmed itself: observation, ``approved -> drifted``, re-review, alert.

``record_drift`` takes a report the registry produced by scanning the approval's pinned
source: a scheduled rescan, or the confirming scan a gateway's report started
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

from registry.models import Approval, Observation, ReviewItem, ReviewState, Scan, Server, Submission, utcnow
from registry.services import alerts, audit, changes
from registry.services.scanning import store_report
from registry.services.servers import find_server, transition
from scanner.models import ScanReport

LIVE_STATES = frozenset({"approved", "drifted"})  # the states in which an approval is in force
MAX_DIFF_FIELDS = 50  # per tool: the alert travels to chat channels and webhooks
MAX_DIFF_CHARS = 2000


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
) -> tuple[Observation, bool]:
    """The observation of ``manifest_sha256`` under ``approval``: inserted, or the one already
    recorded (then ``False``), so each manifest is reported once per approval."""
    obs = Observation(
        server_id=server.id or 0,
        approval_id=approval.id or 0,
        manifest_sha256=manifest_sha256,
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
    if approval is None or approval.manifest_sha256 == sha:
        return None
    tools = [t.tool for t in report.tools]
    obs, _ = observe(session, server, approval, sha, reported_by=actor, source=source, tools=tools)
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
        dedupe_key=f"drift:{server.name}:{approval.id}:{sha}",
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
    tools = [t.tool for t in report.tools]
    diff = _hash_diff(approval.tool_hashes, tools)
    fields = field_diff(session, approval, tools)
    if fields is not None:
        diff["fields"] = fields
    how = "rescan" if source == "rescan" else "confirming scan"
    summary = f"the tools of {name} changed since approval (confirmed by the registry's {how} of the approved source"
    summary += f"; reported by {', '.join(reporters)})" if reporters else ")"
    return {
        "approved_manifest_sha256": approval.manifest_sha256,
        "observed_manifest_sha256": report.manifest_sha256,
        "review_id": review_id,
        "source": source,
        "confirmed_by": "registry",
        "confirming_scan_id": scan_id,
        "reported_by": reporters,
        "diff": diff,
        "summary": summary,
    }


def _hash_diff(approved: dict[str, str], tools: list[dict[str, Any]]) -> dict[str, Any]:
    """Which tools changed, by hash (the full field diff is on the review item)."""
    from scanner.hashing import tool_hashes

    seen = tool_hashes(tools)
    return {
        "added": sorted(set(seen) - set(approved)),
        "removed": sorted(set(approved) - set(seen)),
        "changed": sorted(n for n in set(seen) & set(approved) if seen[n] != approved[n]),
    }


def field_diff(session: Session, approval: Approval, tools: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Field-level changes against the approved tools (``scanner.diff``), bounded in size."""
    from scanner.diff import diff_manifests

    scan = session.exec(
        select(Scan)
        .where(Scan.manifest_sha256 == approval.manifest_sha256, Scan.server_id == approval.server_id)
        .order_by(col(Scan.id).desc())
    ).first()
    if scan is None or not scan.report:
        return None
    old = [t.get("tool", {}) for t in scan.report.get("tools") or []]
    d = diff_manifests(old, tools)
    return {
        "renamed": [{"from": r.old_name, "to": r.new_name} for r in d.renamed],
        "changed": {
            c.name: [
                {"path": f.path, "kind": f.kind, "diff": f.diff[:MAX_DIFF_CHARS]} for f in c.fields[:MAX_DIFF_FIELDS]
            ]
            for c in d.changed
        },
    }
