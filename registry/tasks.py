"""Stopping background tasks so that shutdown can never hang.

A plain ``task.cancel(); await task`` hangs forever when the task swallows the
cancellation: asyncio's cancel delivered inside an anyio cancel scope or task group
(as the MCP SDK's clients use) can be absorbed there, and a worker loop then goes
back to waiting on its queue. So the cancel is delivered again until the task ends,
within a bounded grace period, after which the task is abandoned with a warning.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger("registry")


async def cancel_and_wait(tasks: Iterable[asyncio.Task[Any]], *, grace_s: float = 10.0, every_s: float = 0.2) -> None:
    tasks = list(tasks)
    pending = {t for t in tasks if not t.done()}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace_s
    while pending and loop.time() < deadline:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=every_s)
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.warning("background task %s ended with %r", task.get_name(), task.exception())
    if pending:
        log.warning("%d background task(s) did not stop within %.0f s; abandoned", len(pending), grace_s)
