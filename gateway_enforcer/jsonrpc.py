"""JSON-RPC plumbing at the message level: the proxies look at ``method`` and ``id`` of
every message and decode a message fully only when they must act on it, so whatever
they do not intercept travels byte for byte."""

from __future__ import annotations

import itertools
from typing import Any

import msgspec

# Code for "blocked by policy": in the implementation-defined server-error range.
BLOCKED_CODE = -32001
JsonId = int | str


class Envelope(msgspec.Struct):
    """Just enough of a message to route it; every other field is skipped unparsed."""

    method: str | None = None
    id: JsonId | None = None


_envelope = msgspec.json.Decoder(Envelope)
_any = msgspec.json.Decoder()
_encode = msgspec.json.Encoder()
_ids = itertools.count(1)


def peek(data: bytes) -> Envelope | None:
    """Method and id of one message; None for a batch or anything that is not an object."""
    try:
        return _envelope.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def decode(data: bytes) -> Any:
    return _any.decode(data)


def encode(message: Any) -> bytes:
    return _encode.encode(message)


def own_id() -> str:
    """Ids of the proxy's own requests to the upstream; never forwarded to the client."""
    return f"mcp-trust-enforcer-{next(_ids)}"


def request(method: str, params: dict[str, Any], msg_id: JsonId) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}


def error(msg_id: JsonId | None, code: int, message: str, data: Any = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        err["data"] = data
    return {"jsonrpc": "2.0", "id": msg_id, "error": err}


def envelope_meta(message: Any) -> dict[str, Any]:
    """The protocol envelope keys of a client request's ``_meta`` (stateless protocol
    revisions carry version and capabilities there); our own requests copy them."""
    params = message.get("params") if isinstance(message, dict) else None
    meta = params.get("_meta") if isinstance(params, dict) else None
    if not isinstance(meta, dict):
        return {}
    return {k: v for k, v in meta.items() if k.startswith("io.modelcontextprotocol/")}
