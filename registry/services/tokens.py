"""API tokens: random, shown once, stored as SHA-256, revocable."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, func, select

from registry.auth import new_token, token_digest
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import ApiToken
from registry.services import audit, changes
from registry.settings import ROLES

BOOTSTRAP_NAME = "bootstrap-admin"


def create_token(session: Session, *, role: str, name: str, actor: str) -> tuple[ApiToken, str]:
    """Returns the row and the plaintext token (the only time it exists)."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("a token name is 1 to 100 characters")
    if session.exec(select(ApiToken).where(ApiToken.name == name)).first() is not None:
        raise Conflict(f"a token named {name!r} already exists")
    token = new_token()
    row = ApiToken(name=name, role=role, sha256=token_digest(token), created_by=actor)
    session.add(row)
    session.flush()
    audit.append_event(
        session, actor=actor, action="token.create", subject=f"token:{name}", details={"role": role, "token_id": row.id}
    )
    changes.bump(session)
    return row, token


def list_tokens(session: Session, *, after: int = 0, limit: int = 100) -> list[ApiToken]:
    stmt = select(ApiToken).where(col(ApiToken.id) > after).order_by(col(ApiToken.id)).limit(limit)
    return list(session.exec(stmt).all())


def find_token(session: Session, ident: str) -> ApiToken:
    """By id or by name."""
    stmt = select(ApiToken).where((ApiToken.id == int(ident)) if ident.isdigit() else (ApiToken.name == ident))
    row = session.exec(stmt).first()
    if row is None:
        raise NotFound(f"no token {ident!r}")
    return row


def revoke_token(session: Session, ident: str, *, actor: str) -> ApiToken:
    row = find_token(session, ident)
    if row.revoked_at is None:
        row.revoked_at = dt.datetime.now(dt.UTC)
        session.add(row)
        audit.append_event(
            session, actor=actor, action="token.revoke", subject=f"token:{row.name}", details={"token_id": row.id}
        )
        changes.bump(session)
    return row


def bootstrap_admin(session: Session) -> str | None:
    """On the first start of an empty registry, create an admin token and return it."""
    if session.exec(select(func.count()).select_from(ApiToken)).one() > 0:
        return None
    _, token = create_token(session, role="admin", name=BOOTSTRAP_NAME, actor="system:bootstrap")
    return token
