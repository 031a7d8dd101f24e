"""What the surface tests run on: the server's surface read straight off the wire, a verify
API that answers with the contract's own ``decide()`` over pins that cover the whole
surface (the registry does not pin beyond the tools yet), a signed snapshot of the same
pins, and the enforcing proxy in front of ``surface_server.py`` over stdio or HTTP."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from registry.snapshot.signing import public_key_base64, sign_snapshot
from scanner.contract.decide import Pin, answer, decide, observe, observe_surface
from scanner.contract.snapshot import SnapshotApproval
from scanner.contract.states import ServerState
from scanner.contract.surface import Surface, surface_hashes
from scanner.contract.wire import VerifyRequest
from tests.enforcer.conftest import ROOT, Background, free_port, port_open
from tests.support import wait_for

SURFACE_SERVER = Path(__file__).with_name("surface_server.py")
LISTS = (("tools/list", "tools"), ("prompts/list", "prompts"), ("resources/list", "resources"),
         ("resources/templates/list", "resourceTemplates"))


def server_command(flag: Path) -> list[str]:
    return [sys.executable, str(SURFACE_SERVER), "--flag", str(flag)]


def raw_surface(command: list[str]) -> Surface:
    """Everything the server shows an agent, exactly as on the wire (raw JSON-RPC over stdio)."""
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stdin, stdout = proc.stdin, proc.stdout
    assert stdin is not None and stdout is not None
    ids = iter(range(1, 1000))

    def ask(method: str, params: dict[str, Any]) -> dict[str, Any]:
        msg_id = next(ids)
        stdin.write(json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}).encode() + b"\n")
        stdin.flush()
        while (reply := json.loads(stdout.readline())).get("id") != msg_id:
            pass
        # a list the server does not offer (an error answer) is empty, as the scanner pins it
        result: dict[str, Any] = reply.get("result") or {}
        return result

    try:
        init = ask("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                  "clientInfo": {"name": "test", "version": "1"}})
        stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        lists: dict[str, list[dict[str, Any]]] = {}
        for method, field in LISTS:
            lists[field], cursor = [], None
            while True:
                page = ask(method, {"cursor": cursor} if cursor else {})
                lists[field] += page.get(field, [])
                if not (cursor := page.get("nextCursor")):
                    break
        return Surface(instructions=init.get("instructions"), tools=lists["tools"], prompts=lists["prompts"],
                       resources=lists["resources"], resource_templates=lists["resourceTemplates"])
    finally:
        stdin.close()
        proc.terminate()
        proc.wait(timeout=10)
        stdout.close()


def surface_pin(surface: Surface, *, item_level: bool = True) -> Pin:
    """An approval of exactly this surface, as the registry will pin it."""
    h = surface_hashes(surface)
    return Pin(state=ServerState.APPROVED, manifest_sha256=h.manifest_sha256, surface_sha256=h.surface_sha256,
               instructions_sha256=observe_surface(surface).instructions_sha256, tools=h.tools, prompts=h.prompts,
               resources=h.resources, resource_templates=h.resource_templates, item_level=item_level)


def signed_snapshot(folder: Path, server: str, pin: Pin) -> tuple[Path, Path]:
    """A format /2 snapshot pinning the surface (signed with a new key) and its public key file."""
    key = Ed25519PrivateKey.generate()
    approval = SnapshotApproval(
        server=server, manifest_sha256=pin.manifest_sha256 or "", tool_hashes=pin.tools, tool_level=pin.item_level,
        surface_sha256=pin.surface_sha256, instructions_sha256=pin.instructions_sha256, prompt_hashes=pin.prompts,
        resource_hashes=pin.resources, resource_template_hashes=pin.resource_templates,
    )
    data = sign_snapshot(key, [approval], issuer="https://registry.test", valid_for=dt.timedelta(hours=1))
    snap, pub = folder / "snapshot.json", folder / "registry.pub"
    snap.write_bytes(data)
    pub.write_text(public_key_base64(key) + "\n")
    return snap, pub


class FakeRegistry:
    """``POST /v1/verify`` answered by the contract: ``observe`` the request, ``decide`` on
    the pin, ``answer``. Records every request it decoded."""

    def __init__(self, ttl_s: float = 5.0) -> None:
        self.pins: dict[str, Pin] = {}
        self.requests: list[VerifyRequest] = []
        self.ttl_s = ttl_s

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return None
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        try:
            req = msgspec.json.decode(body, type=VerifyRequest)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            return await _respond(send, 422, {"detail": str(exc)})
        self.requests.append(req)
        pin = self.pins.get(req.server)
        reply = answer(decide(pin, observe(req)), pin, self.ttl_s)
        return await _respond(send, 200, msgspec.to_builtins(reply))

    def of(self, server: str) -> list[VerifyRequest]:
        return [r for r in self.requests if r.server == server]


async def _respond(send: Any, status: int, doc: Any) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(doc).encode()})


def running_fake_registry() -> Iterator[tuple[FakeRegistry, str]]:
    """The fake registry under uvicorn in a thread, on a free loopback port."""
    fake, port = FakeRegistry(), free_port()
    server = uvicorn.Server(uvicorn.Config(fake, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, what="the fake registry to start")
    try:
        yield fake, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Rig:
    """The enforcing proxy with ``options`` in front of the surface server. stdio: every
    client starts its own proxy and server; HTTP: one proxy and one upstream keep running."""

    def __init__(self, transport: str, folder: Path, options: list[str], env: dict[str, str]) -> None:
        self.transport = transport
        self.folder = folder
        self.flag = folder / "flag"
        self.options = options
        self.env = env
        self._upstream: Background | None = None
        self._proxy: Background | None = None
        self._upstream_port = free_port()
        self._proxy_port = free_port()

    def __enter__(self) -> Rig:
        if self.transport == "http":
            self._start_upstream()
            argv = [sys.executable, "-m", "gateway_enforcer", *self.options, "--upstream-url",
                    f"http://127.0.0.1:{self._upstream_port}/mcp", "--listen", f"127.0.0.1:{self._proxy_port}"]
            self._proxy = Background(argv, env=self.env, log=self.folder / "proxy.log")
            wait_for(lambda: port_open(self._proxy_port), timeout=30, what="the proxy to listen")
        return self

    def __exit__(self, *exc: object) -> None:
        for process in (self._proxy, self._upstream):
            if process is not None:
                process.stop()

    def _start_upstream(self) -> None:
        port_file = self.folder / "upstream.port"
        port_file.unlink(missing_ok=True)
        argv = [*server_command(self.flag), "--http", str(port_file), "--port", str(self._upstream_port)]
        self._upstream = Background(argv, log=self.folder / "upstream.log")
        wait_for(lambda: port_file.exists() and port_open(self._upstream_port), timeout=30,
                 what="the upstream to listen")

    def restart_upstream(self) -> None:
        """A new server process (it reads its instructions at start). stdio: the next client's."""
        if self._upstream is not None:
            self._upstream.stop()
            self._start_upstream()

    def client(self, mode: str = "auto") -> Client:
        if self.transport == "http":
            return Client(f"http://127.0.0.1:{self._proxy_port}/mcp", mode=mode)
        args = ["-m", "gateway_enforcer", *self.options, "--", *server_command(self.flag)]
        params = StdioServerParameters(command=sys.executable, args=args, env=self.env, cwd=str(ROOT))
        return Client(params, mode=mode)
