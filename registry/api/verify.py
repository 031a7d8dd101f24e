"""``POST /v1/verify``: answered from the in-memory index; side effects go to a queue."""

from __future__ import annotations

from litestar import post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from registry.api.common import PrincipalDep, RuntimeDep
from registry.auth import roles
from registry.services.verify import VerifyAnswer, VerifyRequest, check_request


@post("/v1/verify", status_code=HTTP_200_OK, opt=roles("gateway", "admin"), tags=["verify"])
async def verify(data: JSONBody[VerifyRequest], runtime: RuntimeDep, principal: PrincipalDep) -> VerifyAnswer:
    """Ask whether a gateway may connect to a server with the tools it sees right now."""
    check_request(data)
    outcome = runtime.index.decide(data)
    runtime.record_verify(data, principal.actor, outcome.answer.reason, outcome.observed_sha)
    return outcome.answer
