"""Recorded-shape third-party answers (tests/assets/trust) and the respx routes serving them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import respx

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "trust"
PYPI = "https://pypi.test"
NPM = "https://npm.test"
GITHUB_API = "https://api.github.test"
WHEEL = "weather_mcp-1.2.0-py3-none-any.whl"
SDIST = "weather_mcp-1.2.0.tar.gz"


def asset(name: str) -> Any:
    return json.loads((ASSETS / name).read_text())


def route_all(
    router: respx.MockRouter,
    *,
    packument: dict[str, Any] | None = None,
    provenance: dict[str, Any] | None = None,
    github: dict[str, Any] | None = None,
) -> None:
    """Serve the weather server's registry and forge answers."""
    router.get(f"{PYPI}/pypi/weather-mcp/json").respond(json=asset("pypi-weather-mcp.json"))
    router.get(f"{PYPI}/pypi/weather-mcp/1.2.0/json").respond(json=asset("pypi-weather-mcp-1.2.0.json"))
    for fn in (WHEEL, SDIST):
        router.get(f"{PYPI}/integrity/weather-mcp/1.2.0/{fn}/provenance").respond(
            json=provenance or asset(f"pypi-provenance-{fn}.json")
        )
    router.get(f"{PYPI}/simple/weather-mcp/").respond(json=asset("pypi-simple-weather-mcp.json"))
    router.get(f"{NPM}/@acme%2Fweather-mcp").respond(json=packument or asset("npm-weather-mcp.json"))
    router.get(f"{NPM}/-/npm/v1/attestations/@acme%2Fweather-mcp@2.0.1").respond(
        json=asset("npm-attestations-weather-mcp-2.0.1.json")
    )
    router.get(f"{GITHUB_API}/repos/acme/weather").respond(json=github or asset("github-repo-acme-weather.json"))


def client() -> httpx.Client:
    return httpx.Client(timeout=5)
