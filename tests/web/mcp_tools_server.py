"""A streamable-HTTP MCP server (official SDK) whose tools are read from a JSON file on
every ``tools/list``: the web tests rewrite the file to make the server drift.

    python mcp_tools_server.py TOOLS_JSON PORTFILE

Listens on 127.0.0.1 on a free port, written to PORTFILE once the socket is bound.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

from mcp.server.lowlevel import Server

TOOLS = Path(sys.argv[1])


async def list_tools(ctx: Any, params: Any) -> dict[str, Any]:
    tools: list[dict[str, Any]] = json.loads(TOOLS.read_text(encoding="utf-8"))
    return {"tools": tools}


def main() -> None:
    import uvicorn

    server: Server[Any] = Server("web-fixture-server", version="1.0.0", on_list_tools=list_tools)  # type: ignore[arg-type]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port_file = Path(sys.argv[2])
    tmp = port_file.with_suffix(".tmp")
    tmp.write_text(str(sock.getsockname()[1]))
    tmp.rename(port_file)
    config = uvicorn.Config(server.streamable_http_app(), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
