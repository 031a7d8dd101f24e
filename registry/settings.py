"""Registry settings: one frozen Struct, built by the caller and passed to ``create_app``.

Nothing here reads the environment at import time; ``Settings.from_env()`` reads the
``MCP_TRUST_*`` variables only when it is called (by ``mcp-trust serve`` and the CLI).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec

ROLES: tuple[str, ...] = ("admin", "reviewer", "submitter", "gateway", "auditor")


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("MCP_TRUST_DATA_DIR") or Path.cwd() / "var")


def default_database_url(env: Mapping[str, str] | None = None) -> str:
    return f"sqlite:///{default_data_dir(env) / 'mcp-trust.db'}"


class OidcSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Optional single sign-on: bearer JWTs from ``issuer`` checked against its JWKS."""

    issuer: str
    audience: str
    jwks_url: str
    role_claim: str = "roles"
    # claim value -> registry role, e.g. {"mcp-admins": "admin"}; unmapped values grant nothing
    role_map: dict[str, str] = msgspec.field(default_factory=dict)
    algorithms: tuple[str, ...] = ("RS256", "ES256")
    jwks_cache_s: float = 300.0


class WebhookSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Webhook delivery targets and retry policy."""

    urls: tuple[str, ...] = ()
    secret: str | None = None
    timeout_s: float = 5.0
    max_attempts: int = 8


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = msgspec.field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    port: int = 8420
    base_url: str | None = None  # public URL for links (web UI, alerts); default http://host:port
    scan_concurrency: int = 2
    scan_timeout_s: float = 120.0
    verify_cache_ttl_s: int = 5  # what verify answers tell gateways to cache
    index_poll_s: float = 0.5  # SQLite: how often replicas look at the change counter
    max_body_bytes: int = 1024 * 1024
    bootstrap_admin: bool = True  # first start of an empty registry creates an admin token
    run_migrations: bool = True
    start_workers: bool = True  # scan workers and the verify-index listener
    oidc: OidcSettings | None = None
    signing_key_path: str | None = None  # key for the signed snapshot endpoint
    # signed audit checkpoints: key (PEM Ed25519; default <data dir>/audit-signing-key.pem, created
    # on first use), how often (None or <= 0: on demand only), and where: a JSON-lines file
    # (default <data dir>/audit-checkpoints.jsonl unless only a URL is set) and/or a URL POSTed to
    audit_signing_key_path: str | None = None
    audit_checkpoint_interval_s: float | None = 300.0
    audit_checkpoint_path: str | None = None
    audit_checkpoint_url: str | None = None
    webhooks: WebhookSettings = msgspec.field(default_factory=WebhookSettings)
    session_secret: str | None = None  # web UI session cookies
    rescan_interval_s: float | None = None  # scheduled rescans
    package_index_url: str | None = None  # PyPI-compatible index for installs (None: pip config)
    npm_registry_url: str | None = None
    github_api_url: str | None = None  # GitHub's API base for trust signals (a setting, never built in)
    trust_online: bool = False  # trust score looks up registries/forges (off: offline facts only)
    # package and command scans run under bubblewrap; True lets them run unconfined where it is missing
    unconfined_scans: bool = False
    bwrap_path: str = "bwrap"  # bubblewrap: a name looked up on PATH, or a path
    # CIDR ranges URL scans may reach although private/loopback/link-local (operator allowlist)
    allow_scan_network: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        from scanner.netguard import parse_allowlist

        parse_allowlist(self.allow_scan_network)  # a typo stops start-up with its name, not a scan

    @property
    def public_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``MCP_TRUST_*`` variables; explicit ``overrides`` win."""
        env = os.environ if env is None else env
        values: dict[str, object] = {"database_url": default_database_url(env)}
        simple = {
            "DATABASE_URL": "database_url",
            "HOST": "host",
            "PORT": "port",
            "BASE_URL": "base_url",
            "SCAN_CONCURRENCY": "scan_concurrency",
            "VERIFY_CACHE_TTL_S": "verify_cache_ttl_s",
            "SIGNING_KEY_PATH": "signing_key_path",
            "AUDIT_SIGNING_KEY_PATH": "audit_signing_key_path",
            "AUDIT_CHECKPOINT_INTERVAL_S": "audit_checkpoint_interval_s",
            "AUDIT_CHECKPOINT_PATH": "audit_checkpoint_path",
            "AUDIT_CHECKPOINT_URL": "audit_checkpoint_url",
            "SESSION_SECRET": "session_secret",
            "RESCAN_INTERVAL_S": "rescan_interval_s",
            "PACKAGE_INDEX_URL": "package_index_url",
            "NPM_REGISTRY_URL": "npm_registry_url",
            "GITHUB_API_URL": "github_api_url",
            "TRUST_ONLINE": "trust_online",
            "UNCONFINED_SCANS": "unconfined_scans",
            "BWRAP_PATH": "bwrap_path",
        }
        for var, field in simple.items():
            if env.get(f"MCP_TRUST_{var}"):
                values[field] = env[f"MCP_TRUST_{var}"]
        if env.get("MCP_TRUST_ALLOW_SCAN_NETWORK"):
            values["allow_scan_network"] = tuple(
                p.strip() for p in env["MCP_TRUST_ALLOW_SCAN_NETWORK"].split(",") if p.strip()
            )
        if env.get("MCP_TRUST_OIDC_ISSUER"):
            values["oidc"] = {
                "issuer": env["MCP_TRUST_OIDC_ISSUER"],
                "audience": env.get("MCP_TRUST_OIDC_AUDIENCE", "mcp-trust"),
                "jwks_url": env.get("MCP_TRUST_OIDC_JWKS_URL", ""),
                "role_claim": env.get("MCP_TRUST_OIDC_ROLE_CLAIM", "roles"),
                "role_map": _parse_role_map(env.get("MCP_TRUST_OIDC_ROLE_MAP", "")),
            }
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return msgspec.convert(values, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise ValueError(f"bad MCP_TRUST_* setting: {exc}") from exc


def _parse_role_map(text: str) -> dict[str, str]:
    """``"group-a=admin,group-b=reviewer"`` -> ``{"group-a": "admin", ...}``."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        claim, _, role = part.partition("=")
        if role.strip() not in ROLES:
            raise ValueError(f"MCP_TRUST_OIDC_ROLE_MAP: unknown role {role.strip()!r}")
        out[claim.strip()] = role.strip()
    return out
