"""Registry and forge facts from recorded-shape answers (respx; placeholder hosts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
import respx

from scanner.trust.evidence import Fetcher
from scanner.trust.registry_facts import (
    PackageRef,
    github_facts,
    npm_facts,
    package_facts,
    pypi_facts,
    repo_key,
    same_repo,
)
from tests.trust.gitrepo import NOW
from tests.trust.payloads import GITHUB_API, NPM, PYPI, SDIST, WHEEL, asset, client

PYPI_REF = PackageRef(registry_type="pypi", identifier="weather-mcp", version="1.2.0", base_url=PYPI)
NPM_REF = PackageRef(registry_type="npm", identifier="@acme/weather-mcp", version="2.0.1", base_url=NPM)


def _pypi_routes(
    router: respx.MockRouter,
    provenance: dict[str, Any] | None = None,
    simple: dict[str, Any] | None = None,
) -> None:
    router.get(f"{PYPI}/pypi/weather-mcp/json").respond(json=asset("pypi-weather-mcp.json"))
    router.get(f"{PYPI}/simple/weather-mcp/").respond(json=simple or asset("pypi-simple-weather-mcp.json"))
    router.get(f"{PYPI}/pypi/weather-mcp/1.2.0/json").respond(json=asset("pypi-weather-mcp-1.2.0.json"))
    for fn in (WHEEL, SDIST):
        route = router.get(f"{PYPI}/integrity/weather-mcp/1.2.0/{fn}/provenance")
        if provenance is None:
            route.respond(json=asset(f"pypi-provenance-{fn}.json"))
        else:
            route.respond(404, json={"message": "No provenance available"})


def test_pypi_facts_read_trusted_publishing_attestations_and_the_ownership_marker() -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        _pypi_routes(router)
        facts = pypi_facts(PYPI_REF, Fetcher(http, now=NOW))
    assert facts.state == "fetched"
    assert (facts.files_total, facts.files_attested) == (2, 2)
    assert facts.trusted_publisher is True
    assert facts.attested_repositories == ("acme/weather",)
    assert facts.ownership_marker == "io.github.acme/weather"
    assert facts.declared_repository == "https://github.test/acme/weather"
    assert [t.date() for t in facts.release_times] == [dt.date(2026, 3, 2), dt.date(2026, 7, 15), dt.date(2026, 11, 10)]
    assert facts.vulnerabilities == ()
    assert f"{PYPI}/integrity/weather-mcp/1.2.0/{WHEEL}/provenance" in facts.evidence


def test_a_pypi_release_without_the_provenance_earlier_releases_had_is_a_trust_downgrade() -> None:
    simple = asset("pypi-simple-weather-mcp.json")
    for file in simple["files"]:
        if "1.2.0" in file["filename"]:
            file["provenance"] = None
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        _pypi_routes(router, provenance={}, simple=simple)
        facts = pypi_facts(PYPI_REF, Fetcher(http, now=NOW))
    assert (facts.files_total, facts.files_attested, facts.trusted_publisher) == (2, 0, False)
    assert facts.trust_downgrade is True
    assert facts.project_status == "active"


def test_a_fully_attested_pypi_release_is_no_downgrade() -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        _pypi_routes(router)
        facts = pypi_facts(PYPI_REF, Fetcher(http, now=NOW))
    assert facts.trust_downgrade is False and f"{PYPI}/simple/weather-mcp/" in facts.evidence


def test_npm_facts_take_the_source_repository_from_the_slsa_provenance() -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        router.get(f"{NPM}/@acme%2Fweather-mcp").respond(json=asset("npm-weather-mcp.json"))
        router.get(f"{NPM}/-/npm/v1/attestations/@acme%2Fweather-mcp@2.0.1").respond(
            json=asset("npm-attestations-weather-mcp-2.0.1.json")
        )
        facts = npm_facts(NPM_REF, Fetcher(http, now=NOW))
    assert facts.state == "fetched"
    assert facts.attested_repositories == ("https://github.test/acme/weather",)
    assert facts.trusted_publisher is True
    assert facts.ownership_marker == "io.github.acme/weather"
    assert facts.trust_downgrade is False
    assert facts.declared_repository == "git+https://github.test/acme/weather.git"
    assert len(facts.release_times) == 3


def test_an_npm_version_without_the_provenance_an_earlier_one_had_is_a_trust_downgrade() -> None:
    packument = asset("npm-weather-mcp.json")
    latest = packument["versions"]["2.0.1"]
    del latest["dist"]["attestations"]
    latest["_npmUser"] = {"name": "acme-bot", "email": "npm@acme.io"}
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        router.get(f"{NPM}/@acme%2Fweather-mcp").respond(json=packument)
        facts = npm_facts(NPM_REF, Fetcher(http, now=NOW))
    assert facts.trust_downgrade is True
    assert (facts.files_attested, facts.trusted_publisher) == (0, False)


def test_an_unknown_package_is_not_found_and_a_dead_registry_is_unavailable() -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        router.get(f"{PYPI}/pypi/weather-mcp/json").respond(404, json={"message": "Not Found"})
        router.get(f"{NPM}/@acme%2Fweather-mcp").mock(side_effect=httpx.ConnectError("refused"))
        missing = pypi_facts(PYPI_REF, Fetcher(http, now=NOW))
        dead = npm_facts(NPM_REF, Fetcher(http, now=NOW))
    assert missing.state == "not_found"
    assert dead.state == "unavailable" and "ConnectError" in dead.error


def test_offline_asks_nobody_and_says_unavailable() -> None:
    with respx.mock(assert_all_mocked=True) as router:
        facts = package_facts(PYPI_REF, Fetcher(None, now=NOW))
        assert router.calls.call_count == 0
    assert facts.state == "unavailable"


def test_a_package_without_any_base_url_is_not_fetched_from_a_guessed_host() -> None:
    ref = PackageRef(registry_type="pypi", identifier="weather-mcp", version="1.2.0", base_url=None)
    with respx.mock(assert_all_mocked=True) as router, client() as http:
        facts = package_facts(ref, Fetcher(http, now=NOW))
        assert router.calls.call_count == 0
    assert facts.state == "no_base_url"


def test_github_facts_read_archival_owner_and_license() -> None:
    body = asset("github-repo-acme-weather.json") | {"archived": True}
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        router.get(f"{GITHUB_API}/repos/acme/weather").respond(json=body)
        facts = github_facts("https://github.test/acme/weather", GITHUB_API, Fetcher(http, now=NOW))
    assert facts.github_state == "fetched" and facts.github is not None
    assert (facts.github.owner, facts.github.archived, facts.github.license_spdx) == ("acme", True, "MIT")


def test_an_oversized_answer_is_cut_off_not_read_whole() -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        router.get(f"{PYPI}/pypi/weather-mcp/json").respond(json={"x": "y" * 5000})
        facts = pypi_facts(PYPI_REF, Fetcher(http, now=NOW, max_bytes=1000))
    assert facts.state == "unavailable" and "larger than 1000 bytes" in facts.error


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://github.test/Acme/Weather.git", "git+https://github.test/acme/weather", True),
        ("acme/weather", "https://github.test/acme/weather", True),
        ("git@github.test:acme/weather.git", "https://github.test/acme/weather/", True),
        ("https://github.test/acme/weather", "https://gitlab.test/acme/weather", False),
        ("https://github.test/mallory/weather", "https://github.test/acme/weather", False),
        ("not a repo", "https://github.test/acme/weather", None),
    ],
)
def test_repository_urls_compare_by_host_and_owner_repo(a: str, b: str, same: bool | None) -> None:
    assert same_repo(a, b) is same


def test_repo_key_ignores_deeper_paths() -> None:
    assert repo_key("https://github.test/acme/weather/tree/main/x") == ("github.test", "acme/weather")


def test_the_github_token_goes_to_the_github_api_only() -> None:
    auth = (GITHUB_API, {"Authorization": "Bearer ghp_test"})
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        gh = router.get(f"{GITHUB_API}/repos/acme/weather").respond(json=asset("github-repo-acme-weather.json"))
        pypi = router.get(f"{PYPI}/pypi/weather-mcp/json").respond(404)
        fetch = Fetcher(http, now=NOW, auth=auth)
        github_facts("https://github.test/acme/weather", GITHUB_API, fetch)
        pypi_facts(PYPI_REF, fetch)
    assert gh.calls.last.request.headers["Authorization"] == "Bearer ghp_test"
    assert "Authorization" not in pypi.calls.last.request.headers


def test_a_redirect_is_followed_on_the_same_host_and_refused_to_another() -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        router.get(f"{PYPI}/pypi/Weather_MCP/json").respond(301, headers={"Location": "/pypi/weather-mcp/json"})
        router.get(f"{PYPI}/pypi/weather-mcp/json").respond(json={"info": {}})
        router.get(f"{PYPI}/pypi/evil/json").respond(
            302, headers={"Location": "https://169.254.169.254/latest/meta-data"}
        )
        fetch = Fetcher(http, now=NOW)
        same = fetch.get(f"{PYPI}/pypi/Weather_MCP/json")
        other = fetch.get(f"{PYPI}/pypi/evil/json")
    assert same is not None and same.status == 200 and same.url == f"{PYPI}/pypi/Weather_MCP/json"
    assert other is not None and other.body is None and "another host refused" in other.error


@pytest.mark.parametrize(
    "base",
    [
        "https://127.0.0.1",
        "https://10.0.0.8/pypi",
        "https://[::1]",
        "https://localhost",
        "https://metadata.internal",
        "http://pypi.test",
    ],
)
def test_a_server_json_registry_url_on_a_private_address_is_never_asked(base: str) -> None:
    ref = PackageRef(registry_type="pypi", identifier="x", version="1.0", base_url=base, from_server_json=True)
    with respx.mock(assert_all_mocked=True) as router, client() as http:
        facts = package_facts(ref, Fetcher(http, now=NOW))
        assert router.calls.call_count == 0
    assert facts.state == "unavailable" and "refused" in facts.error


def test_a_teams_own_mirror_may_be_internal() -> None:
    ref = PackageRef(
        registry_type="pypi",
        identifier="weather-mcp",
        version="1.2.0",
        base_url="https://10.0.0.8",
        from_server_json=False,
    )
    with respx.mock(assert_all_mocked=True) as router, client() as http:
        router.get("https://10.0.0.8/pypi/weather-mcp/json").respond(404)
        facts = package_facts(ref, Fetcher(http, now=NOW))
    assert facts.state == "not_found"
