"""The closed set of reasons a failed scan may show to the person who submitted it.

A scan's error text can carry what the target said (an HTTP error body, a JSON-RPC
error message, a TLS alert, a resolver's answer), and a submitter who points the
registry at an internal address would read it back. So a failed network scan is
stored as one of these fixed phrases; the detailed text goes only to the operator's
log. ``public_reason`` judges by exception type (and our own fixed messages), never
by copying text out of the exception.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpcore2
import httpx2

from scanner.errors import ConnectionFailed, InstallFailed, ScannerError, ServerMisbehaved, SourceError
from scanner.fetch_http import HttpStatusFailed
from scanner.netguard import ADDRESS_NOT_ALLOWED, AddressNotAllowed, HostUnresolvable

COULD_NOT_CONNECT = "could not connect"
TIMED_OUT = "timed out"
TLS_ERROR = "TLS error"
UNRESOLVABLE = "the host name does not resolve"
PROTOCOL = "the server broke the MCP protocol"
LIMIT = "the server exceeded a scan limit"
INSTALL = "the package could not be installed"
UNUSABLE = "the source cannot be scanned"
FAILED = "the scan failed"
HTTP_ERROR = "HTTP error"

FIXED: frozenset[str] = frozenset(
    {ADDRESS_NOT_ALLOWED, COULD_NOT_CONNECT, TIMED_OUT, TLS_ERROR, UNRESOLVABLE, PROTOCOL, LIMIT}
    | {INSTALL, UNUSABLE, FAILED, HTTP_ERROR}
)
_MAX_CHAIN = 64


def is_public_reason(text: str) -> bool:
    """True for a phrase ``public_reason`` can return (``HTTP status NNN`` included)."""
    code = text.removeprefix("HTTP status ")
    return text in FIXED or (code != text and code.isdigit() and len(code) == 3)


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, its causes and contexts, and the members of exception groups (bounded)."""
    todo, seen = [exc], set[int]()
    while todo and len(seen) < _MAX_CHAIN:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        if isinstance(e, BaseExceptionGroup):
            todo.extend(e.exceptions)
        # contexts too, suppressed or not: libraries re-raise with "from None" and still
        # leave the real cause (an ssl error, say) there; only the class is read from it
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)


def _status(e: BaseException) -> int | None:
    if isinstance(e, HttpStatusFailed):
        return e.status
    if isinstance(e, httpx2.HTTPStatusError):
        return e.response.status_code
    return None


def _network_reason(chain: list[BaseException]) -> str | None:
    """What the wire says, most specific first: the guard, TLS, a status, time, the socket."""
    rules: tuple[tuple[str, tuple[type[BaseException], ...]], ...] = (
        (ADDRESS_NOT_ALLOWED, (AddressNotAllowed,)),
        (UNRESOLVABLE, (HostUnresolvable,)),
        (TLS_ERROR, (ssl.SSLError, ssl.CertificateError)),
    )
    for reason, kinds in rules:
        if any(isinstance(e, kinds) for e in chain):
            return reason
    for e in chain:
        status = _status(e)
        if status is not None:
            return f"HTTP status {status}" if 100 <= status <= 599 else HTTP_ERROR
    timeouts = (TimeoutError, httpx2.TimeoutException, httpcore2.TimeoutException)
    if any(isinstance(e, timeouts) for e in chain):
        return TIMED_OUT
    if any(isinstance(e, httpx2.TransportError | httpcore2.NetworkError | OSError) for e in chain):
        return COULD_NOT_CONNECT
    return None


def _own_message_reason(exc: BaseException) -> str:
    """By the scanner's error class; its own fixed wording picks timeouts and bounds."""
    text = str(exc)
    timed_out = "did not" in text and " within " in text
    if isinstance(exc, ServerMisbehaved):
        if timed_out:
            return TIMED_OUT
        return LIMIT if "more than" in text else PROTOCOL
    if isinstance(exc, ConnectionFailed):
        return TIMED_OUT if timed_out else COULD_NOT_CONNECT
    if isinstance(exc, InstallFailed):
        return INSTALL
    if isinstance(exc, SourceError):
        return UNUSABLE
    return FAILED


def public_reason(exc: BaseException) -> str:
    """The generic reason for a failed scan: one of ``FIXED`` or ``HTTP status NNN``."""
    chain = list(exception_chain(exc))
    own = next((e for e in chain if isinstance(e, ScannerError)), exc)
    if isinstance(own, InstallFailed | SourceError):
        # not a connection to the server: only the guard's refusal says more than the class
        guard = _network_reason([e for e in chain if isinstance(e, AddressNotAllowed | HostUnresolvable)])
        return guard or _own_message_reason(own)
    return _network_reason(chain) or _own_message_reason(own)
