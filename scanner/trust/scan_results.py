"""Scan results: what ``mcp-trust scan`` found in the server's own tool surface.

Socket-style: each severity has a saturating curve and the worst ones also set a
ceiling, so many low findings cannot hide one critical. A malicious verdict is a
flag that blocks; any critical finding is a flag that caps.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from scanner.models import Severity, Verdict
from scanner.trust.facts import Facts
from scanner.trust.records import Flag, SignalResult, Status, unknown

_HOW = "run 'mcp-trust scan ... --format json > scan.json' and pass --scan scan.json"


def findings_subscore(c: int, h: int, m: int, low: int) -> float:
    mean = (math.exp(-10 * c) + 2 * math.exp(-h) + 2 * math.exp(-m / 20) + 3 * math.exp(-low / 40)) / 8
    limit = min(0.25 if c else 1.0, max(0.25, 1 - h / 10), max(0.5, 1.15 - m / 20))
    return round(min(limit, mean), 4)


def findings(facts: Facts, now: dt.datetime) -> SignalResult:
    """Findings by severity from the scan report (info findings do not count)."""
    sid = "scan.findings"
    scan = facts.scan
    if scan is None:
        return unknown(sid, "scan", "no scan report given", _HOW)
    scanned = scan.source.server_json_name
    if scanned and facts.server_json and scanned != facts.server_json.name:
        return unknown(
            sid,
            "scan",
            f"the scan is of {scanned}, not {facts.server_json.name}",
            "pass the scan of this server",
            status=Status.ERROR,
        )
    if scan.detection == "not_available":
        return unknown(sid, "scan", "the scan ran without detection", "re-scan with detection on")
    counts = Counter(f.severity for f in scan.all_findings())
    c, h = counts[Severity.CRITICAL], counts[Severity.HIGH]
    m, low = counts[Severity.MEDIUM], counts[Severity.LOW]
    flags = []
    if scan.verdict is Verdict.MALICIOUS:
        flags.append(Flag.MALICIOUS)
    if c:
        flags.append(Flag.CRITICAL_FINDING)
    worst = sorted(scan.all_findings(), key=lambda f: -f.severity.rank)[:5]
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"verdict {scan.verdict.value}: {c} critical, {h} high, {m} medium, {low} low",
        source="scan",
        subscore=findings_subscore(c, h, m, low),
        flags=tuple(flags),
        evidence=(
            f"manifest {scan.manifest_sha256}",
            f"scanned {scan.scanned_at}",
            *(f"{f.severity.value} {f.rule_id} at {f.path}" for f in worst),
        ),
        to_improve="" if not (c or h or m or low) else "fix or explain the findings listed",
    )
