"""A manifest that differs from the approved one: observation, re-review, alert.

``record_drift`` is shared by the verify API (gateways) and scheduled rescans
(engineer E): one observation per (server, approval, manifest) thanks to a unique
constraint, so however often the same drift is reported it opens ONE review item
and ONE alert.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from registry.models import Approval, Observation, ReviewItem, ReviewState, Scan, Server, Submission
from registry.services import alerts, audit, changes
from registry.services.scanning import detector, store_report
from registry.services.servers import transition
from scanner.models import ScanReport, ServerInfo, SourceInfo, ToolSurface


def record_drift(
    session: Session,
    server_name: str,
    manifest_sha256: str,
    *,
    actor: str,
    tools: list[dict[str, Any]] | None = None,
    version: str | None = None,
    source: str = "gateway",
    report: ScanReport | None = None,
) -> int | None:
    """Returns the id of a scan to run (no tools were reported) or ``None``."""
    server = session.exec(select(Server).where(Server.name == server_name)).first()
    if server is None or server.state not in {"approved", "drifted"}:
        return None
    approval = session.exec(
        select(Approval).where(Approval.server_id == server.id, col(Approval.active).is_(True))
    ).first()
    if approval is None or approval.manifest_sha256 == manifest_sha256:
        return None
    obs = Observation(
        server_id=server.id or 0,
        approval_id=approval.id or 0,
        manifest_sha256=manifest_sha256,
        tools=tools,
        version=version,
        reported_by=actor,
        source=source,
    )
    try:
        with session.begin_nested():
            session.add(obs)
            session.flush()
    except IntegrityError:  # already observed: the re-review and alert exist
        return None
    if server.state == "approved":
        transition(session, server, "drifted")
    scan, report = _drift_scan(session, server, tools, report)
    latest = session.exec(
        select(Submission).where(Submission.server_id == server.id).order_by(col(Submission.id).desc())
    ).first()
    item = ReviewItem(
        server_id=server.id or 0,
        submission_id=latest.id if latest else None,
        scan_id=scan.id,
        observation_id=obs.id,
        kind="drift",
        state=ReviewState.DRIFTED.value,
        submitted_by=latest.submitted_by if latest else "system:drift",
    )
    session.add(item)
    session.flush()
    if report is not None:
        store_report(session, scan, report)
    audit.append_event(
        session,
        actor=actor,
        action="server.drift",
        subject=f"server:{server_name}",
        details={
            "observed_manifest_sha256": manifest_sha256,
            "approved_manifest_sha256": approval.manifest_sha256,
            "review_id": item.id,
            "source": source,
        },
    )
    alerts.raise_alert(
        session,
        "drift",
        server_name,
        {
            "approved_manifest_sha256": approval.manifest_sha256,
            "observed_manifest_sha256": manifest_sha256,
            "review_id": item.id,
            "source": source,
            "diff": _hash_diff(approval.tool_hashes, tools),
        },
        actor,
        severity="high",
        dedupe_key=f"drift:{server_name}:{approval.id}:{manifest_sha256}",
    )
    changes.bump(session)
    return scan.id if scan.status == "queued" else None


def _drift_scan(
    session: Session, server: Server, tools: list[dict[str, Any]] | None, report: ScanReport | None
) -> tuple[Scan, ScanReport | None]:
    scan = Scan(server_id=server.id or 0, trigger="gateway", status="running")
    if report is None and tools is not None:
        from scanner.report import build_report

        surface = ToolSurface(server=ServerInfo(name=server.name), tools=tools)
        report = build_report(surface, SourceInfo(kind="tools-file", target="gateway report"), detector())
    if report is None:  # only a hash was reported: rescan the last submitted source
        latest = session.exec(
            select(Submission).where(Submission.server_id == server.id).order_by(col(Submission.id).desc())
        ).first()
        scan.submission_id = latest.id if latest else None
        scan.trigger, scan.status = "drift", "queued"
    session.add(scan)
    session.flush()
    return scan, report


def _hash_diff(approved: dict[str, str], tools: list[dict[str, Any]] | None) -> dict[str, Any]:
    """Which tools changed, by hash (the full field diff is on the review item)."""
    if tools is None:
        return {"tools_reported": False}
    from scanner.hashing import tool_hashes

    seen = tool_hashes(tools)
    return {
        "added": sorted(set(seen) - set(approved)),
        "removed": sorted(set(approved) - set(seen)),
        "changed": sorted(n for n in set(seen) & set(approved) if seen[n] != approved[n]),
    }
