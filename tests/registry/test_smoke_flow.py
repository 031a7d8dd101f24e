from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.testing import TestClient

from tests.registry.conftest import auth, fixture_command, wait_for


def test_a_submitted_server_is_scanned_approved_and_then_allowed_by_verify(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    body = {"name": "io.github.acme/fixture", "source": {"command": fixture_command(flag)}}
    r = client.post("/v1/submissions", json=body, headers=auth(tokens["admin"]))
    assert r.status_code == 202, r.text
    review_id = r.json()["review_id"]

    def scanned() -> dict | None:
        d = client.get(f"/v1/reviews/{review_id}", headers=auth(tokens["reviewer"])).json()
        return d if d["scan"]["status"] in {"succeeded", "failed"} else None

    detail = wait_for(scanned, what="scan")
    assert detail["scan"]["status"] == "succeeded", detail["scan"]
    r = client.post(f"/v1/reviews/{review_id}/approve", json={"reason": "looks fine"},
                    headers=auth(tokens["reviewer"]))
    assert r.status_code == 200, r.text
    r = client.post("/v1/verify", json={"server": "io.github.acme/fixture",
                                        "manifest_sha256": detail["manifest_sha256"]},
                    headers=auth(tokens["gateway"]))
    assert r.json()["decision"] == "allow", r.text
