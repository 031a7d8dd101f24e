"""API tokens: random, shown once, stored as SHA-256, revocable, each owned by a person.

Four eyes compares people: a token's ``owner`` is the person it belongs to and its
``created_by`` is the person who made it (who held the plaintext for a moment). Making
a token for someone else is recorded as such in the audit trail.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, func, select

from registry.auth import MAX_PERSON_CHARS, Principal, new_token, one_line, person_key, token_digest
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import ApiToken
from registry.services import audit, changes
from registry.services.servers import MAX_ROW_ID
from registry.settings import ROLES

BOOTSTRAP_NAME = "bootstrap-admin"
MAX_NAME_CHARS = 100
# how many "created by" hops the four-eyes lineage follows before it refuses anyway
MAX_LINEAGE_HOPS = 64


def create_token(
    session: Session,
    *,
    role: str,
    name: str,
    actor: str,
    owner: str | None = None,
    created_by: str | None = None,
) -> tuple[ApiToken, str]:
    """Returns the row and the plaintext token (the only time it exists).

    ``actor`` is the credential the audit event names; ``created_by`` the person behind
    it (default: ``actor``); ``owner`` the person the token belongs to (default: a
    person of its own, ``token:<name>``, as for tokens made before owners existed).
    """
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    name = one_line(name.strip(" "), field="name", what="a token name", limit=MAX_NAME_CHARS)
    owner = f"token:{name}" if owner is None else owner.strip(" ")
    owner = one_line(owner, field="owner", what="a token owner", limit=MAX_PERSON_CHARS)
    creator = created_by or actor  # an authenticated identity, already bounded
    if session.exec(select(ApiToken).where(ApiToken.name == name)).first() is not None:
        raise Conflict(f"a token named {name!r} already exists")
    token = new_token()
    row = ApiToken(name=name, role=role, owner=owner, sha256=token_digest(token), created_by=creator)
    session.add(row)
    session.flush()
    details = {
        "role": role,
        "token_id": row.id,
        "owner": owner,
        "created_by": creator,
        "for_other": person_key(owner) != person_key(creator),
    }
    audit.append_event(session, actor=actor, action="token.create", subject=f"token:{name}", details=details)
    changes.bump(session)
    return row, token


def list_tokens(session: Session, *, after: int = 0, limit: int = 100) -> list[ApiToken]:
    stmt = select(ApiToken).where(col(ApiToken.id) > after).order_by(col(ApiToken.id)).limit(limit)
    return list(session.exec(stmt).all())


def find_token(session: Session, ident: str) -> ApiToken:
    """By id or by name."""
    # an id is ASCII digits that fit the column ("²" is a digit to isdigit(), not to int())
    by_id = ident.isascii() and ident.isdigit() and int(ident) <= MAX_ROW_ID
    stmt = select(ApiToken).where((ApiToken.id == int(ident)) if by_id else (ApiToken.name == ident))
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


def created_through(session: Session, principal: Principal, person: str) -> bool:
    """Whether ``person`` created the principal's token, directly or through a token they
    made for someone else who then made this one (an admin's puppet minting a second
    puppet). Revoked tokens count: what they created lives on."""
    if principal.created_by_person is None:
        return False
    makers: dict[str, set[str]] = {}  # owner -> the people who created that owner's tokens
    for owner, creator in session.exec(select(ApiToken.owner, ApiToken.created_by)).all():
        makers.setdefault(person_key(owner), set()).add(person_key(creator))
    target = person_key(person)
    seen: set[str] = set()
    frontier = {person_key(principal.created_by_person)}
    for _ in range(MAX_LINEAGE_HOPS):
        if target in frontier:
            return True
        seen |= frontier
        frontier = {m for p in frontier for m in makers.get(p, ())} - seen
        if not frontier:
            return False
    return True  # a lineage deeper than we follow: refuse rather than guess


def bootstrap_admin(session: Session) -> str | None:
    """On the first start of an empty registry, create an admin token and return it."""
    if session.exec(select(func.count()).select_from(ApiToken)).one() > 0:
        return None
    _, token = create_token(session, role="admin", name=BOOTSTRAP_NAME, actor="system:bootstrap")
    return token
