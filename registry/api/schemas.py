"""Request and response bodies (msgspec Structs); rows are converted here, never exposed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec

from registry.models import (
    Alert,
    ApiToken,
    Approval,
    AuditEvent,
    ReviewItem,
    Scan,
    Server,
    Submission,
    as_utc,
)
from registry.services.servers import ONE_LINE

# Every request field is bounded here, so a bad value is a 422 naming its JSON path and
# never reaches the database (PostgreSQL text cannot hold NUL: that would be a 500).
NO_NUL = r"^[^\x00]*$"  # free text may span lines
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=NO_NUL)]
OptReason = Annotated[str, msgspec.Meta(max_length=4000, pattern=NO_NUL)]
ToolName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
PrincipalName = Annotated[str, msgspec.Meta(min_length=1, max_length=320, pattern=ONE_LINE)]


class ApproveIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason
    allowed_tools: Annotated[list[ToolName], msgspec.Meta(max_length=5000)] | None = None
    principals: Annotated[list[PrincipalName], msgspec.Meta(max_length=1000)] | None = None
    tool_level: bool | None = None  # block only changed/added tools on drift


class ReasonIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason


class OptionalReasonIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: OptReason = ""


class OwnerIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    owner: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]  # a person, e.g. a token's owner


class TokenIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    role: Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=ONE_LINE)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=ONE_LINE)]
    # the person the token belongs to (four eyes compares owners); default: the caller's person
    owner: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None


class ScanOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    status: str
    trigger: str
    error: str | None
    manifest_sha256: str | None
    score: float | None
    worst_severity: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    report: dict[str, Any] | None = None


class ServerSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    state: str
    approved_manifest_sha256: str | None
    tool_level: bool
    updated_at: dt.datetime


class HistoryEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: str
    actor: str
    action: str
    reason: str | None
    details: dict[str, Any]


class ServerDetail(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    state: str
    owner: str | None  # the person whose submissions of the name supersede their own
    approved_manifest_sha256: str | None
    tool_level: bool
    score: float | None
    latest_scan: ScanOut | None
    approval: ApprovalOut | None
    history: list[HistoryEvent]
    created_at: dt.datetime
    updated_at: dt.datetime


class ApprovalOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    review_id: int
    manifest_sha256: str
    tool_hashes: dict[str, str]
    allowed_tools: list[str] | None
    principals: list[str] | None
    tool_level: bool
    approved_by: str
    reason: str
    created_at: dt.datetime


class SubmissionOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    server: str
    version: str | None
    submitted_by: str
    review_id: int
    scan_id: int
    scan_status: str
    created_at: dt.datetime


class ReviewSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    server: str
    kind: str
    state: str
    version: int
    score: float | None
    worst_finding: str | None
    scan_status: str | None
    manifest_sha256: str | None
    submitted_by: str
    created_at: dt.datetime


class ReviewDetail(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    server: str
    server_state: str
    kind: str
    state: str
    version: int
    submitted_by: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str | None
    created_at: dt.datetime
    scan: ScanOut | None
    manifest_sha256: str | None
    tools: list[dict[str, Any]]  # name, sha256, verdict, findings (with evidence)
    server_findings: list[dict[str, Any]]  # about the server itself (its instructions)
    surface_sha256: str | None  # everything an agent reads (None: a scan older than the surface pin)
    items: list[dict[str, Any]]  # prompts, resources, templates: kind, key, sha256, verdict, findings, item
    trust: dict[str, Any] | None
    approved_manifest_sha256: str | None
    diff: dict[str, Any] | None  # against the last approved manifest


class TokenOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    role: str
    owner: str  # the person the token belongs to
    created_by: str  # the person who created it
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    role: str
    owner: str
    created_by: str
    token: str  # shown once; only its SHA-256 is stored


class AuditEventOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: str
    actor: str
    action: str
    subject: str
    reason: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditCheckOut(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool
    rows: int
    first_bad_id: int | None
    problem: str | None


class AlertOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    server: str | None
    severity: str
    payload: dict[str, Any]
    created_at: dt.datetime
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None


def _t(value: dt.datetime | None) -> dt.datetime:
    out = as_utc(value)
    assert out is not None
    return out


def scan_out(scan: Scan, with_report: bool = False) -> ScanOut:
    return ScanOut(
        id=scan.id or 0,
        status=scan.status,
        trigger=scan.trigger,
        error=scan.error,
        manifest_sha256=scan.manifest_sha256,
        score=scan.score,
        worst_severity=scan.worst_severity,
        created_at=_t(scan.created_at),
        finished_at=as_utc(scan.finished_at),
        report=scan.report if with_report else None,
    )


def server_summary(s: Server) -> ServerSummary:
    return ServerSummary(
        id=s.id or 0,
        name=s.name,
        state=s.state,
        approved_manifest_sha256=s.approved_manifest_sha256,
        tool_level=s.tool_level,
        updated_at=_t(s.updated_at),
    )


def approval_out(a: Approval) -> ApprovalOut:
    return ApprovalOut(
        id=a.id or 0,
        review_id=a.review_id,
        manifest_sha256=a.manifest_sha256,
        tool_hashes=dict(a.tool_hashes),
        allowed_tools=a.allowed_tools,
        principals=a.principals,
        tool_level=a.tool_level,
        approved_by=a.approved_by,
        reason=a.reason,
        created_at=_t(a.created_at),
    )


def submission_out(sub: Submission, server: Server, review: ReviewItem, scan: Scan) -> SubmissionOut:
    return SubmissionOut(
        id=sub.id or 0,
        server=server.name,
        version=sub.version,
        submitted_by=sub.submitted_by,
        review_id=review.id or 0,
        scan_id=scan.id or 0,
        scan_status=scan.status,
        created_at=_t(sub.created_at),
    )


def review_summary(item: ReviewItem, server: Server, scan: Scan | None) -> ReviewSummary:
    return ReviewSummary(
        id=item.id or 0,
        server=server.name,
        kind=item.kind,
        state=item.state,
        version=item.version,
        score=scan.score if scan else None,
        worst_finding=scan.worst_severity if scan else None,
        scan_status=scan.status if scan else None,
        manifest_sha256=scan.manifest_sha256 if scan else None,
        submitted_by=item.submitted_by,
        created_at=_t(item.created_at),
    )


def token_out(t: ApiToken) -> TokenOut:
    return TokenOut(
        id=t.id or 0,
        name=t.name,
        role=t.role,
        owner=t.owner,
        created_by=t.created_by,
        created_at=_t(t.created_at),
        last_used_at=as_utc(t.last_used_at),
        revoked_at=as_utc(t.revoked_at),
    )


def audit_out(e: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        id=e.id or 0,
        at=e.at,
        actor=e.actor,
        action=e.action,
        subject=e.subject,
        reason=e.reason,
        details=dict(e.details),
        prev_hash=e.prev_hash,
        hash=e.hash,
    )


def history_event(e: AuditEvent) -> HistoryEvent:
    return HistoryEvent(id=e.id or 0, at=e.at, actor=e.actor, action=e.action, reason=e.reason, details=dict(e.details))


def alert_out(a: Alert) -> AlertOut:
    return AlertOut(
        id=a.id or 0,
        kind=a.kind,
        server=a.server_name,
        severity=a.severity,
        payload=dict(a.payload),
        created_at=_t(a.created_at),
        acknowledged_by=a.acknowledged_by,
        acknowledged_at=as_utc(a.acknowledged_at),
    )
