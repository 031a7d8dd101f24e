"""Shared plumbing for controllers: dependencies, DB calls off the event loop, cursors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

import anyio.to_thread
import msgspec
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency

from registry.auth import Principal, current_principal
from registry.db import session_scope
from registry.errors import InvalidInput
from registry.runtime import Runtime
from registry.services.servers import MAX_ROW_ID

T = TypeVar("T")
RuntimeDep = NamedDependency[Runtime]
PrincipalDep = NamedDependency[Principal]
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
# ids and integer sort keys in a cursor fit their PostgreSQL integer columns
RowId = Annotated[int, msgspec.Meta(ge=0, le=MAX_ROW_ID)]
SortKey = float | Annotated[int, msgspec.Meta(ge=-MAX_ROW_ID, le=MAX_ROW_ID)] | None


class Page(msgspec.Struct, Generic[T], kw_only=True):
    items: list[T]
    next_cursor: str | None


def provide_runtime(state: State) -> Runtime:
    runtime: Runtime = state["runtime"]
    return runtime


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    return current_principal(request)


async def run_db(runtime: Runtime, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn(session, ...)`` in one transaction on a worker thread."""

    def call() -> T:
        with session_scope(runtime.engine) as session:
            return fn(session, *args, **kwargs)

    return await anyio.to_thread.run_sync(call)


async def mutate(runtime: Runtime, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A state change: commit, then refresh this replica's verify index at once."""
    result = await run_db(runtime, fn, *args, **kwargs)
    await runtime.refresh()
    return result


def encode_cursor(key: Any, last_id: int) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode([key, last_id])).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[Any, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, last = msgspec.json.decode(raw, type=tuple[SortKey, RowId])
    except (binascii.Error, ValueError, msgspec.DecodeError) as exc:
        raise InvalidInput(
            "cursor is not one this API returned", extra={"errors": [{"path": "cursor", "message": "invalid"}]}
        ) from exc
    return key, last


def clamp(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def page(items: list[T], limit: int, key: Callable[[T], Any], ident: Callable[[T], int]) -> Page[T]:
    """``items`` was fetched with ``limit + 1``: the extra row proves a next page exists."""
    more = len(items) > limit
    items = items[:limit]
    cursor = encode_cursor(key(items[-1]), ident(items[-1])) if more and items else None
    return Page(items=items, next_cursor=cursor)
