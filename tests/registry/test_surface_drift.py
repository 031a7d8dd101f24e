"""The registry pins everything an agent reads: a real MCP server (official SDK) whose only
change after approval is one prompt's description, one resource's description or its
instructions drifts at a rescan, is denied at verify when a gateway sends that surface,
and shows in the alert's diff and the server page's side-by-side diff. An unchanged
surface stays allowed; an approval made before surfaces were pinned is still answered on
its manifest until a reviewer confirms the surface a rescan recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from registry.app import create_app
from registry.db import make_engine, session_scope
from registry.models import Approval
from registry.services import changes
from registry.settings import Settings
from scanner.contract.surface import Surface
from tests.enforcer.surface_rig import raw_surface, server_command
from tests.rescan.conftest import auth, fast_config, make_tokens, server_state, settings, submit_and_approve
from tests.support import wait_for
from tests.web.pages_support import sign_in

__all__ = ["settings"]  # the rescan fixture: its fixture servers run unconfined

# the switch of surface_server.py -> (the list it changes, the item, the words that appear)
CHANGES = {
    "prompt": ("prompts", "summarise", "id_rsa"),
    "resource": ("resources", "file:///readme", "aws/credentials"),
    "instructions": ("instructions", "", "API keys"),
}


def make_app(settings: Settings) -> Litestar:
    app = create_app(settings)  # every feature: rescans, the web pages, the snapshot
    app.state["rescan_config"] = fast_config(None)
    return app


def wire(surface: Surface, name: str) -> dict[str, Any]:
    """A gateway's verify body: the tools and everything beside them."""
    body = msgspec.to_builtins(surface)
    return {"server": name, **body}


def verify(client: TestClient[Litestar], token: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/v1/verify", json=body, headers=auth(token))
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


@pytest.mark.parametrize("switch", sorted(CHANGES))
def test_a_change_beyond_the_tools_drifts_at_a_rescan_is_denied_at_verify_and_shows_in_the_diff(
    settings: Settings, tmp_path: Path, switch: str
) -> None:
    name = f"io.example/surface-{switch}"
    flag = tmp_path / "flag"
    flag.write_text("")
    command = server_command(flag)
    before = raw_surface(command)
    with TestClient(make_app(settings), raise_server_exceptions=False) as client:
        tokens = make_tokens(settings)
        detail = submit_and_approve(client, tokens, name, command)
        gate = tokens["gateway"]

        # unchanged: allowed, and the answer names the surface the approval pins
        ok = verify(client, gate, wire(before, name))
        assert (ok["decision"], ok["reason"]) == ("allow", "approved"), ok
        assert ok["approved_surface_sha256"] is not None
        assert ok["approved_manifest_sha256"] == detail["manifest_sha256"]

        flag.write_text(switch)
        after = raw_surface(command)
        assert after.tools == before.tools  # the tools did not change: only the surface did
        # a gateway that sees it is denied (at once, whether or not a rescan confirmed it yet)
        seen = verify(client, gate, wire(after, name))
        assert (seen["decision"], seen["reason"]) == ("deny", "schema_drift"), seen

        wait_for(lambda: server_state(client, tokens, name) == "drifted", what="the rescan's drift")
        # confirmed by the registry: the approved manifest alone is refused too once the
        # verify index reloads (within seconds)
        def old_answer() -> dict[str, Any] | None:
            a = verify(client, gate, {"server": name, "manifest_sha256": detail["manifest_sha256"]})
            return a if a["decision"] == "deny" else None

        assert wait_for(old_answer, what="the approved manifest denied")["reason"] == "schema_drift"

        kind, key, words = CHANGES[switch]
        alerts = client.get("/v1/alerts", params={"kind": "drift", "server": name},
                            headers=auth(tokens["reviewer"])).json()["items"]
        assert len(alerts) == 1, alerts
        diff = alerts[0]["payload"]["diff"]
        assert (diff["added"], diff["removed"], diff["changed"]) == ([], [], [])  # no tool changed
        if kind == "instructions":
            assert diff["instructions"]["changed"] is True and words in diff["instructions"]["diff"]
        else:
            assert diff[kind]["changed"] == [key], diff
            (field,) = diff[kind]["fields"][key]
            assert field["path"] == "$.description" and words in field["diff"]
        assert kind in alerts[0]["payload"]["summary"]
        review_diff_shows_the_change(client, tokens, name, switch)

        sign_in(client, tokens["reviewer"])
        page = client.get(f"/ui/servers/{name}")
        assert page.status_code == 200, page.text
        assert "Changes since approval" in page.text and words.split()[0] in page.text
        assert (key or "instructions") in page.text


def test_an_approval_without_a_surface_pin_is_answered_on_its_manifest_until_a_reviewer_pins_it(
    settings: Settings, tmp_path: Path
) -> None:
    name = "io.example/surface-legacy"
    scanned, elsewhere = tmp_path / "scanned", tmp_path / "elsewhere"
    scanned.write_text("")
    elsewhere.write_text("prompt")  # what some gateway sees: another prompt, same tools
    command = server_command(scanned)
    served, changed = raw_surface(command), raw_surface(server_command(elsewhere))
    engine = make_engine(settings.database_url)
    with TestClient(make_app(settings), raise_server_exceptions=False) as client:
        tokens = make_tokens(settings)
        submit_and_approve(client, tokens, name, command)
        with session_scope(engine) as session:  # as an approval made before surfaces were pinned
            session.execute(update(Approval).values(
                surface_sha256=None, instructions_sha256=None, prompt_hashes=None, resource_hashes=None,
                resource_template_hashes=None))  # fmt: skip
            changes.bump(session)

        def answer_for(surface: Surface, pinned: bool) -> dict[str, Any] | None:
            a = verify(client, tokens["gateway"], wire(surface, name))
            return a if (a["approved_surface_sha256"] is not None) == pinned else None

        legacy = wait_for(lambda: answer_for(changed, pinned=False), what="the index without the surface pin")
        assert (legacy["decision"], legacy["reason"]) == ("allow", "approved"), legacy

        # a rescan records the surface for a reviewer to confirm, and drifts nothing
        def surface_review() -> dict[str, Any] | None:
            items = client.get("/v1/reviews", headers=auth(tokens["reviewer"])).json()["items"]
            return next((i for i in items if i["server"] == name and i["kind"] == "surface"), None)

        review = wait_for(surface_review, what="the surface review")
        assert server_state(client, tokens, name) == "approved"
        r = client.post(f"/v1/reviews/{review['id']}/approve", json={"reason": "surface read"},
                        headers=auth(tokens["reviewer"]))
        assert r.status_code == 200, r.text
        with Session(engine) as session:
            pinned = session.exec(select(Approval).where(col(Approval.active).is_(True))).one()
        assert pinned.surface_sha256 is not None and "summarise" in (pinned.prompt_hashes or {})

        # pinned now: the surface the reviewer confirmed is allowed, the other prompt is not
        now = wait_for(lambda: answer_for(served, pinned=True), what="the index with the surface pin")
        assert (now["decision"], now["reason"]) == ("allow", "approved"), now
        other = answer_for(changed, pinned=True)
        assert other is not None and (other["decision"], other["reason"]) == ("deny", "schema_drift"), other
    engine.dispose()


def review_diff_shows_the_change(client: TestClient[Litestar], tokens: dict[str, str], name: str, switch: str) -> None:
    """The drift review's detail diffs the whole surface against the approval: the changed
    prompt, resource or instructions, beside the tools' fields readers already read."""
    items = client.get("/v1/reviews", params={"state": "drifted"}, headers=auth(tokens["reviewer"])).json()["items"]
    (review,) = [i for i in items if i["server"] == name and i["kind"] == "drift"]
    detail = client.get(f"/v1/reviews/{review['id']}", headers=auth(tokens["reviewer"])).json()
    diff = detail["diff"]
    assert (diff["added"], diff["removed"], diff["changed"]) == ([], [], [])
    assert diff["old_manifest_sha256"] == diff["new_manifest_sha256"] == detail["approved_manifest_sha256"]
    assert diff["identical"] is False and diff["old_surface_sha256"] != diff["new_surface_sha256"]
    kind, key, words = CHANGES[switch]
    if kind == "instructions":
        assert words in diff["instructions"]["new"] and words in diff["instructions"]["diff"]
        assert all(not diff[k]["changed"] for k in ("prompts", "resources", "resource_templates"))
    else:
        assert diff["instructions"] is None
        (changed,) = diff[kind]["changed"]
        assert changed["key"] == key and words in changed["fields"][0]["diff"], diff[kind]
