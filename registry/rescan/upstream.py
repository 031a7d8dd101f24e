"""Poll the upstream MCP registry for the status of servers submitted as server.json.

``GET {upstream_url}/v0.1/servers/{name}/versions/latest`` (name URL-encoded) answers
``{"server": {...}, "_meta": {"io.modelcontextprotocol.registry/official":
{"status": "active" | "deprecated" | "deleted"}}}``; a 404 means the entry is gone.
A deprecated or deleted server raises one alert per (server, status). The poll is
cheap and idempotent (dedupe keys), so every replica may run it.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

import anyio
import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from registry.db import session_scope
from registry.models import Server, Submission
from registry.services import alerts
from scanner.serverjson import unwrap_registry_response

log = logging.getLogger("mcp_trust.rescan.upstream")
WATCHED_STATES = ("approved", "drifted", "pending")
MAX_BODY = 1024 * 1024


def watched_servers(session: Session) -> list[str]:
    """Servers whose latest submission was a server.json (an upstream registry entry)."""
    names: list[str] = []
    servers = session.exec(select(Server).where(col(Server.state).in_(WATCHED_STATES))).all()
    for server in servers:
        sub = session.exec(select(Submission).where(Submission.server_id == server.id)
                           .order_by(col(Submission.id).desc())).first()
        if sub is not None and "server_json" in sub.source:
            names.append(server.name)
    return names


async def fetch_status(client: httpx.AsyncClient, base_url: str, name: str) -> tuple[str, str] | None:
    """(``active``/``deprecated``/``deleted``, status message), or ``None`` when it
    cannot be told (unreachable, 5xx, not JSON): never an alert on a guess."""
    url = f"{base_url.rstrip('/')}/v0.1/servers/{quote(name, safe='')}/versions/latest"
    try:
        response = await client.get(url, timeout=10.0)
    except httpx.HTTPError as exc:
        log.warning("upstream registry unreachable for %s: %s", name, exc)
        return None
    if response.status_code == 404:
        return "deleted", "the entry is no longer listed (404)"
    if response.status_code != 200 or len(response.content) > MAX_BODY:
        return None
    try:
        doc = response.json()
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    _, status = unwrap_registry_response(doc)
    if status is None:
        return None
    official = (doc.get("_meta") or {}).get("io.modelcontextprotocol.registry/official") or {}
    message = official.get("statusMessage") if isinstance(official, dict) else None
    return status, str(message)[:500] if message else ""


def record_status(session: Session, name: str, status: str, message: str, base_url: str) -> int | None:
    if status not in {"deprecated", "deleted"}:
        return None
    row = alerts.raise_alert(
        session, f"upstream_{status}", name,
        {"summary": f"the upstream MCP registry marks {name} as {status}", "status": status,
         "status_message": message, "registry": base_url},
        "system:upstream", severity="high" if status == "deleted" else "medium",
        dedupe_key=f"upstream:{name}:{status}")
    return row.id if row is not None else None


async def poll(engine: Engine, base_url: str, client: httpx.AsyncClient | None = None) -> list[int]:
    """One pass over every watched server; returns the ids of alerts raised."""


    def names() -> list[str]:
        with Session(engine) as session:
            return watched_servers(session)

    def record(name: str, status: str, message: str) -> int | None:
        with session_scope(engine) as session:
            return record_status(session, name, status, message, base_url)

    raised: list[int] = []
    own = client is None
    client = client or httpx.AsyncClient(follow_redirects=False)
    try:
        for name in await anyio.to_thread.run_sync(names):
            found = await fetch_status(client, base_url, name)
            if found is not None:
                alert_id = await anyio.to_thread.run_sync(record, name, *found)
                if alert_id is not None:
                    raised.append(alert_id)
    finally:
        if own:
            await client.aclose()
    return raised
