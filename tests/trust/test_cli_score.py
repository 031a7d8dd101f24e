"""``mcp-trust score`` end to end, in-process, with the documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
import respx

from registry.cli import main
from tests.trust.gitrepo import build_monorepo
from tests.trust.payloads import ASSETS, GITHUB_API, NPM, PYPI, route_all

NOW = "2026-11-21T00:00:00Z"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "weather"
    build_monorepo(path)
    return str(path)


def test_offline_json_output_is_the_explained_score_and_nothing_else(
    repo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["score", "--repo", repo, "--allow-local-repo", "--offline", "--now", NOW, "--format", "json"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert code == 0
    assert data["policy"] == "mcp-trust/0.1" and data["offline"] is True
    assert {s["id"] for s in data["signals"]} >= {"maintenance.recency", "scan.findings"}
    assert data["head"] and "collecting facts" in err


def test_the_table_lists_every_signal_and_what_would_resolve_unknowns(
    repo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", "--repo", repo, "--allow-local-repo", "--offline", "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert "maintenance.recency" in out and "2 days" in out
    assert "to improve" in out and "pass --scan scan.json" in out


def test_a_subfolder_limits_the_figures(repo: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "score",
            "--repo",
            repo,
            "--subfolder",
            "servers/weather",
            "--allow-local-repo",
            "--offline",
            "--now",
            NOW,
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    weeks = next(s for s in data["signals"] if s["id"] == "maintenance.active_weeks")
    assert data["subfolder"] == "servers/weather" and weeks["value"] == "3/13 weeks"


def test_below_min_score_exits_1(repo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["score", "--repo", repo, "--allow-local-repo", "--offline", "--now", NOW, "--min-score", "95"])
    assert code == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["--repo", "--upload-pack=touch /tmp/mcp-trust-cli-pwned"],
        ["--repo", "/tmp"],  # local path without --allow-local-repo
        [],
        ["--server-json", "/does/not/exist.json"],
        ["--repo", "/tmp", "--allow-local-repo", "--offline", "--now", "yesterday"],
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("mcp-trust: ")
    assert not Path("/tmp/mcp-trust-cli-pwned").exists()


def test_an_invalid_server_json_is_refused_with_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = json.loads((ASSETS / "server-weather.json").read_text()) | {"version": "^1.2"}
    (tmp_path / "server.json").write_text(json.dumps(bad))
    assert main(["score", "--server-json", str(tmp_path / "server.json"), "--offline"]) == 2
    assert "$.version" in capsys.readouterr().err


def test_a_broken_policy_file_is_exit_2(tmp_path: Path, repo: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.toml").write_text('version = "x"\n')
    code = main(["score", "--repo", repo, "--allow-local-repo", "--offline", "--policy", str(tmp_path / "p.toml")])
    assert code == 2 and "policy" in capsys.readouterr().err


def test_saved_evidence_reproduces_the_online_score_offline(
    repo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence = tmp_path / "evidence.json"
    common = [
        "score",
        "--server-json",
        str(ASSETS / "server-weather.json"),
        "--repo",
        repo,
        "--allow-local-repo",
        "--now",
        NOW,
        "--format",
        "json",
    ]
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        route_all(router)
        assert (
            main(
                [
                    *common,
                    "--pypi-url",
                    PYPI,
                    "--npm-url",
                    NPM,
                    "--github-api-url",
                    GITHUB_API,
                    "--save-evidence",
                    str(evidence),
                ]
            )
            == 0
        )
    online = json.loads(capsys.readouterr().out)
    with respx.mock(assert_all_mocked=True) as router:
        assert main([*common, "--offline", "--evidence", str(evidence), "--github-api-url", GITHUB_API]) == 0
        assert router.calls.call_count == 0
    replay = json.loads(capsys.readouterr().out)
    assert replay["signals"] == online["signals"]
    assert (replay["score"], replay["tier"]) == (online["score"], online["tier"])
    assert [x["url"] for x in replay["sources"]] == [x["url"] for x in online["sources"]]
    assert online["confidence"] == 0.7  # no scan given: findings, tools and vulns unknown
    later = [x if x != NOW else "2027-01-30T00:00:00Z" for x in common]
    assert main([*later, "--offline", "--evidence", str(evidence), "--github-api-url", GITHUB_API]) == 0
    aged = json.loads(capsys.readouterr().out)
    assert "stale-evidence" in aged["labels"] and aged["confidence"] < online["confidence"]


def test_the_committed_evidence_bundle_replays_to_a_trusted_score(
    repo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.trust.test_score_server import scan_report

    scan = tmp_path / "scan.json"
    scan.write_text(json.dumps(msgspec.to_builtins(scan_report())))
    code = main(
        [
            "score",
            "--server-json",
            str(ASSETS / "server-weather.json"),
            "--repo",
            repo,
            "--allow-local-repo",
            "--scan",
            str(scan),
            "--offline",
            "--evidence",
            str(ASSETS / "evidence-weather.json"),
            "--github-api-url",
            GITHUB_API,
            "--now",
            NOW,
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["tier"] == "trusted" and len(data["sources"]) == 8
