"""What a webhook receiver gets: a generic signed JSON document, or a Slack message.

Bodies are rendered from the alert row, which does not change after commit (its
acknowledgement is not part of the body), so every retry sends the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

FORMATS = ("generic", "slack")
_MAX_LIST = 10  # Slack truncates long messages; the generic body carries everything


class AlertDoc(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    severity: str
    server: str | None
    created_at: str
    payload: dict[str, Any]


def rfc3339(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def generic_body(alert: AlertDoc) -> bytes:
    return msgspec.json.encode({"type": "mcp-trust.alert", "alert": alert})


def _summary(alert: AlertDoc) -> str:
    server = alert.server or "the registry"
    text = alert.payload.get("summary")
    if isinstance(text, str) and text:
        return text
    return f"{alert.kind.replace('_', ' ')} on {server}"


def _diff_lines(diff: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for label in ("added", "removed", "changed"):
        names = diff.get(label) or []
        if not isinstance(names, list) or not names:
            continue
        shown = [str(n.get("name") if isinstance(n, dict) else n) for n in names[:_MAX_LIST]]
        more = f" (+{len(names) - _MAX_LIST} more)" if len(names) > _MAX_LIST else ""
        lines.append(f"*{label}*: " + ", ".join(f"`{s}`" for s in shown) + more)
    return lines


def slack_body(alert: AlertDoc) -> bytes:
    """Slack incoming-webhook shape: ``text`` is the notification fallback, ``blocks``
    the rendered message. Server-controlled strings are put in code spans so a tool
    name cannot inject mentions or links into the channel."""
    server = alert.server or "-"
    title = f"[{alert.severity.upper()}] mcp-trust alert: {alert.kind}"
    fields = [f"*Server*: `{server}`", f"*Alert*: #{alert.id} at {alert.created_at}"]
    diff = alert.payload.get("diff")
    details = _diff_lines(diff) if isinstance(diff, dict) else []
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _escape(_summary(alert))}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
    ]
    if details:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(details)}})
    text = f"{title}: {_escape(_summary(alert))}"
    return msgspec.json.encode({"text": text, "blocks": blocks})


def _escape(text: str) -> str:
    # Slack's three control characters; everything else is shown literally
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(alert: AlertDoc, fmt: str) -> bytes:
    return slack_body(alert) if fmt == "slack" else generic_body(alert)
