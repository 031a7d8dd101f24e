"""What an approval pins beyond the tools, and how a scan differs from it.

An approval pins the whole surface an agent reads: ``surface_sha256``, the hash of the
server's instructions and every prompt, resource and resource template hash, all from
``scanner.contract`` (no hashing here). Approvals made before the surface was pinned
carry none of it and are judged on their manifest alone until a reviewer confirms the
surface a rescan recorded (a review item of kind ``surface``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import msgspec
from sqlmodel import Session, col, select

from registry.models import Approval, ReviewItem, Scan
from scanner.contract.decide import instructions_sha256
from scanner.contract.surface import ItemKind, item_hashes, surface_sha256
from scanner.diff import SurfaceDiff, diff_reports
from scanner.models import ScanReport

MAX_DIFF_FIELDS = 50  # per item: the alert travels to chat channels and webhooks
MAX_DIFF_CHARS = 2000
MAX_CHANGES = 200
# the approval column that pins each list beyond the tools
HASH_COLUMN = {
    ItemKind.PROMPT: "prompt_hashes",
    ItemKind.RESOURCE: "resource_hashes",
    ItemKind.RESOURCE_TEMPLATE: "resource_template_hashes",
}
OTHER_KINDS = tuple(HASH_COLUMN)


@dataclasses.dataclass(frozen=True)
class SurfacePin:
    """The approval fields that pin the surface of one scan."""

    surface_sha256: str
    instructions_sha256: str
    prompt_hashes: dict[str, str]
    resource_hashes: dict[str, str]
    resource_template_hashes: dict[str, str]


def decode_report(stored: dict[str, Any] | None) -> ScanReport | None:
    """A stored report as the typed record (``None``: missing or unreadable)."""
    if not stored:
        return None
    try:
        return msgspec.convert(stored, ScanReport)
    except msgspec.ValidationError:
        return None


def report_surface_sha256(report: ScanReport) -> str | None:
    """The scanned surface's hash; ``None`` for a report written before surfaces were pinned."""
    if report.surface_sha256 is None:
        return None
    return surface_sha256(report.surface())


def pin_of_report(report: ScanReport) -> SurfacePin | None:
    """What approving ``report`` pins beyond the tools (``None``: a tools-only report)."""
    sha = report_surface_sha256(report)
    if sha is None:
        return None
    surface = report.surface()
    return SurfacePin(
        surface_sha256=sha,
        instructions_sha256=instructions_sha256(surface.instructions),
        prompt_hashes=item_hashes(ItemKind.PROMPT, surface.prompts),
        resource_hashes=item_hashes(ItemKind.RESOURCE, surface.resources),
        resource_template_hashes=item_hashes(ItemKind.RESOURCE_TEMPLATE, surface.resource_templates),
    )


def surface_changed(approval: Approval, report: ScanReport) -> bool:
    """Whether what lies beyond the tools differs from a surface the approval pins."""
    if approval.surface_sha256 is None:
        return False  # pinned before surfaces were: judged on the manifest alone
    seen = report_surface_sha256(report)
    return seen is not None and seen != approval.surface_sha256


def drifted(approval: Approval, report: ScanReport) -> bool:
    """Drift: another manifest, or (the approval pins one) another surface."""
    return approval.manifest_sha256 != report.manifest_sha256 or surface_changed(approval, report)


def drift_key(approval: Approval, report: ScanReport) -> str:
    """What a drift is recorded under: the manifest if the tools changed, else the surface."""
    if approval.manifest_sha256 != report.manifest_sha256:
        return report.manifest_sha256
    return report_surface_sha256(report) or report.manifest_sha256


def approved_report(session: Session, approval: Approval) -> ScanReport | None:
    """The scan the approval was made from (the one its reviewer read)."""
    item = session.get(ReviewItem, approval.review_id)
    scan = session.get(Scan, item.scan_id) if item is not None and item.scan_id else None
    if scan is None:  # an approval older than its review's scan link: the last scan of its manifest
        scan = session.exec(
            select(Scan)
            .where(Scan.manifest_sha256 == approval.manifest_sha256, Scan.server_id == approval.server_id)
            .order_by(col(Scan.id))
        ).first()
    return decode_report(scan.report) if scan is not None else None


def _by_hash(approved: dict[str, str], seen: dict[str, str]) -> dict[str, Any]:
    return {
        "added": sorted(set(seen) - set(approved)),
        "removed": sorted(set(approved) - set(seen)),
        "changed": sorted(n for n in set(seen) & set(approved) if seen[n] != approved[n]),
    }


def _fields(fields: list[Any]) -> list[dict[str, str]]:
    return [{"path": f.path, "kind": f.kind, "diff": f.diff[:MAX_DIFF_CHARS]} for f in fields[:MAX_DIFF_FIELDS]]


def alert_diff(session: Session, approval: Approval, report: ScanReport) -> dict[str, Any]:
    """What changed since approval, for an alert: the tools by hash (and field by field),
    then, where the approval pins a surface, each other list and the instructions."""
    diff = _by_hash(approval.tool_hashes, report.tool_hashes)
    old = approved_report(session, approval)
    d: SurfaceDiff | None = diff_reports(old, report) if old is not None else None
    if d is not None:
        diff["fields"] = {
            "renamed": [{"from": r.old_name, "to": r.new_name} for r in d.renamed],
            "changed": {c.name: _fields(c.fields) for c in d.changed},
        }
    if approval.surface_sha256 is None:
        return diff
    surface = report.surface()
    for kind in OTHER_KINDS:
        pinned: dict[str, str] = getattr(approval, HASH_COLUMN[kind]) or {}
        entry = _by_hash(pinned, item_hashes(kind, surface.items(kind)))
        if d is not None:
            entry["fields"] = {c.key: _fields(c.fields) for c in d.items(kind).changed}
        diff[kind.value] = entry
    changed = approval.instructions_sha256 != instructions_sha256(surface.instructions)
    diff["instructions"] = {"changed": changed}
    if d is not None and d.instructions is not None:
        diff["instructions"]["diff"] = d.instructions.diff[:MAX_DIFF_CHARS]
    if d is not None:
        diff["changes"] = msgspec.to_builtins(d.changes()[:MAX_CHANGES])
    return diff


def changed_parts(diff: dict[str, Any]) -> list[str]:
    """A person's words for what changed: ``tools``, ``prompts``, ..., ``instructions``."""
    parts = ["tools"] if _any_change(diff) else []
    parts += [k.value.replace("_", " ") for k in OTHER_KINDS if _any_change(diff.get(k.value))]
    if (diff.get("instructions") or {}).get("changed"):
        parts.append("instructions")
    return parts


def _any_change(entry: dict[str, Any] | None) -> bool:
    if not entry:
        return False
    return any(entry.get(k) for k in ("added", "removed", "changed"))
