"""``mcp-trust enforce``: run the enforcing MCP proxy in front of one server.

stdio:  mcp-trust enforce --server NAME --registry URL -- COMMAND ARG...
HTTP:   mcp-trust enforce --server NAME --registry URL --upstream-url URL --listen HOST:PORT
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import Any

from gateway_enforcer.errors import EnforcerError

EPILOG = """\
examples:
  mcp-trust enforce --server io.github.acme/crm --registry https://mcp-registry.internal \\
      --token-env MCP_TRUST_TOKEN -- npx -y @acme/crm-mcp
  mcp-trust enforce --server io.github.acme/crm --registry https://mcp-registry.internal \\
      --upstream-url http://127.0.0.1:3001/mcp --listen 127.0.0.1:8931
  mcp-trust enforce --server io.github.acme/crm --snapshot approvals.json \\
      --public-key registry-ed25519.pub -- python -m acme_crm   # offline, no registry

The registry is asked about everything the server shows agents (tools, prompts,
resources, resource templates, instructions) on each list, tools/call, prompts/get
and resources/read once its last answer (cached at most --cache-ttl seconds)
expired. Registry unreachable: everything is blocked (fail closed) unless
--snapshot or --fail-open-grace says otherwise.
"""


class UsageError(EnforcerError):
    exit_code = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    add = parser.add_argument
    add("--server", required=True, help="the server's registry name, e.g. io.github.acme/crm")
    add("--registry", metavar="URL", help="base URL of the mcp-trust registry")
    add("--token-env", metavar="VAR", default="MCP_TRUST_TOKEN",
        help="environment variable holding the gateway token (default: %(default)s)")
    add("--mode", choices=("strict", "tool-level"), default="strict",
        help="on drift block the whole server (strict, default) or only changed items")
    add("--principal", metavar="P", help="who is using the server (sent to the registry)")
    add("--contact", metavar="TEXT", help="whom blocked users should ask (shown in errors)")
    add("--fail-open-grace", metavar="SECONDS", type=float,
        help="registry unreachable: keep allowing for SECONDS (logged at WARNING every time)")
    add("--cache-ttl", metavar="SECONDS", type=float, default=5.0,
        help="cap on how long a registry answer is reused (default: %(default)s)")
    add("--snapshot", metavar="FILE", help="signed approvals snapshot for offline decisions")
    add("--public-key", metavar="FILE", help="registry's Ed25519 public key (PEM or raw base64)")
    add("--public-key-base64", metavar="KEY", help="the same key given inline, base64")
    add("--pass-env", metavar="VAR", action="append", default=[],
        help="also pass VAR to the upstream server (its environment is scrubbed otherwise)")
    add("--upstream-url", metavar="URL", help="streamable HTTP upstream (HTTP mode)")
    add("--listen", metavar="HOST:PORT", help="where the HTTP proxy listens (HTTP mode)")
    add("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    add("command", nargs=argparse.REMAINDER, help="-- COMMAND ARG... (stdio mode)")


def _build_enforcer(args: argparse.Namespace) -> Any:
    from gateway_enforcer.enforcer import Enforcer
    from gateway_enforcer.snapshot import load_public_key, load_snapshot_file

    snapshot = None
    if args.snapshot:
        if not (args.public_key or args.public_key_base64):
            raise UsageError("--snapshot needs --public-key or --public-key-base64")
        key = load_public_key(path=args.public_key, base64_key=args.public_key_base64)
        snapshot = load_snapshot_file(args.snapshot, key)
    if not args.registry and snapshot is None:
        raise UsageError("give --registry URL, or --snapshot FILE with --public-key")
    token = os.environ.get(args.token_env) if args.registry else None
    if args.registry and not token:
        raise UsageError(f"no gateway token: set {args.token_env} (or choose --token-env VAR)")
    return Enforcer(
        args.registry, token=token, mode=args.mode, fail_open_grace_s=args.fail_open_grace,
        snapshot=snapshot, max_cache_ttl_s=args.cache_ttl,
    )


def _command(args: argparse.Namespace) -> list[str]:
    argv = list(args.command)
    if argv and argv[0] == "--":
        argv = argv[1:]
    return argv


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=args.log_level, stream=sys.stderr, format="mcp-trust enforce: %(levelname)s %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per verify call is noise
    argv = _command(args)
    http_mode = bool(args.upstream_url or args.listen)
    if http_mode and argv:
        raise UsageError("choose stdio (-- COMMAND ...) or HTTP (--upstream-url/--listen), not both")
    if http_mode and not (args.upstream_url and args.listen):
        raise UsageError("HTTP mode needs both --upstream-url URL and --listen HOST:PORT")
    if not http_mode and not argv:
        raise UsageError("nothing to run: give -- COMMAND ARG... or --upstream-url/--listen")
    enforcer = _build_enforcer(args)
    from gateway_enforcer.gate import DEFAULT_CONTACT, SurfaceGate

    def make_gate() -> SurfaceGate:
        return SurfaceGate(enforcer, server=args.server, principal=args.principal,
                        contact=args.contact or DEFAULT_CONTACT)

    if http_mode:
        from gateway_enforcer.proxy_http import serve_http

        host, _, port = args.listen.rpartition(":")
        if not host or not port.isdigit():
            raise UsageError(f"--listen wants HOST:PORT, got {args.listen!r}")
        return serve_http(make_gate, args.upstream_url, host, int(port))
    from gateway_enforcer.childproc import scrubbed_env
    from gateway_enforcer.proxy_stdio import serve_stdio

    env = scrubbed_env(keep=args.pass_env)
    return asyncio.run(serve_stdio(make_gate(), argv, env))
