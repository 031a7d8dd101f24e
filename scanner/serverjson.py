"""server.json in the official MCP Registry format (schema 2025-12-11): parse and validate.

Structure is checked with JSON Schema (``data/server-json.schema.json``); the
registry's semantic rules (no version ranges or ``latest``, https URLs, clean
subfolders, URL templates that reference declared variables, safe argument
names) are checked here. Every problem carries the JSON path it is about, so a
submitter can fix all of them in one go. A server.json comes from a stranger:
size and depth are bounded before anything else looks at it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

import msgspec
from jsonschema import Draft202012Validator

from scanner.errors import SourceError
from scanner.paths import data_dir

MAX_SERVER_JSON_BYTES = 256 * 1024
MAX_PUBLISHER_META_BYTES = 4096
CURRENT_SCHEMA = "2025-12-11"
KNOWN_SCHEMAS = ("2025-07-09", "2025-09-16", "2025-09-29", "2025-10-11", "2025-10-17", "2025-12-11")

_NAME_PART = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$")
_RANGE_PATTERNS = (
    re.compile(r"^[\^~<>=!]"),  # ^1.2  ~1.2  >=1  <2  !=1
    re.compile(r"(^|[.\-])[xX*](?=$|[.\-])"),  # 1.x  1.*  X.1
    re.compile(r"\s-\s"),  # 1 - 2
    re.compile(r"\|\|"),  # a || b
)
_TEMPLATE = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")
_BAD_ARG_NAME = re.compile(r"[<>$\s]")

Severity = Literal["error", "warning"]


class SchemaIssue(msgspec.Struct, frozen=True):
    path: str
    message: str
    severity: Severity = "error"


class ServerJsonError(SourceError):
    """The document is not a usable server.json; ``issues`` lists every problem found."""

    def __init__(self, issues: list[SchemaIssue]) -> None:
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"] or issues
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"invalid server.json at {first.path}: {first.message}{more}")


class KeyValueInput(msgspec.Struct, frozen=True, rename="camel"):
    name: str
    description: str | None = None
    is_required: bool = False
    is_secret: bool = False
    format: str = "string"
    value: str | None = None
    default: str | None = None
    placeholder: str | None = None
    choices: list[str] | None = None


class Argument(msgspec.Struct, frozen=True, rename="camel"):
    type: str
    name: str | None = None
    value: str | None = None
    value_hint: str | None = None
    default: str | None = None
    is_repeated: bool = False
    is_required: bool = False
    description: str | None = None


class Transport(msgspec.Struct, frozen=True):
    type: str
    url: str | None = None
    headers: list[KeyValueInput] = msgspec.field(default_factory=list)


class Package(msgspec.Struct, frozen=True, rename="camel"):
    registry_type: str
    identifier: str
    transport: Transport
    version: str | None = None
    registry_base_url: str | None = None
    runtime_hint: str | None = None
    file_sha256: str | None = None
    runtime_arguments: list[Argument] = msgspec.field(default_factory=list)
    package_arguments: list[Argument] = msgspec.field(default_factory=list)
    environment_variables: list[KeyValueInput] = msgspec.field(default_factory=list)


class Remote(msgspec.Struct, frozen=True):
    type: str
    url: str
    headers: list[KeyValueInput] = msgspec.field(default_factory=list)


class Repository(msgspec.Struct, frozen=True):
    url: str
    source: str
    id: str | None = None
    subfolder: str | None = None


class ServerJson(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    description: str
    version: str
    title: str | None = None
    website_url: str | None = None
    repository: Repository | None = None
    packages: list[Package] = msgspec.field(default_factory=list)
    remotes: list[Remote] = msgspec.field(default_factory=list)
    schema_url: str | None = None
    raw: dict[str, Any] = msgspec.field(default_factory=dict)
    warnings: list[SchemaIssue] = msgspec.field(default_factory=list)

    @property
    def namespace(self) -> str:
        return self.name.split("/", 1)[0]


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads((data_dir() / "server-json.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _json_path(parts: Iterator[Any] | list[Any]) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if re.match(r"^\w+$", p) else f"[{p!r}]")
    return out


def unwrap_registry_response(doc: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Accept both a bare server.json and a registry API answer ``{"server": ..., "_meta": ...}``;
    return the server.json and the upstream status (active / deprecated / deleted) if given."""
    if "server" in doc and isinstance(doc["server"], dict) and "name" not in doc:
        meta = doc.get("_meta") or {}
        official = meta.get("io.modelcontextprotocol.registry/official") if isinstance(meta, dict) else None
        status = official.get("status") if isinstance(official, dict) else None
        return dict(doc["server"]), status if isinstance(status, str) else None
    return dict(doc), None


def parse_document(data: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    """Decode bytes/str (bounded) into a JSON object, or copy a mapping."""
    if isinstance(data, Mapping):
        return dict(data)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_SERVER_JSON_BYTES:
        raise ServerJsonError(
            [SchemaIssue("$", f"document is {len(raw)} bytes; the limit is {MAX_SERVER_JSON_BYTES}")]
        )
    try:
        doc = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise ServerJsonError([SchemaIssue("$", f"not valid JSON: {exc}")]) from exc
    if not isinstance(doc, dict):
        raise ServerJsonError([SchemaIssue("$", "a server.json must be a JSON object")])
    return doc


def validate_server_json(doc: Mapping[str, Any]) -> list[SchemaIssue]:
    """Every structural and semantic problem of a server.json, errors and warnings."""
    issues = [
        SchemaIssue(_json_path(e.absolute_path), e.message)
        for e in sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if issues:  # semantic checks assume the structure is right
        return issues
    return list(_semantic_issues(doc))


def _semantic_issues(doc: Mapping[str, Any]) -> Iterator[SchemaIssue]:
    yield from _check_schema_url(doc.get("$schema"))
    for i, part in enumerate(str(doc["name"]).split("/")):
        if not _NAME_PART.match(part):
            which = "namespace" if i == 0 else "server name"
            yield SchemaIssue("$.name", f"{which} {part!r} must start and end with a letter or digit")
    yield from _check_version("$.version", doc["version"])
    if "websiteUrl" in doc:
        yield from _check_https("$.websiteUrl", doc["websiteUrl"])
    for i, icon in enumerate(doc.get("icons", [])):
        yield from _check_https(f"$.icons[{i}].src", icon["src"])
    if "repository" in doc:
        yield from _check_repository(doc["repository"])
    for i, pkg in enumerate(doc.get("packages", [])):
        yield from _check_package(f"$.packages[{i}]", pkg)
    for i, remote in enumerate(doc.get("remotes", [])):
        yield from _check_remote(f"$.remotes[{i}]", remote)
    meta = doc.get("_meta", {}).get("io.modelcontextprotocol.registry/publisher-provided")
    if meta is not None and len(json.dumps(meta).encode()) > MAX_PUBLISHER_META_BYTES:
        yield SchemaIssue(
            "$._meta['io.modelcontextprotocol.registry/publisher-provided']",
            f"publisher-provided metadata is over {MAX_PUBLISHER_META_BYTES} bytes",
        )


def _check_schema_url(url: Any) -> Iterator[SchemaIssue]:
    if url is None:
        yield SchemaIssue("$['$schema']", "no $schema; assuming " + CURRENT_SCHEMA, "warning")
        return
    found = next((v for v in KNOWN_SCHEMAS if f"/{v}/" in str(url)), None)
    if found is None:
        yield SchemaIssue("$['$schema']", f"unknown schema version in {url!r}", "warning")
    elif found != CURRENT_SCHEMA:
        yield SchemaIssue("$['$schema']", f"schema {found} is older than {CURRENT_SCHEMA}", "warning")


def is_version_range(version: str) -> bool:
    return version == "latest" or any(p.search(version) for p in _RANGE_PATTERNS)


def _check_version(path: str, version: str) -> Iterator[SchemaIssue]:
    if is_version_range(version):
        yield SchemaIssue(path, f"version {version!r} must be one exact version, not a range or 'latest'")


def _check_https(path: str, url: str) -> Iterator[SchemaIssue]:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        yield SchemaIssue(path, f"{url!r} must be an absolute https URL")


def _check_repository(repo: Mapping[str, Any]) -> Iterator[SchemaIssue]:
    yield from _check_https("$.repository.url", repo["url"])
    sub = repo.get("subfolder")
    if sub is not None:
        segments = sub.replace("\\", "/").split("/")
        if sub.startswith(("/", "\\")) or ".." in segments or "\\" in sub or not sub.strip("/"):
            yield SchemaIssue("$.repository.subfolder", f"{sub!r} must be a clean relative path")


def _check_package(path: str, pkg: Mapping[str, Any]) -> Iterator[SchemaIssue]:
    if re.search(r"\s", pkg["identifier"]):
        yield SchemaIssue(f"{path}.identifier", "package identifier must not contain spaces")
    if "version" in pkg:
        yield from _check_version(f"{path}.version", pkg["version"])
    elif pkg["registryType"] not in {"oci", "mcpb"}:
        yield SchemaIssue(f"{path}.version", f"a {pkg['registryType']} package needs an exact version")
    if pkg["registryType"] == "mcpb" and "fileSha256" not in pkg:
        yield SchemaIssue(f"{path}.fileSha256", "an mcpb package needs fileSha256")
    if "registryBaseUrl" in pkg:
        yield from _check_https(f"{path}.registryBaseUrl", pkg["registryBaseUrl"])
    names: set[str] = {e["name"] for e in pkg.get("environmentVariables", [])}
    for key in ("runtimeArguments", "packageArguments"):
        for j, arg in enumerate(pkg.get(key, [])):
            yield from _check_argument(f"{path}.{key}[{j}]", arg)
            names.update(x for x in (arg.get("name"), arg.get("valueHint")) if x)
    transport = pkg["transport"]
    if transport["type"] == "stdio" and transport.get("url"):
        yield SchemaIssue(f"{path}.transport.url", "a stdio transport must not have a url")
    yield from _check_template(f"{path}.transport.url", transport.get("url"), names)


def _check_argument(path: str, arg: Mapping[str, Any]) -> Iterator[SchemaIssue]:
    name = arg.get("name")
    if arg["type"] == "named" and name is not None:
        if _BAD_ARG_NAME.search(name):
            yield SchemaIssue(f"{path}.name", f"argument name {name!r} must not contain <, >, $ or spaces")
        for field in ("value", "default"):
            if str(arg.get(field, "")).startswith(name):
                yield SchemaIssue(f"{path}.{field}", f"{field} must not start with the name {name!r}")


def _check_remote(path: str, remote: Mapping[str, Any]) -> Iterator[SchemaIssue]:
    url = remote["url"]
    if not _TEMPLATE.search(url):
        yield from _check_https(f"{path}.url", url)
    yield from _check_template(f"{path}.url", url, set(remote.get("variables", {})))


def _check_template(path: str, url: str | None, declared: set[str]) -> Iterator[SchemaIssue]:
    for var in _TEMPLATE.findall(url or ""):
        if var not in declared:
            yield SchemaIssue(path, f"URL template variable {{{var}}} is not declared")


def load_server_json(data: bytes | str | Mapping[str, Any]) -> ServerJson:
    """Parse and validate; raises ``ServerJsonError`` listing every error (warnings are kept
    on the result). Accepts a registry API answer wrapper too."""
    doc, _status = unwrap_registry_response(parse_document(data))
    issues = validate_server_json(doc)
    if any(i.severity == "error" for i in issues):
        raise ServerJsonError(issues)
    fields = {k: v for k, v in doc.items() if k in {"name", "description", "version", "title"}}
    try:
        return msgspec.convert(
            {
                **fields,
                "website_url": doc.get("websiteUrl"),
                "repository": doc.get("repository"),
                "packages": doc.get("packages", []),
                "remotes": doc.get("remotes", []),
                "schema_url": doc.get("$schema"),
                "raw": doc,
                "warnings": [msgspec.to_builtins(i) for i in issues],
            },
            ServerJson,
        )
    except msgspec.ValidationError as exc:  # the schema should have caught it; say where anyway
        raise ServerJsonError([SchemaIssue("$", str(exc))]) from exc
