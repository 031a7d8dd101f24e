"""``mcp-trust serve``: run the registry (embedded SQLite by default)."""

from __future__ import annotations

import argparse
import sys

from registry.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Start the registry service. The first start of an empty registry prints an admin "
        "token once. Database: --database-url, else MCP_TRUST_DATABASE_URL, else a SQLite "
        "file under MCP_TRUST_DATA_DIR (default ./var)."
    )
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8420)")
    parser.add_argument("--database-url", help="sqlite:///PATH or postgresql+psycopg://USER@HOST/DB")
    parser.add_argument(
        "--unconfined-scans",
        action="store_true",
        default=None,
        help="let package and command scans run WITHOUT bubblewrap where it is missing (a submitter's "
        "code then runs as this registry's user; for development machines only)",
    )
    parser.add_argument(
        "--allow-scan-network",
        action="append",
        metavar="CIDR",
        help="let URL scans reach this private/loopback range (repeatable; default: none)",
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from registry.app import create_app, prepare_database
    from registry.services.checkpoint_writer import describe as describe_checkpoints

    settings = Settings.from_env(
        host=args.host,
        port=args.port,
        database_url=args.database_url,
        unconfined_scans=args.unconfined_scans,
        allow_scan_network=tuple(args.allow_scan_network) if args.allow_scan_network else None,
    )
    token = prepare_database(settings)
    url = settings.public_url
    print(f"mcp-trust registry: {url}")
    print(f"OpenAPI:            {url}/schema  (Swagger UI: {url}/schema/swagger)")
    print(f"review page:        {url}/ui/")
    print(f"database:           {_redacted(settings.database_url)}")
    print(f"audit checkpoints:  {describe_checkpoints(settings)}")
    if token:
        print(f"bootstrap admin token (shown once, store it now): {token}")
    sys.stdout.flush()
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level)
    return 0


def _redacted(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
