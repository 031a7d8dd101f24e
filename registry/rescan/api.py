"""``POST /v1/servers/{name}/rescan`` (reviewer/admin): run one rescan now and answer
with its outcome. Scheduled and manual rescans share the lease row, so a manual
rescan of a server whose scheduled rescan is running gets 409, never a second scan."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote

from litestar import Controller, Request, post
from litestar.params import PathParameter
from litestar.status_codes import HTTP_200_OK

from registry.api.common import RuntimeDep
from registry.auth import roles
from registry.rescan.runner import RunResult
from registry.rescan.service import RescanService
from registry.runtime import Runtime

# server names contain "/", sent URL-encoded (io.github.acme%2Fcrm)
ServerName = Annotated[str, PathParameter(max_length=201)]


class RescanController(Controller):
    path = "/v1/servers"
    tags = ["servers"]  # noqa: RUF012 - Litestar reads this class attribute

    @post("/{name:str}/rescan", status_code=HTTP_200_OK, opt=roles("admin", "reviewer"))
    async def rescan(self, request: Request[Any, Any, Any], runtime: RuntimeDep,
                     name: ServerName) -> RunResult:
        return await _rescan(request, runtime, unquote(name))  # the router keeps %2F encoded

    # the ASGI path arrives percent-decoded, so "io.github.acme%2Fcrm" may reach the
    # router as two segments; names have exactly one "/", so this form is unambiguous
    @post("/{namespace:str}/{short:str}/rescan", status_code=HTTP_200_OK,
          opt=roles("admin", "reviewer"), include_in_schema=False)
    async def rescan_split(self, request: Request[Any, Any, Any], runtime: RuntimeDep,
                           namespace: ServerName, short: ServerName) -> RunResult:
        return await _rescan(request, runtime, f"{namespace}/{short}")


async def _rescan(request: Request[Any, Any, Any], runtime: Runtime, name: str) -> RunResult:
    rescans: RescanService = request.app.state["rescans"]
    result = await rescans.rescan_now(name)
    await runtime.refresh()  # a drift found here reaches this replica's verify at once
    return result
