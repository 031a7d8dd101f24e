"""One Controller per resource; every handler is a few lines calling ``views``.

Roles per route are declared in ``opt`` (checked by ``registry.auth.role_guard``).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

from litestar import Controller, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from registry.api import schemas as s
from registry.api import views
from registry.api.common import Page, PrincipalDep, RuntimeDep, mutate, run_db
from registry.auth import roles
from registry.services.checkpoints import Checkpoint
from registry.services.sandboxing import require_sandbox
from registry.services.servers import MAX_ROW_ID
from registry.services.submissions import SubmitRequest

READERS = roles("admin", "reviewer", "submitter", "auditor")
REVIEWERS = roles("admin", "reviewer")
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
Limit = Annotated[int, QueryParameter(ge=1, le=200)]
StateQ = Annotated[str | None, QueryParameter(name="state", max_length=20)]
ReviewId = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]
# server names contain "/", sent URL-encoded (io.github.acme%2Fcrm) like the official registry
ServerName = Annotated[str, PathParameter(max_length=400)]


class SubmissionController(Controller):
    path = "/v1/submissions"
    tags = ["submissions"]  # noqa: RUF012 - Litestar reads this class attribute

    @post("/", status_code=HTTP_202_ACCEPTED, opt=roles("admin", "reviewer", "submitter"))
    async def submit(
        self, data: JSONBody[SubmitRequest], runtime: RuntimeDep, principal: PrincipalDep
    ) -> s.SubmissionOut:
        require_sandbox(runtime.settings, data, principal)  # 422 where package/command scans cannot be confined
        out = await mutate(runtime, views.submit, data, principal, runtime.settings.allow_scan_network)
        runtime.scans.enqueue(out.scan_id)
        return out


class ServerController(Controller):
    path = "/v1/servers"
    tags = ["servers"]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", opt=READERS)
    async def list_servers(
        self,
        runtime: RuntimeDep,
        cursor: Cursor = None,
        limit: Limit = 50,
        state_filter: StateQ = None,
    ) -> Page[s.ServerSummary]:
        return await run_db(runtime, views.list_servers, cursor, limit, state_filter)

    @get("/{name:str}", opt=READERS)
    async def get_server(self, runtime: RuntimeDep, name: ServerName) -> s.ServerDetail:
        return await run_db(runtime, views.server_detail, unquote(name))

    @post("/{name:str}/revoke", status_code=HTTP_200_OK, opt=REVIEWERS)
    async def revoke(
        self, runtime: RuntimeDep, principal: PrincipalDep, name: ServerName, data: JSONBody[s.OptionalReasonIn]
    ) -> s.ServerDetail:
        return await mutate(runtime, views.revoke, unquote(name), data, principal)

    @post("/{name:str}/decommission", status_code=HTTP_200_OK, opt=roles("admin"))
    async def decommission(
        self, runtime: RuntimeDep, principal: PrincipalDep, name: ServerName, data: JSONBody[s.OptionalReasonIn]
    ) -> s.ServerDetail:
        return await mutate(runtime, views.decommission, unquote(name), data, principal)

    @put("/{name:str}/owner", status_code=HTTP_200_OK, opt=roles("admin"))
    async def assign_owner(
        self, runtime: RuntimeDep, principal: PrincipalDep, name: ServerName, data: JSONBody[s.OwnerIn]
    ) -> s.ServerDetail:
        """Give the name to another person (audited as ``server.owner``)."""
        return await run_db(runtime, views.assign_owner, unquote(name), data, principal)


class ReviewController(Controller):
    path = "/v1/reviews"
    tags = ["reviews"]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", opt=roles("admin", "reviewer", "auditor"))
    async def queue(
        self,
        runtime: RuntimeDep,
        cursor: Cursor = None,
        limit: Limit = 50,
        state_filter: StateQ = None,
        sort: Annotated[str, QueryParameter(max_length=20)] = "age",
    ) -> Page[s.ReviewSummary]:
        return await run_db(runtime, views.list_reviews, state_filter, sort, cursor, limit)

    @get("/{review_id:int}", opt=roles("admin", "reviewer", "auditor"))
    async def detail(self, runtime: RuntimeDep, review_id: ReviewId) -> s.ReviewDetail:
        return await run_db(runtime, views.review_detail, review_id)

    @post("/{review_id:int}/approve", status_code=HTTP_200_OK, opt=REVIEWERS)
    async def approve(
        self, runtime: RuntimeDep, principal: PrincipalDep, review_id: ReviewId, data: JSONBody[s.ApproveIn]
    ) -> s.ApprovalOut:
        return await mutate(runtime, views.approve, review_id, data, principal)

    @post("/{review_id:int}/reject", status_code=HTTP_200_OK, opt=REVIEWERS)
    async def reject(
        self, runtime: RuntimeDep, principal: PrincipalDep, review_id: ReviewId, data: JSONBody[s.ReasonIn]
    ) -> s.ReviewDetail:
        return await mutate(runtime, views.reject, review_id, data, principal)


class TokenController(Controller):
    path = "/v1/tokens"
    tags = ["tokens"]  # noqa: RUF012 - Litestar reads this class attribute
    opt = roles("admin")

    @post("/", status_code=HTTP_201_CREATED)
    async def create(self, runtime: RuntimeDep, principal: PrincipalDep, data: JSONBody[s.TokenIn]) -> s.TokenCreated:
        return await mutate(runtime, views.create_token, data, principal)

    @get("/")
    async def list_tokens(self, runtime: RuntimeDep, cursor: Cursor = None, limit: Limit = 50) -> Page[s.TokenOut]:
        return await run_db(runtime, views.list_tokens, cursor, limit)

    @post("/{ident:str}/revoke", status_code=HTTP_200_OK)
    async def revoke(
        self, runtime: RuntimeDep, principal: PrincipalDep, ident: Annotated[str, PathParameter(max_length=100)]
    ) -> s.TokenOut:
        return await mutate(runtime, views.revoke_token, ident, principal)


class AuditController(Controller):
    path = "/v1/audit"
    tags = ["audit"]  # noqa: RUF012 - Litestar reads this class attribute
    opt = roles("admin", "auditor")

    @get("/")
    async def events(self, runtime: RuntimeDep, cursor: Cursor = None, limit: Limit = 50) -> Page[s.AuditEventOut]:
        return await run_db(runtime, views.list_audit, cursor, limit)

    @get("/verify")
    async def check(self, runtime: RuntimeDep) -> s.AuditCheckOut:
        return await run_db(runtime, views.check_audit)

    @post("/checkpoints", status_code=HTTP_201_CREATED)
    async def checkpoint(self, runtime: RuntimeDep) -> Checkpoint:
        """Sign the chain head now and write it to the configured checkpoint destinations."""
        return await runtime.checkpoints.write_now()


CONTROLLERS = (SubmissionController, ServerController, ReviewController, TokenController, AuditController)
