"""The scanner's errors: one base class, narrow subclasses at the I/O boundaries.

Every error carries ``exit_code`` (2: usage or connection) so the CLI maps it in
one place, and a message written for a person.
"""

from __future__ import annotations


class ScannerError(Exception):
    """Base class of everything the scanner raises on purpose."""

    exit_code = 2


class SourceError(ScannerError):
    """The source given (file, command, URL, server.json) is unusable."""


class ConnectionFailed(ScannerError):
    """The server could not be reached, started, or finished the handshake."""


class ServerMisbehaved(ScannerError):
    """The server answered, but broke the protocol or a bound (size, time, count)."""


class InstallFailed(ScannerError):
    """A package named by a server.json could not be installed into the cache."""
