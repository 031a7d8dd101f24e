"""The one place that lists every signal. A test fails when a signal function in
any module of this package is missing here; nothing is discovered at run time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from scanner.trust import community, config, maintenance, publisher, scan_results, security
from scanner.trust.facts import Facts
from scanner.trust.records import SignalResult

Signal = Callable[[Facts, dt.datetime], SignalResult]

# (id, function). The id is the policy's key and the explanation's ``id``.
SIGNALS: tuple[tuple[str, Signal], ...] = (
    ("publisher.attestation", publisher.attestation),
    ("publisher.namespace", publisher.namespace),
    ("publisher.repo_link", publisher.repo_link),
    ("maintenance.recency", maintenance.recency),
    ("maintenance.active_weeks", maintenance.active_weeks),
    ("maintenance.release_cadence", maintenance.release_cadence),
    ("maintenance.status", maintenance.status),
    ("community.bus_factor", community.bus_factor),
    ("community.contributors", community.contributors),
    ("community.org_diversity", community.org_diversity),
    ("scan.findings", scan_results.findings),
    ("security.vulnerabilities", security.vulnerabilities),
    ("security.policy", security.security_policy),
    ("config.schema", config.schema),
    ("config.pinning", config.pinning),
    ("config.declared", config.declared),
    ("config.license_readme", config.license_readme),
    ("config.tools", config.tools),
)


def evaluate(facts: Facts, now: dt.datetime) -> tuple[SignalResult, ...]:
    results = []
    for sid, fn in SIGNALS:
        result = fn(facts, now)
        if result.id != sid:
            raise AssertionError(f"signal {fn.__name__} answered as {result.id}, listed as {sid}")
        results.append(result)
    return tuple(results)
