"""The policy is strict data; every signal is registered exactly once."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import scanner.trust
from scanner.trust.policy import PolicyError, default_policy_path, load_policy
from scanner.trust.records import SignalResult
from scanner.trust.signals import SIGNALS


def _signal_functions() -> set[tuple[str, str]]:
    """Every public function in the package that answers with a SignalResult."""
    found = set()
    for info in pkgutil.iter_modules(scanner.trust.__path__):
        module = importlib.import_module(f"scanner.trust.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            if inspect.signature(fn).return_annotation in {"SignalResult", SignalResult} and list(
                inspect.signature(fn).parameters
            ) == ["facts", "now"]:
                found.add((module.__name__, name))
    return found


def test_every_signal_function_in_the_package_is_registered() -> None:
    registered = {(fn.__module__, fn.__name__) for _, fn in SIGNALS}
    assert _signal_functions() == registered


def test_signal_ids_are_unique_and_prefixed_by_a_pillar() -> None:
    ids = [sid for sid, _ in SIGNALS]
    assert len(ids) == len(set(ids))
    policy = load_policy()
    assert all(policy.pillar_of(sid) for sid in ids)


def test_the_default_policy_weights_add_up_to_100() -> None:
    policy = load_policy()
    assert sum(s.weight for s in policy.signals.values()) == 100
    assert policy.version == "mcp-trust/0.1"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    return path


def test_a_typo_in_a_policy_file_is_an_error_naming_the_path(tmp_path: Path) -> None:
    text = default_policy_path().read_text().replace("[tiers]\n", "[tiers]\ntrusted_min_scroe = 1\n")
    with pytest.raises(PolicyError, match=r"trusted_min_scroe.*tiers|tiers.*trusted_min_scroe"):
        load_policy(_write(tmp_path, text))


def test_a_policy_that_forgets_a_signal_is_refused(tmp_path: Path) -> None:
    text = default_policy_path().read_text().replace('[signals."config.tools"]\nweight = 3\nprior = 0.5\n', "")
    with pytest.raises(PolicyError, match=r"no weight for signal.*config\.tools"):
        load_policy(_write(tmp_path, text))


def test_a_policy_naming_an_unknown_signal_or_flag_is_refused(tmp_path: Path) -> None:
    extra = default_policy_path().read_text() + '\n[signals."stars.count"]\nweight = 1\nprior = 0.5\n'
    with pytest.raises(PolicyError, match=r"unknown signal.*stars\.count"):
        load_policy(_write(tmp_path, extra))
    bad_flag = default_policy_path().read_text().replace("archived = 59", "archivd = 59")
    with pytest.raises(PolicyError, match="archivd"):
        load_policy(_write(tmp_path, bad_flag))


def test_a_team_policy_changes_the_weights(tmp_path: Path) -> None:
    text = (
        default_policy_path()
        .read_text()
        .replace('[signals."scan.findings"]\nweight = 20', '[signals."scan.findings"]\nweight = 40')
    )
    assert load_policy(_write(tmp_path, text)).signals["scan.findings"].weight == 40


def test_a_missing_or_broken_policy_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "nope.toml")
    with pytest.raises(PolicyError, match="policy"):
        load_policy(_write(tmp_path, "version = [unclosed"))
