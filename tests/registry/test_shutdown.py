"""Stopping the registry mid-scan: shutdown ends, and the scan is handed back, not lost."""

from __future__ import annotations

import sys

from litestar.testing import TestClient
from sqlmodel import Session

from registry.app import create_app
from registry.db import make_engine, session_scope
from registry.models import Scan
from registry.services.tokens import create_token
from registry.settings import Settings
from tests.registry.conftest import auth
from tests.support import wait_for

NEVER_ANSWERS = [sys.executable, "-c", "import time; time.sleep(300)"]


def test_a_shutdown_during_a_scan_ends_and_hands_the_scan_back_to_the_queue(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    with TestClient(create_app(settings, features=()), raise_server_exceptions=False) as client:
        with session_scope(engine) as session:
            _, admin = create_token(session, role="admin", name="t-admin", actor="test")
        body = {"name": "io.github.acme/stalls", "source": {"command": NEVER_ANSWERS}}
        r = client.post("/v1/submissions", json=body, headers=auth(admin))
        assert r.status_code == 202, r.text
        review_id, scan_id = r.json()["review_id"], r.json()["scan_id"]

        def running() -> bool:
            detail = client.get(f"/v1/reviews/{review_id}", headers=auth(admin)).json()
            return bool(detail["scan"] and detail["scan"]["status"] == "running")

        wait_for(running, what="the scan to start")
    # the context manager returned: shutdown did not hang on the stalled scan
    with Session(engine) as session:
        scan = session.get(Scan, scan_id)
        assert scan is not None and scan.status == "queued", scan
    engine.dispose()
