"""Where the bundled data folders live: ``rules/`` and ``data/`` at the project root
in a checkout, or ``scanner/_bundled/`` inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PKG.parent / name, _PKG / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} not found next to the scanner package")


def rules_dir() -> Path:
    return _find("rules")


def data_dir() -> Path:
    return _find("data")


def project_root() -> Path:
    """The checkout root (only meaningful when running from a checkout)."""
    return _PKG.parent
