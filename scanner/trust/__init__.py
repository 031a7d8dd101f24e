"""Explainable trust score for MCP servers.

Public API::

    result = score_server(server_json, scan, repo=..., offline=..., evidence=..., http=...,
                          settings=TrustSettings(...))
    msgspec.to_builtins(result)   # -> ScanReport.trust / the registry's review item

Facts are collected first (git, registries, forge: I/O only), signals judge them
(pure functions), and the policy scores the judgements.
"""

from __future__ import annotations

from scanner.trust.api import collect_facts, score_facts, score_server
from scanner.trust.evidence import EvidenceBundle, load_bundle, save_bundle
from scanner.trust.policy import Policy, PolicyError, load_policy
from scanner.trust.records import TrustSettings
from scanner.trust.score import Tier, TrustResult

__all__ = [
    "EvidenceBundle",
    "Policy",
    "PolicyError",
    "Tier",
    "TrustResult",
    "TrustSettings",
    "collect_facts",
    "load_bundle",
    "load_policy",
    "save_bundle",
    "score_facts",
    "score_server",
]
