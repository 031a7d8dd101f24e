"""Domain errors and THE one place they become RFC 9457 problem documents.

Services raise ``RegistryError`` subclasses; ``exception_handlers()`` is passed to
the Litestar app and maps every error (domain, validation, HTTP, unknown) to an
``application/problem+json`` response. Unknown exceptions become a 500 without a
traceback in the body (the traceback goes to the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

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
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            errors.append({"path": str(item.get("key") or "$"), "message": str(item.get("message"))})
    # malformed JSON is 400; a well-formed body of the wrong shape is 422
    malformed = any("malformed" in e["message"].lower() for e in errors) or not errors
    status = 400 if malformed else 422
    return problem_response(
        request,
        Problem(
            type=PROBLEM_BASE + ("malformed-request" if malformed else "invalid-input"),
            title="Malformed request" if malformed else "Invalid input",
            status=status,
            detail=_validation_detail(exc, errors),
            errors=errors or None,
        ),
    )


def _validation_detail(exc: ValidationException, errors: list[dict[str, Any]]) -> str:
    if errors:
        return "; ".join(f"{e['path']}: {e['message']}" for e in errors)[:1000]
    return str(exc.detail)[:1000]


def _on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
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
        HTTPException: _on_http,
        Exception: _on_unknown,
    }
