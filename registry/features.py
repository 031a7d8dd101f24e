"""Optional feature plug-ins, listed explicitly (no directory scanning).

Each module named here, when importable, exposes:

    def route_handlers(settings: Settings) -> Sequence[ControllerRouterHandler]
    async def on_startup(app: Litestar) -> None        # optional
    async def on_shutdown(app: Litestar) -> None       # optional

``create_app`` imports each module that exists; a module that is not there yet is
skipped silently, while an ImportError *inside* a present module is raised (a bug).
Handlers declare roles with ``opt=registry.auth.roles(...)`` (or ``opt=PUBLIC`` for
pages that do their own session auth); the app-level guard enforces them. The
runtime (engine, verify index, scan workers) is ``app.state["runtime"]``.

To add another feature, append its module path to this tuple.
"""

from __future__ import annotations

FEATURES: tuple[str, ...] = (
    "registry.web.plugin",  # review web page
    "registry.rescan.plugin",  # rescans, alerts, webhooks
    "registry.snapshot.plugin",  # signed snapshot endpoint
)
