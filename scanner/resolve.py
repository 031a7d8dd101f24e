"""Turn a server.json into something we can connect to: an installed package run over
stdio, or one of its remotes. Validation is the lead's ``scanner.serverjson``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from scanner.errors import SourceError
from scanner.install import install_package
from scanner.limits import Limits
from scanner.sandbox import resolve_mode
from scanner.serverjson import Argument, KeyValueInput, Package, ServerJson, load_server_json
from scanner.sources import HttpSource, ServerJsonSource, StdioSource

if TYPE_CHECKING:
    from scanner.netguard import NetworkPolicy

_VAR = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _fill(template: str, values: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise SourceError(f"{where} needs {{{m.group(1)}}}; pass it with --env {m.group(1)}=...")
        return values[m.group(1)]

    return _VAR.sub(sub, template)


def package_env(pkg: Package, given: dict[str, str]) -> dict[str, str]:
    """The server's variables: what the user passed, else a declared fixed value or default;
    a required variable nobody supplied is an error naming it."""
    env: dict[str, str] = {}
    missing: list[str] = []
    for var in pkg.environment_variables:
        value = given.get(var.name, _declared(var))
        if value is None:
            if var.is_required:
                missing.append(var.name)
            continue
        env[var.name] = value
    if missing:
        raise SourceError(f"the server needs {', '.join(missing)}; pass each with --env NAME=VALUE")
    return {**env, **given}


def _declared(var: KeyValueInput) -> str | None:
    if var.value is not None and "{" not in var.value:
        return var.value
    return var.default


def package_args(args: list[Argument], values: dict[str, str]) -> list[str]:
    out: list[str] = []
    for arg in args:
        value = arg.value if arg.value is not None else arg.default
        if value is None:
            if arg.is_required:
                raise SourceError(f"package argument {arg.name or arg.value_hint!r} has no value or default")
            continue
        value = _fill(value, values, f"argument {arg.name or arg.value_hint}")
        if arg.type == "named" and arg.name:
            out += [arg.name, value]
        else:
            out.append(value)
    return out


def resolve_server_json(
    source: ServerJsonSource, limits: Limits, say: Callable[[str], None], network: NetworkPolicy | None = None
) -> tuple[StdioSource | HttpSource, str]:
    """The source to connect to and the server's name; a package is installed first (in
    the sandbox the source asks for, after ``network`` allowed its index)."""
    doc = load_server_json(source.document)
    use_remote = source.remote_index is not None or (not doc.packages and doc.remotes)
    if use_remote:
        return _remote(doc, source), doc.name
    if not doc.packages:
        raise SourceError(f"{source.origin}: no packages and no remotes to scan")
    index = source.package_index or 0
    if not 0 <= index < len(doc.packages):
        raise SourceError(f"{source.origin}: there is no packages[{index}]")
    pkg = doc.packages[index]
    if pkg.transport.type != "stdio":
        raise SourceError(
            f"packages[{index}] uses the {pkg.transport.type!r} transport; only stdio packages can be "
            "installed and scanned (scan its URL with --url once it runs)"
        )
    sandbox = resolve_mode(source.sandbox, source.confinement.bwrap)
    say(f"installing {pkg.registry_type} package {pkg.identifier} {pkg.version} (reused if cached)")
    installed = install_package(
        pkg.registry_type,
        pkg.identifier,
        pkg.version,
        base_url=pkg.registry_base_url,
        timeout=limits.install_timeout_s,
        sandbox=sandbox,
        confinement=source.confinement,
        limits=limits,
        allow_sdist=source.allow_sdist,
        network=network,
    )
    env = package_env(pkg, source.env)
    argv = [*installed.argv, *package_args(pkg.package_arguments, env)]
    stdio = StdioSource(
        argv=tuple(argv),
        env=env,
        sandbox=sandbox,
        confinement=source.confinement,
        package=installed.label,
        package_prefix=installed.prefix,
    )
    return stdio, doc.name


def _remote(doc: ServerJson, source: ServerJsonSource) -> HttpSource:
    index = source.remote_index or 0
    if not 0 <= index < len(doc.remotes):
        raise SourceError(f"{source.origin}: there is no remotes[{index}]")
    remote = doc.remotes[index]
    url = _fill(remote.url, source.env, f"remotes[{index}].url")
    if remote.type == "sse":
        return HttpSource(url=url, headers=dict(source.headers), transport="sse")
    return HttpSource(url=url, headers=dict(source.headers))
