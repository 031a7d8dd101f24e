"""``/v1/alerts`` and ``/v1/webhooks``: thin handlers over ``registry.alerts.service``."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from registry.alerts import service
from registry.alerts.schemas import AcknowledgeIn, AlertDetail, WebhookCreated, WebhookIn, WebhookOut
from registry.api.common import Page, PrincipalDep, RuntimeDep, run_db
from registry.api.schemas import AlertOut
from registry.auth import roles
from registry.services.servers import MAX_ROW_ID

WATCHERS = roles("admin", "reviewer", "auditor")
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
Limit = Annotated[int, QueryParameter(ge=1, le=200)]
KindQ = Annotated[str | None, QueryParameter(max_length=40)]
ServerQ = Annotated[str | None, QueryParameter(max_length=201)]
AckQ = Annotated[bool | None, QueryParameter()]
Ident = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]


class AlertController(Controller):
    path = "/v1/alerts"
    tags = ["alerts"]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", opt=WATCHERS)
    async def list_alerts(self, runtime: RuntimeDep, *, cursor: Cursor = None, limit: Limit = 50,
                          kind: KindQ = None, server: ServerQ = None,
                          acknowledged: AckQ = None) -> Page[AlertOut]:
        return await run_db(runtime, service.list_alerts, kind=kind, server=server,
                            acknowledged=acknowledged, cursor=cursor, limit=limit)

    @get("/{alert_id:int}", opt=WATCHERS)
    async def detail(self, runtime: RuntimeDep, alert_id: Ident) -> AlertDetail:
        return await run_db(runtime, service.alert_detail, alert_id)

    @post("/{alert_id:int}/acknowledge", status_code=HTTP_200_OK, opt=roles("admin", "reviewer"))
    async def acknowledge(self, runtime: RuntimeDep, principal: PrincipalDep, alert_id: Ident,
                          data: JSONBody[AcknowledgeIn]) -> AlertDetail:
        return await run_db(runtime, service.acknowledge, alert_id, data.reason, principal)


class WebhookController(Controller):
    path = "/v1/webhooks"
    tags = ["webhooks"]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", opt=roles("admin"))
    async def list_webhooks(self, runtime: RuntimeDep) -> list[WebhookOut]:
        return await run_db(runtime, service.list_webhooks)

    @post("/", status_code=HTTP_201_CREATED, opt=roles("admin"))
    async def create(self, runtime: RuntimeDep, principal: PrincipalDep,
                     data: JSONBody[WebhookIn]) -> WebhookCreated:
        return await run_db(runtime, service.create_webhook, data, principal)

    @delete("/{webhook_id:int}", status_code=HTTP_200_OK, opt=roles("admin"))
    async def disable(self, runtime: RuntimeDep, principal: PrincipalDep,
                      webhook_id: Ident) -> WebhookOut:
        return await run_db(runtime, service.delete_webhook, webhook_id, principal)
