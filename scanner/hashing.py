"""Compatibility import path: the hashing contract lives in ``scanner.contract.hashing``."""

from scanner.contract.hashing import (
    CanonicalizationError,
    canonical_json,
    manifest_sha256,
    sort_tools,
    tool_hashes,
    tool_sha256,
)

__all__ = [
    "CanonicalizationError",
    "canonical_json",
    "manifest_sha256",
    "sort_tools",
    "tool_hashes",
    "tool_sha256",
]
