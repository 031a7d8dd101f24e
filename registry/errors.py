"""Domain errors and THE one place they become RFC 9457 problem documents.

Services raise ``RegistryError`` subclasses; ``exception_handlers()`` is passed to
the Litestar app and maps every error (domain, validation, HTTP, unknown) to an
``application/problem+json`` response. Unknown exceptions become a 500 without a
traceback in the body (the traceback goes to the log). ``document_problems()`` lists
the problem responses each operation can return in the OpenAPI document.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

if TYPE_CHECKING:
    from litestar import Litestar

log = logging.getLogger("registry")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://mcp-trust.dev/problems/"


class RegistryError(Exception):
    """Base of every domain error; ``status`` and ``slug`` pick the problem type."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, extra: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = dict(extra or {})


class InvalidInput(RegistryError):
    status, slug, title = 422, "invalid-input", "Invalid input"


class Unauthorized(RegistryError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(RegistryError):
    status, slug, title = 403, "forbidden", "Not permitted"


class FourEyesViolation(Forbidden):
    slug, title = "four-eyes", "The submitter of a server cannot approve it"


class NotFound(RegistryError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(RegistryError):
    status, slug, title = 409, "conflict", "Conflict"


class InvalidTransition(Conflict):
    slug, title = "invalid-transition", "The item is not in a state that allows this"


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem document; ``errors`` names the JSON path of each bad value."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None  # validation issues: [{"path", "message"}]
    extra: dict[str, Any] | None = None


def problem_response(request: Request[Any, Any, Any], problem: Problem) -> Response[Problem]:
    problem.instance = request.url.path
    headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else None
    return Response(problem, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


def _on_registry_error(request: Request[Any, Any, Any], exc: RegistryError) -> Response[Problem]:
    errors = exc.extra.pop("errors", None) if exc.extra else None
    return problem_response(
        request,
        Problem(
            type=PROBLEM_BASE + exc.slug,
            title=exc.title,
            status=exc.status,
            detail=exc.detail,
            errors=errors,
            extra=exc.extra or None,
        ),
    )


def _on_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Problem]:
    errors = [_issue(item) for item in (exc.extra if isinstance(exc.extra, list) else []) if isinstance(item, dict)]
    # malformed JSON is 400; a well-formed body of the wrong shape is 422
    malformed = any("malformed" in e["message"].lower() for e in errors) or not errors
    return _invalid(request, errors, malformed=malformed, detail=_validation_detail(exc, errors))


def _issue(item: dict[str, Any]) -> dict[str, str]:
    """Litestar's ``{"key", "message", "source"}`` as ``{"path", "message"}``: a body
    field's path is its JSON path (``$.source.url``), a parameter keeps its name."""
    key = str(item.get("key") or "")
    in_body = item.get("source") == "body" or key == "data"
    if not in_body:
        return {"path": key or "$", "message": str(item.get("message"))}
    return {"path": "$" if key in ("", "data") else "$." + key, "message": str(item.get("message"))}


def _invalid(
    request: Request[Any, Any, Any], errors: list[dict[str, str]], *, malformed: bool, detail: str
) -> Response[Problem]:
    return problem_response(
        request,
        Problem(
            type=PROBLEM_BASE + ("malformed-request" if malformed else "invalid-input"),
            title="Malformed request" if malformed else "Invalid input",
            status=400 if malformed else 422,
            detail=detail,
            errors=[dict(e) for e in errors] or None,
        ),
    )


def _validation_detail(exc: ValidationException, errors: list[dict[str, str]]) -> str:
    return _issues_text(errors) if errors else str(exc.detail)[:1000]


def _issues_text(errors: list[dict[str, str]]) -> str:
    return "; ".join(f"{e['path']}: {e['message']}" for e in errors)[:1000]


def _on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    misfiled = _misfiled_body_errors(exc) if status == HTTP_500_INTERNAL_SERVER_ERROR else []
    if misfiled:
        return _invalid(request, misfiled, malformed=False, detail=_issues_text(misfiled))
    title = {
        401: "Authentication required",
        403: "Not permitted",
        404: "Not found",
        405: "Method not allowed",
        413: "Request body too large",
    }.get(status, "Error")
    return problem_response(
        request,
        Problem(type=PROBLEM_BASE + f"http-{status}", title=title, status=status, detail=str(exc.detail)[:1000]),
    )


_AT_PATH = re.compile(r"^(?P<message>.*) - at `\$\.data(?P<path>[.\[].*)?`$", re.DOTALL)


def _misfiled_body_errors(exc: HTTPException) -> list[dict[str, str]]:
    """Litestar files an invalid body field that shares its name with a dependency
    (``principal`` in the verify body, like the ``principal`` dependency) as a server
    fault; the msgspec error behind it still says it was the client's body."""
    cause = exc.__cause__
    if not isinstance(cause, msgspec.ValidationError):
        return []
    found = []
    for item in getattr(cause, "errors", None) or [{"msg": str(cause)}]:
        loc = [str(part) for part in item.get("loc", ())]
        if loc:
            if loc[0] == "data":
                found.append({"path": ".".join(["$", *loc[1:]]), "message": str(item.get("msg"))})
            continue
        match = _AT_PATH.match(str(item.get("msg")))
        if match:
            found.append({"path": "$" + (match["path"] or ""), "message": match["message"]})
    return found


def _on_recursion(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Problem]:
    """msgspec gives up on JSON nested deeper than the interpreter's recursion limit: the
    client's fault (400), not ours; any other RecursionError stays a logged 500."""
    if "deserializ" not in str(exc):
        return _on_unknown(request, exc)
    return _invalid(request, [], malformed=True, detail="the JSON body is nested too deeply")


def _on_unknown(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request,
        Problem(
            type=PROBLEM_BASE + "internal",
            title="Internal error",
            status=HTTP_500_INTERNAL_SERVER_ERROR,
            detail="the registry hit an unexpected error; it has been logged",
        ),
    )


def exception_handlers() -> dict[type[Exception] | int, Callable[..., Response[Any]]]:
    return {
        RegistryError: _on_registry_error,
        ValidationException: _on_validation,
        RecursionError: _on_recursion,
        HTTPException: _on_http,
        Exception: _on_unknown,
    }


PROBLEM_RESPONSES: dict[int, str] = {
    400: "Malformed request: the body is not JSON, or is nested too deeply",
    401: "No valid bearer credential",
    403: "The caller's role may not do this (or the four-eyes rule forbids it)",
    404: "No such resource",
    409: "The resource is not in a state that allows this, or someone else changed it first",
    413: "Request body too large",
    422: "Invalid input: `errors` names the JSON path (body) or parameter of each bad value",
    500: "Unexpected error: logged, never detailed in the body",
}
# what a handler's signature may name besides parameters and dependencies
_RESERVED_KWARGS = frozenset({"self", "data", "request", "state", "scope", "headers", "cookies", "query", "body"})
_MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CONFLICT_FREE = "conflict_free"  # opt key: a POST that only asks (verify) never answers 409


def problem_statuses(handler: HTTPRouteHandler, has_path_params: bool) -> list[int]:
    """The problem statuses an operation can answer, read from what it declares: roles
    (401, 403), a body (400, 413, 422), parameters (400, 422), a path parameter naming a
    resource (404), a state change (409). Every operation can fail unexpectedly (500)."""
    statuses = {500}
    if handler.opt.get("roles"):
        statuses |= {401, 403}
    params = set(handler.parsed_fn_signature.parameters) - _RESERVED_KWARGS - set(handler.resolve_dependencies())
    if "data" in handler.parsed_fn_signature.parameters:
        statuses |= {400, 413, 422}
    if params or has_path_params:
        statuses |= {400, 422}
    if has_path_params:
        statuses.add(404)
    if _MUTATING & handler.http_methods and not handler.opt.get(CONFLICT_FREE):
        statuses.add(409)
    return sorted(statuses)


def document_problems(app: Litestar) -> None:
    """Declare the problem responses (``application/problem+json``) on every documented
    operation once, here, instead of on each handler; a handler's own ``responses`` win."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            specs = {
                status: ResponseSpec(
                    data_container=Problem, media_type=PROBLEM_JSON, description=PROBLEM_RESPONSES[status],
                    generate_examples=False,
                )
                for status in problem_statuses(handler, bool(route.path_parameters))
            }
            handler.responses = {**specs, **(handler.responses or {})}
