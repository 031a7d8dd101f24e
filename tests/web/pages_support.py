"""Helpers for the in-process page tests: a real registry app (SQLite file, Litestar's
TestClient) with scans landed through the registry's own service, not a mock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.db import session_scope
from registry.models import ReviewItem, Scan
from registry.services import scanning, tokens
from registry.settings import Settings
from scanner.models import Confidence, Finding, ServerInfo, Severity, SourceInfo, ToolSurface, Verdict
from scanner.report import Analysis, build_report

PHRASE = "ignore previous instructions"


class PhraseDetector:
    """A deterministic stand-in for the detector: flags one phrase (the page tests
    are about showing findings, not finding them)."""

    def analyse(self, surface: ToolSurface) -> Analysis:
        per_tool = []
        for tool in surface.tools:
            text = str(tool.get("description", ""))
            hits = [
                Finding(rule_id="TEST-001", category="instruction_override", severity=Severity.HIGH,
                        confidence=Confidence.HIGH, message="tells the agent to ignore its instructions",
                        path="$.description", matched_text=PHRASE, remediation="Remove it.")
            ] if PHRASE in text.lower() else []  # fmt: skip
            per_tool.append(hits)
        verdicts = [Verdict.MALICIOUS if hits else Verdict.CLEAN for hits in per_tool]
        return Analysis(tool_findings=per_tool, tool_verdicts=verdicts, server_findings=[], detection="test")


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'registry.db'}",
        "session_secret": "page-tests-secret-0123456789abcdef",
        "start_workers": False,
        "allow_scan_network": ("127.0.0.0/8",),  # the page tests submit loopback URLs
    }
    return Settings(**{**values, **overrides})


@contextmanager
def running(settings: Settings) -> Iterator[tuple[Litestar, TestClient[Litestar]]]:
    app = create_app(settings)
    with TestClient(app, base_url=settings.public_url) as client:
        yield app, client


def make_token(app: Litestar, role: str, name: str) -> str:
    with session_scope(app.state["runtime"].engine) as session:
        _, token = tokens.create_token(session, role=role, name=name, actor="test")
    return token


def land_scan(app: Litestar, review_id: int, tools: list[dict[str, Any]]) -> None:
    """Finish a review's scan with a report over ``tools`` (as the scan worker would)."""
    report = build_report(
        ToolSurface(server=ServerInfo(name="fixture"), tools=tools),
        SourceInfo(kind="tools-file", target="test"),
        PhraseDetector(),
    )
    with session_scope(app.state["runtime"].engine) as session:
        item = session.get(ReviewItem, review_id)
        assert item is not None and item.scan_id is not None
        scan = session.get(Scan, item.scan_id)
        assert scan is not None
        scanning.store_report(session, scan, report)


def submit(client: TestClient[Litestar], token: str, name: str) -> dict[str, Any]:
    resp = client.post(
        "/v1/submissions",
        json={"name": name, "source": {"url": "http://127.0.0.1:9/mcp"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 202, resp.text
    body: dict[str, Any] = resp.json()
    return body


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: TestClient[Litestar], token: str) -> str:
    """Sign in through the form; returns the CSRF token of the new session."""
    client.cookies.clear()
    login = client.get("/ui/login")
    resp = client.post(
        "/ui/login", data={"token": token, "csrf_token": csrf_of(login.text), "next": "/ui/"}, follow_redirects=False
    )
    assert resp.status_code == 303, resp.text
    return csrf_of(client.get("/ui/servers").text)
