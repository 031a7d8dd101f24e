"""A bounded stdio transport for untrusted servers.

The SDK's own stdio client trusts the server's output (an unbounded line
buffer, parse errors logged and skipped). Here every byte is counted, a line
longer than ``max_message_bytes`` or output beyond ``max_stdout_bytes`` ends
the scan, anything that is not a JSON-RPC 2.0 message ends it too, and the
server's whole process group is killed at the end (SIGTERM, then SIGKILL).
The streams yielded are the ones ``mcp.ClientSession`` expects.

``launch`` says how the server starts: unconfined with a scrubbed environment and a
throwaway HOME, or inside bubblewrap (``scanner.sandbox``) seeing only the system,
its own runtime and its package (or the paths a person's command names).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from pathlib import Path
from typing import Any

import anyio
import anyio.abc
import mcp_types
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.os.posix.utilities import terminate_posix_process_tree
from mcp.shared.message import SessionMessage
from pydantic import ValidationError

from scanner.childenv import scrubbed_env, temp_home
from scanner.errors import ConnectionFailed, ScannerError, ServerMisbehaved
from scanner.limits import Limits
from scanner.sandbox import SANDBOX_HOME, Caps, Plan, confined
from scanner.sandbox_paths import Bind, named_binds, runtime_binds, system_binds
from scanner.sources import StdioSource

# After stdin closes, a well-behaved server exits on its own; we wait this long
# before signalling the group.
_GRACE_S = 0.5
_EXITING_GRACE_S = 3.0
_TERM_TO_KILL_S = 1.0


class StdioLink:
    """What the transport learnt: the first failure it saw and the server's stderr tail."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.failure: ScannerError | None = None
        self.stderr = bytearray()
        self.stdout_bytes = 0
        self.pid: int | None = None
        self.returncode: int | None = None
        self.stdout_eof = False
        self.exited_by_itself = False  # it closed stdout and exited before we stopped it

    def fail(self, error: ScannerError) -> None:
        if self.failure is None:
            self.failure = error

    def stderr_tail(self) -> str:
        lines = bytes(self.stderr).decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:300] if lines else ""


def parse_message(line: bytes) -> SessionMessage:
    """One stdout line as a JSON-RPC message, or ``ServerMisbehaved`` saying why not."""
    try:
        obj: Any = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        snippet = line[:60].decode("utf-8", "replace")
        raise ServerMisbehaved(f"server wrote a line that is not JSON ({exc}): {snippet!r}") from exc
    if not isinstance(obj, dict) or obj.get("jsonrpc") != "2.0":
        raise ServerMisbehaved("server wrote JSON that is not a JSON-RPC 2.0 message")
    try:
        message = mcp_types.jsonrpc_message_adapter.validate_python(obj, by_name=False)
    except ValidationError as exc:
        raise ServerMisbehaved(f"server wrote an invalid JSON-RPC message: {_first_error(exc)}") from exc
    return SessionMessage(message)


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return str(exc).splitlines()[0]
    err = errors[0]
    return f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', '')}"


async def _pump_stdout(
    process: anyio.abc.Process,
    link: StdioLink,
    sink: MemoryObjectSendStream[SessionMessage | Exception],
) -> None:
    assert process.stdout is not None
    limits = link.limits
    buffer = bytearray()
    async with sink:
        try:
            async for chunk in process.stdout:
                link.stdout_bytes += len(chunk)
                if link.stdout_bytes > limits.max_stdout_bytes:
                    raise ServerMisbehaved(f"server wrote more than {limits.max_stdout_bytes} bytes to stdout")
                buffer += chunk
                while (nl := buffer.find(b"\n")) >= 0:
                    line = bytes(buffer[:nl]).strip()
                    del buffer[: nl + 1]
                    if line:
                        await sink.send(parse_message(line))
                if len(buffer) > limits.max_message_bytes:
                    raise ServerMisbehaved(f"server wrote a message longer than {limits.max_message_bytes} bytes")
            link.stdout_eof = True
        except ScannerError as exc:
            link.fail(exc)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            return


async def _pump_stderr(process: anyio.abc.Process, link: StdioLink) -> None:
    assert process.stderr is not None
    with suppress(anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
        async for chunk in process.stderr:
            room = link.limits.max_stderr_bytes - len(link.stderr)
            if room > 0:
                link.stderr += chunk[:room]  # the rest is drained so the server never blocks


async def _pump_stdin(process: anyio.abc.Process, source: MemoryObjectReceiveStream[SessionMessage]) -> None:
    assert process.stdin is not None
    with suppress(anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
        async with source:
            async for message in source:
                data = message.message.model_dump_json(by_alias=True, exclude_unset=True)
                await process.stdin.send(data.encode() + b"\n")


async def _stop(process: anyio.abc.Process, link: StdioLink) -> None:
    """Close stdin, give the server a moment, then end its whole process group.

    The group is signalled even when the leader already exited: a grandchild
    it spawned keeps the group alive and must not outlive the scan."""
    eof_first = link.stdout_eof
    if process.stdin is not None:
        with suppress(OSError, anyio.BrokenResourceError, anyio.ClosedResourceError):
            await process.stdin.aclose()
    # A server that closed stdout is on its way out: give it longer, so its exit
    # code (often the best clue in an error message) is seen before we signal it.
    with anyio.move_on_after(_EXITING_GRACE_S if eof_first else _GRACE_S):
        while process.returncode is None:
            await anyio.sleep(0.02)
    link.exited_by_itself = eof_first and process.returncode is not None
    await terminate_posix_process_tree(process, _TERM_TO_KILL_S)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with anyio.move_on_after(2.0):
        await process.wait()
    link.returncode = process.returncode


@dataclasses.dataclass(frozen=True)
class Launch:
    """How to start a server process: the command line, its environment and folder, and
    the descriptors it inherits (bubblewrap's options)."""

    argv: list[str]
    env: dict[str, str]
    cwd: str | None = None
    pass_fds: tuple[int, ...] = ()


def _resolve(source: StdioSource, env: dict[str, str]) -> str:
    """The absolute executable: looked up on the server's PATH, or a path given as such."""
    cmd = source.argv[0]
    exe = shutil.which(cmd, path=env["PATH"])
    if exe is None and "/" in cmd and (Path(source.cwd or ".") / cmd).is_file():
        exe = str(Path(source.cwd or ".") / cmd)
    if exe is None:
        raise ConnectionFailed(f"command not found: {cmd!r}")
    return str(Path(exe).absolute())


def server_plan(source: StdioSource, argv: list[str], limits: Limits, search_path: str) -> Plan:
    """What a sandboxed server sees: the system, its runtime, then its installed package's
    folder, or else the paths its command names (a person's command, not a stranger's)."""
    binds, links = system_binds()
    binds += runtime_binds(argv[0], search_path)
    chdir: str | None = None
    if source.package_prefix is not None:
        binds.append(Bind(source.package_prefix, source.package_prefix))
    else:
        chdir = str(Path(source.cwd or Path.cwd()).absolute())
        binds += named_binds(argv, chdir)
        if source.cwd:
            binds.append(Bind(chdir, chdir))
    return Plan(
        binds=tuple(binds), links=tuple(links), caps=Caps.from_limits(limits), hide=source.confinement.hide, chdir=chdir
    )


@contextmanager
def launch(source: StdioSource, sandbox: str, limits: Limits) -> Iterator[Launch]:
    """How to start ``source``'s server under ``sandbox`` (``bwrap`` or ``none``)."""
    if sandbox != "bwrap":
        with temp_home() as home:
            env = scrubbed_env(source.env, home)
            yield Launch(argv=[_resolve(source, env), *source.argv[1:]], env=env, cwd=source.cwd)
        return
    env = scrubbed_env(source.env, SANDBOX_HOME)
    argv = [_resolve(source, env), *source.argv[1:]]
    plan = server_plan(source, argv, limits, env["PATH"])
    with confined(plan, argv, env, bwrap=source.confinement.bwrap) as (cmd, fd):
        yield Launch(argv=cmd, env={"PATH": os.defpath}, pass_fds=(fd,))


@asynccontextmanager
async def open_stdio(
    spec: Launch, link: StdioLink
) -> AsyncIterator[
    tuple[MemoryObjectReceiveStream[SessionMessage | Exception], MemoryObjectSendStream[SessionMessage]]
]:
    try:
        process = await anyio.open_process(
            spec.argv,
            env=spec.env,
            cwd=spec.cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, so we can end all of it
            pass_fds=spec.pass_fds,
        )
    except OSError as exc:
        raise ConnectionFailed(f"cannot start {spec.argv[0]!r}: {exc.strerror or exc}") from exc
    link.pid = process.pid
    read_send, read_recv = anyio.create_memory_object_stream[SessionMessage | Exception](16)
    write_send, write_recv = anyio.create_memory_object_stream[SessionMessage](16)
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(_pump_stdout, process, link, read_send)
            tg.start_soon(_pump_stderr, process, link)
            tg.start_soon(_pump_stdin, process, write_recv)
            try:
                yield read_recv, write_send
            finally:
                with anyio.CancelScope(shield=True):
                    write_send.close()
                    read_recv.close()
                    await _stop(process, link)
                tg.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await _aclose_process(process)


async def _aclose_process(process: anyio.abc.Process) -> None:
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with suppress(Exception):
                await stream.aclose()
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    # Close the asyncio transport now; left to the garbage collector it complains
    # about a closed event loop. Nothing public exposes it (the SDK does the same).
    transport = getattr(getattr(process, "_process", None), "_transport", None)
    close = getattr(transport, "close", None)
    if callable(close):
        with suppress(PermissionError, ProcessLookupError, RuntimeError):
            close()
