"""Errors of the gateway enforcer: one base class, narrow subclasses at I/O boundaries."""

from __future__ import annotations

# The contract's (the registry raises it too); exit code 2 like every EnforcerError.
from scanner.contract.snapshot import SnapshotError

__all__ = ["EnforcerError", "RegistryRefused", "RegistryUnavailable", "SnapshotError", "UpstreamError"]


class EnforcerError(Exception):
    """Base class for everything the enforcer raises on purpose."""

    exit_code = 2


class RegistryUnavailable(EnforcerError):
    """The registry could not be reached or answered with a server error."""


class RegistryRefused(EnforcerError):
    """The registry rejected the request itself (bad token, bad request): a misconfiguration."""


class UpstreamError(EnforcerError):
    """The upstream MCP server misbehaved (no answer, bad JSON-RPC) while we asked it for tools."""
