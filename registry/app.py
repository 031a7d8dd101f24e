"""The app factory: ``create_app(settings) -> Litestar``.

Extension points for the engineers building on the registry:
- ``create_app(settings, extra_route_handlers=(), on_startup=(), on_shutdown=())``
- ``registry.features.FEATURES``: plug-in modules imported when present.
Startup order: migrations -> bootstrap admin token (empty registry only) -> verify
index and token store loaded -> scan workers and change listener -> plug-in hooks.
"""

from __future__ import annotations

import importlib
import logging
import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from types import ModuleType
from typing import Any

import anyio.to_thread
from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.types import ControllerRouterHandler

from registry.api.common import provide_principal, provide_runtime
from registry.api.controllers import CONTROLLERS
from registry.api.verify import verify
from registry.auth import role_guard
from registry.db import make_engine, session_scope
from registry.errors import document_problems, exception_handlers
from registry.features import FEATURES
from registry.runtime import Runtime
from registry.settings import Settings

log = logging.getLogger("registry")
Hook = Callable[[Litestar], Awaitable[None]]


class RegistryApp(Litestar):
    """Litestar, plus one routing rule of the contract: server names contain "/", sent
    URL-encoded (``/v1/servers/io.github.acme%2Fcrm``) like the official registry's.
    ASGI servers hand us a decoded ``path``; we route on ``raw_path`` for that segment,
    so ``{name:str}`` sees ``io.github.acme%2Fcrm`` and handlers ``unquote`` it
    (``registry.api.common.ServerName``)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            keep_encoded_name(scope)
        await super().__call__(scope, receive, send)


def keep_encoded_name(scope: Any) -> None:
    raw = scope.get("raw_path") or b""
    if not raw.startswith(b"/v1/servers/"):
        return
    parts = raw.split(b"?", 1)[0].decode("latin-1").split("/")
    if len(parts) < 4:
        return
    name = parts[3].replace("%2f", "%2F")
    rest = [urllib.parse.unquote(p) for p in parts[4:]]
    scope["path"] = "/".join(["", "v1", "servers", name, *rest])


def prepare_database(settings: Settings) -> str | None:
    """Migrate, and on an empty registry create the bootstrap admin token (returned once)."""
    from registry import migrate
    from registry.services.tokens import bootstrap_admin

    engine = make_engine(settings.database_url)
    try:
        if settings.run_migrations:
            migrate.upgrade(engine)
        if not settings.bootstrap_admin:
            return None
        with session_scope(engine) as session:
            return bootstrap_admin(session)
    finally:
        engine.dispose()


def load_features(names: Sequence[str] = FEATURES) -> list[ModuleType]:
    found = []
    for name in names:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise  # the plug-in exists but something it imports does not
    return found


def create_app(
    settings: Settings,
    extra_route_handlers: Sequence[ControllerRouterHandler] = (),
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    features: Sequence[str] = FEATURES,
) -> Litestar:
    plugins = load_features(features)
    handlers: list[ControllerRouterHandler] = [*CONTROLLERS, verify, *extra_route_handlers]
    starts: list[Hook] = list(on_startup)
    stops: list[Hook] = list(on_shutdown)
    for mod in plugins:
        handlers.extend(mod.route_handlers(settings))
        if hasattr(mod, "on_startup"):
            starts.append(mod.on_startup)
        if hasattr(mod, "on_shutdown"):
            stops.append(mod.on_shutdown)

    async def startup(app: Litestar) -> None:
        from registry.services.sandboxing import startup_warning

        warning = startup_warning(settings)
        if warning:
            log.warning("%s", warning)
        token = await anyio.to_thread.run_sync(prepare_database, settings)
        app.state["bootstrap_admin_token"] = token
        runtime = Runtime(settings, make_engine(settings.database_url))
        app.state["runtime"] = runtime
        app.state["tokens"] = runtime.tokens
        app.state["oidc"] = runtime.oidc
        await runtime.start()
        for hook in starts:
            await hook(app)

    async def shutdown(app: Litestar) -> None:
        for hook in stops:
            await hook(app)
        runtime: Runtime | None = app.state.get("runtime")
        if runtime is not None:
            await runtime.stop()
            runtime.engine.dispose()

    app = RegistryApp(
        route_handlers=handlers,
        on_startup=[startup],
        on_shutdown=[shutdown],
        guards=[role_guard],
        dependencies={
            "runtime": Provide(provide_runtime, sync_to_thread=False),
            "principal": Provide(provide_principal, sync_to_thread=False),
        },
        exception_handlers=exception_handlers(),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="mcp-trust registry",
            version="1",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        ),
        state=_initial_state(settings),
        debug=False,
    )
    document_problems(app)
    return app


def _initial_state(settings: Settings) -> Any:
    from litestar.datastructures import State

    return State({"settings": settings})
