"""Signed session cookies and session-bound CSRF tokens."""

from __future__ import annotations

from registry.web import session as ws

KEY = ws.derive_key("a long configured secret")


def test_a_session_round_trips_through_its_cookie() -> None:
    data = ws.new_session(kind="token", token_id="7", principal="token:rita", roles=("reviewer",))
    assert ws.decode_session(KEY, ws.encode_session(KEY, data)) == data


def test_a_cookie_signed_with_another_key_is_rejected() -> None:
    data = ws.new_session(kind="token", token_id="7")
    other = ws.derive_key("another secret")
    assert ws.decode_session(other, ws.encode_session(KEY, data)) is None


def test_an_edited_cookie_is_rejected() -> None:
    value = ws.encode_session(KEY, ws.new_session(kind="token", token_id="7"))
    body, mac = value.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    assert ws.decode_session(KEY, f"{flipped}.{mac}") is None
    assert ws.decode_session(KEY, body) is None
    assert ws.decode_session(KEY, "") is None
    assert ws.decode_session(KEY, "x" * 5000) is None


def test_an_expired_session_is_rejected() -> None:
    data = ws.new_session(kind="token", token_id="7", max_age_s=60, now=1_000_000)
    value = ws.encode_session(KEY, data)
    assert ws.decode_session(KEY, value, now=1_000_059) == data
    assert ws.decode_session(KEY, value, now=1_000_060) is None


def test_the_csrf_token_is_bound_to_the_session_nonce() -> None:
    one, two = ws.new_session(), ws.new_session()
    assert ws.csrf_ok(KEY, one, ws.csrf_token(KEY, one))
    assert not ws.csrf_ok(KEY, two, ws.csrf_token(KEY, one))
    assert not ws.csrf_ok(KEY, one, "")
    assert not ws.csrf_ok(KEY, one, None)
    assert not ws.csrf_ok(KEY, None, ws.csrf_token(KEY, one))


def test_without_a_configured_secret_each_process_gets_a_random_key() -> None:
    assert ws.derive_key(None) != ws.derive_key(None)
    assert ws.derive_key("s") == ws.derive_key("s")
