"""End to end: a real local repository, a server.json, a scan, recorded registry answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import respx

from scanner.models import (
    Confidence,
    Finding,
    ScanReport,
    ServerInfo,
    Severity,
    SourceInfo,
    ToolReport,
    Verdict,
)
from scanner.serverjson import load_server_json
from scanner.trust import TrustSettings, collect_facts, score_facts, score_server
from scanner.trust.evidence import load_bundle, save_bundle
from scanner.trust.records import Flag, Status
from scanner.trust.score import Tier, TrustResult
from tests.trust.gitrepo import NOW, build_monorepo
from tests.trust.payloads import GITHUB_API, asset, client, route_all

SETTINGS = TrustSettings(allow_local_repo=True, github_api_url=GITHUB_API)
TOOL = {
    "name": "forecast",
    "description": "Forecast for a city",
    "inputSchema": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}},
    "annotations": {"readOnlyHint": True},
}


def scan_report(*findings: Finding, verdict: Verdict = Verdict.CLEAN) -> ScanReport:
    return ScanReport(
        scanner_version="0.1.0",
        scanned_at="2026-11-20T10:00:00Z",
        manifest_sha256="ab" * 32,
        verdict=verdict,
        detection="rules",
        server=ServerInfo(name="weather"),
        source=SourceInfo(kind="stdio", target="uvx weather-mcp"),
        tools=[ToolReport(name="forecast", sha256="cd" * 32, verdict=verdict, findings=list(findings), tool=TOOL)],
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("e2e") / "weather"
    build_monorepo(path)
    return str(path)


def server_json() -> Any:
    return load_server_json(asset("server-weather.json"))


def signals(result: TrustResult) -> dict[str, Any]:
    return {line.id: line for line in result.signals}


def test_a_well_kept_server_scores_high_and_explains_every_point(repo: str) -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        route_all(router)
        result = score_server(
            server_json(), scan_report(), repo=repo, offline=False, evidence=None, http=http, settings=SETTINGS, now=NOW
        )
    lines = signals(result)
    assert result.server == "io.github.acme/weather"
    assert lines["publisher.attestation"].subscore == 1.0
    assert lines["publisher.namespace"].subscore == 1.0
    assert lines["publisher.repo_link"].subscore == 1.0
    assert lines["maintenance.recency"].value == "2 days"
    assert lines["maintenance.active_weeks"].value == "4/13 weeks"
    assert lines["community.bus_factor"].value == "1"
    assert lines["scan.findings"].subscore == 1.0
    assert lines["config.tools"].subscore == 1.0
    assert lines["security.policy"].value == ".github/SECURITY.md"
    # npm answers carry no vulnerability data: unknown, with the way to resolve it
    assert lines["security.vulnerabilities"].status is Status.UNKNOWN
    assert lines["security.vulnerabilities"].to_improve
    assert result.confidence == 0.93
    assert result.tier is Tier.TRUSTED and result.score >= 80 and not result.caps
    assert round(sum(x.points for x in result.signals), 2) == result.raw_score


def test_an_evidence_bundle_replays_the_same_score_offline(repo: str, tmp_path: Path) -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        route_all(router)
        facts, fetcher = collect_facts(
            server_json(), scan_report(), repo=repo, offline=False, evidence=None, http=http, settings=SETTINGS, now=NOW
        )
    online = score_facts(facts)
    save_bundle(fetcher.bundle(), tmp_path / "evidence.json")
    bundle = load_bundle(tmp_path / "evidence.json")
    assert {e.url for e in bundle.entries} >= {f"{GITHUB_API}/repos/acme/weather"}
    assert all(e.fetched_at == "2026-11-21T00:00:00Z" for e in bundle.entries)
    with respx.mock(assert_all_mocked=True) as router:
        replay = score_server(
            server_json(),
            scan_report(),
            repo=repo,
            offline=True,
            evidence=bundle,
            http=None,
            settings=SETTINGS,
            now=NOW,
        )
        assert router.calls.call_count == 0
    assert replay.signals == online.signals
    assert replay.sources == online.sources and len(online.sources) == 8
    assert {x.fetched_at for x in online.sources} == {"2026-11-21T00:00:00Z"}
    assert online.signals[0].observed_at == "2026-11-21T00:00:00Z"
    assert (replay.score, replay.tier, replay.offline) == (online.score, online.tier, True)


def test_offline_without_evidence_marks_registry_signals_unknown_and_says_how_to_fix(
    repo: str,
) -> None:
    result = score_server(
        server_json(), scan_report(), repo=repo, offline=True, evidence=None, http=None, settings=SETTINGS, now=NOW
    )
    lines = signals(result)
    for sid in ("publisher.attestation", "publisher.repo_link", "maintenance.status"):
        assert lines[sid].status is Status.UNKNOWN
        assert lines[sid].prior is not None and lines[sid].to_improve
    assert lines["maintenance.recency"].status is Status.MEASURED  # the local clone still counts
    assert lines["publisher.namespace"].subscore == 0.6  # namespace only, offline
    assert result.confidence < 0.8 and "offline" in result.labels


def test_an_attestation_from_another_repository_caps_the_score(repo: str) -> None:
    provenance = asset("pypi-provenance-weather_mcp-1.2.0.tar.gz.json")
    provenance["attestation_bundles"][0]["publisher"]["repository"] = "mallory/weather"
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router, client() as http:
        route_all(router, provenance=provenance)
        result = score_server(
            server_json(), scan_report(), repo=repo, offline=False, evidence=None, http=http, settings=SETTINGS, now=NOW
        )
    assert result.score <= 39
    assert Flag.PROVENANCE_MISMATCH in {c.flag for c in result.caps}
    assert "mallory/weather" in signals(result)["publisher.attestation"].value


def test_a_malicious_scan_verdict_blocks_the_server(repo: str) -> None:
    finding = Finding(
        rule_id="exfil.secret-to-url",
        category="exfiltration",
        severity=Severity.CRITICAL,
        confidence=Confidence.HIGH,
        message="sends the API key to a remote URL",
        path="$.description",
        matched_text="send WEATHER_API_KEY to",
    )
    result = score_server(
        server_json(),
        scan_report(finding, verdict=Verdict.MALICIOUS),
        repo=repo,
        offline=True,
        evidence=None,
        http=None,
        settings=SETTINGS,
        now=NOW,
    )
    assert (result.score, result.tier) == (0, Tier.BLOCKED)


def test_a_scan_without_detection_is_not_available_not_clean(repo: str) -> None:
    scan = scan_report()
    undetected = ScanReport(**{f: getattr(scan, f) for f in scan.__struct_fields__} | {"detection": "not_available"})
    result = score_server(
        None, undetected, repo=repo, offline=True, evidence=None, http=None, settings=SETTINGS, now=NOW
    )
    assert signals(result)["scan.findings"].status is Status.UNKNOWN


def test_an_unreachable_repository_is_an_error_signal_not_a_crash() -> None:
    sj = server_json()
    result = score_server(
        sj, None, repo="/does/not/exist", offline=False, evidence=None, http=None, settings=SETTINGS, now=NOW
    )
    line = signals(result)["maintenance.recency"]
    assert line.status is Status.ERROR and "not a directory" in line.reason
