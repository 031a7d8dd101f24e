"""A rescan scans the source the approval pinned; an approval that pins none makes the
rescan fail with that reason rather than scan anything else."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import update

from registry.db import make_engine, session_scope
from registry.models import Approval
from registry.settings import Settings
from tests.rescan.conftest import ToolsServer, auth, fast_config, make_app, make_tokens, submit_and_approve

NAME = "io.example/unpinned"
RESCAN = "/v1/servers/io.example%2Funpinned/rescan"


def test_an_approval_without_a_pinned_source_fails_the_rescan_with_the_reason(
    settings: Settings, tmp_path: Path
) -> None:
    server = ToolsServer(tmp_path)
    with TestClient(make_app(settings, fast_config(None, interval_s=3600.0)),
                    raise_server_exceptions=False) as client:
        tokens = make_tokens(settings)
        submit_and_approve(client, tokens, NAME, server.argv())
        r = client.post(RESCAN, headers=auth(tokens["reviewer"]))
        assert (r.status_code, r.json()["status"]) == (200, "ok"), r.text
        assert server.scans() == 2
        engine = make_engine(settings.database_url)
        with session_scope(engine) as session:  # as if approved before sources were pinned
            session.execute(update(Approval).values(source=None))
        engine.dispose()
        r = client.post(RESCAN, headers=auth(tokens["reviewer"]))
        assert r.status_code == 200, r.text
        result = r.json()
        assert result["status"] == "failed"
        assert result["error"] == (f"the approval of {NAME} pins no source to rescan; "
                                   "re-approve a submission to pin one")
        assert server.scans() == 2  # nothing was scanned
        state = client.get("/v1/servers/io.example%2Funpinned", headers=auth(tokens["auditor"])).json()["state"]
        assert state == "approved"
