"""View models for the pages, built from stored rows and scan reports.

Pure presentation: nothing here decides anything; decisions are the services'.
The trust breakdown is read tolerantly (several shapes are accepted) because it is
stored JSON from whichever scorer version produced the scan.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from markupsafe import Markup

from registry.web.highlight import find_spans, highlight, resolve_path, visible

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def iso(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def age(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """A short human age: '45 s', '12 min', '3 h', '6 d'."""
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    secs = max(0, int(((now or dt.datetime.now(dt.UTC)) - value).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if secs >= size:
            return f"{secs // size} {unit}"
    return f"{secs} s"


def report_findings(report: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not report:
        return []
    out = [f for t in report.get("tools", []) for f in t.get("findings", [])]
    out += [f for i in report.get("items", []) for f in i.get("findings", [])]
    return out + list(report.get("server_findings", []))


def finding_view(finding: dict[str, Any], scanned: Any) -> dict[str, Any]:
    """A finding with the text it points at, highlighted in place when found there."""
    matched = str(finding.get("matched_text") or "")
    path = str(finding.get("path") or "")
    target = resolve_path(scanned, path) if path else None
    in_place = isinstance(target, str) and bool(find_spans(target, [matched]))
    if isinstance(target, str):
        text_html = highlight(target, [matched])
    else:
        text_html = highlight(matched, [matched]) if matched else Markup("")
    return {
        "severity": str(finding.get("severity") or "info"),
        "rule_id": finding.get("rule_id", ""),
        "category": finding.get("category", ""),
        "confidence": finding.get("confidence", ""),
        "message": finding.get("message", ""),
        "path": path,
        "remediation": finding.get("remediation", ""),
        "text_html": text_html,
        "in_place": in_place,
        "matched_html": visible(matched),
    }


def _by_severity(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda f: -SEVERITY_RANK.get(f["severity"], 0))


_ITEM_TITLE = {"prompts": "Prompt", "resources": "Resource", "resource_templates": "Resource template"}


def finding_groups(report: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Findings per tool (worst tools first), then those about the server as a whole."""
    if not report:
        return []
    groups: list[dict[str, Any]] = []
    for tool in report.get("tools", []):
        views = [finding_view(f, tool.get("tool", {})) for f in tool.get("findings", [])]
        groups.append({"title": f"Tool {tool.get('name')}", "findings": _by_severity(views)})
    for item in report.get("items", []):  # prompts, resources and templates: findings relative to the item
        views = [finding_view(f, item.get("item", {})) for f in item.get("findings", [])]
        title = f"{_ITEM_TITLE.get(str(item.get('kind')), 'Item')} {item.get('key')}"
        groups.append({"title": title, "findings": _by_severity(views)})
    groups.sort(key=lambda g: -max((SEVERITY_RANK.get(f["severity"], 0) + 1 for f in g["findings"]), default=0))
    surface = {
        "instructions": (report.get("server") or {}).get("instructions"),
        "prompts": report.get("prompts", []),
        "resources": report.get("resources", []),
        "resourceTemplates": report.get("resource_templates", []),
    }
    server_views = [finding_view(f, surface) for f in report.get("server_findings", [])]
    groups.append({"title": "Server (instructions)", "findings": _by_severity(server_views)})
    return groups


def tool_rows(report: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not report:
        return []
    return [
        {
            "name": t.get("name"),
            "sha256": t.get("sha256"),
            "verdict": t.get("verdict"),
            "findings": len(t.get("findings", [])),
            "json_html": visible(json.dumps(t.get("tool", {}), indent=2, sort_keys=True, ensure_ascii=False)),
        }
        for t in sorted(report.get("tools", []), key=lambda t: str(t.get("name")))
    ]


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _signal_view(s: dict[str, Any]) -> dict[str, Any]:
    evidence = s.get("evidence") or ()
    parts = [str(e) for e in evidence] if isinstance(evidence, list | tuple) else [str(evidence)]
    parts += [str(x) for x in (s.get("reason"), s.get("adjusted")) if x]
    points, most = _num(s.get("points")), _num(s.get("max_points"))
    shown = "" if points is None else f"{points:.1f}" + (f" / {most:.1f}" if most is not None else "")
    return {
        "name": s.get("name") or s.get("id") or "signal",
        "value": s.get("value", ""),
        "status": str(s.get("status", "")).replace("_", " "),
        "points": shown,
        "evidence": "; ".join(p for p in parts if p),
        "source": s.get("source", ""),
        "to_improve": s.get("to_improve", "") if s.get("status") != "measured" else "",
    }


def _pillar_score(p: dict[str, Any]) -> float | None:
    """0-100 for the chart: ``points`` of ``max`` (the scorer's shape), or a plain score."""
    points, most = _num(p.get("points")), _num(p.get("max"))
    if points is not None and most:
        score: float | None = 100.0 * points / most
    else:
        score = _num(p.get("score"))
    return None if score is None else max(0.0, min(100.0, score))


def _pillars(trust: dict[str, Any]) -> list[dict[str, Any]]:
    raw = trust.get("pillars") or {}
    if isinstance(raw, list):
        raw = {str(p.get("name") or p.get("id")): p for p in raw if isinstance(p, dict)}
    signals: dict[str, list[dict[str, Any]]] = {}
    for sig in trust.get("signals") or []:
        if isinstance(sig, dict):
            signals.setdefault(str(sig.get("pillar") or "other"), []).append(sig)
    names = list(raw) + [n for n in signals if n not in raw]
    out = []
    for name in names:
        found = raw.get(name)
        p: dict[str, Any] = found if isinstance(found, dict) else {}
        points, most = _num(p.get("points")), _num(p.get("max"))
        out.append({
            "name": name,
            "score": _pillar_score(p),
            "label": f"{points:.1f} / {most:.1f}" if points is not None and most is not None else "unknown",
            "confidence": _num(p.get("confidence")),
            "signals": [_signal_view(s) for s in signals.get(name, [])],
        })  # fmt: skip
    return out


def _notes(trust: dict[str, Any]) -> list[str]:
    notes = []
    for cap in trust.get("caps") or []:
        if isinstance(cap, dict):
            why = ", ".join(map(str, cap.get("signals") or ()))
            notes.append(f"Capped at {cap.get('cap')} by {cap.get('flag')}" + (f" ({why})" if why else ""))
    for flag in trust.get("blocked_by") or []:
        notes.append(f"Blocked by {flag}")
    return notes


def trust_view(trust: dict[str, Any] | None) -> dict[str, Any]:
    if not trust:
        return {"score": None, "tier": None, "confidence": None, "pillars": [], "notes": []}
    confidence = _num(trust.get("confidence"))
    return {
        "score": _num(trust.get("score")),
        "tier": str(trust.get("tier") or "").replace("_", " ") or None,
        "confidence": confidence if confidence is None or confidence <= 1 else confidence / 100,
        "pillars": _pillars(trust),
        "notes": _notes(trust),
    }
