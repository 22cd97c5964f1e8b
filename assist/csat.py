"""CSAT: signed, expiring, single-use survey links; answers recorded exactly once; CSV import."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assist.config import Settings, signing_key
from assist.domain import ImportReport, Role, RowError, User
from assist.errors import AssistError, SessionEndedError, SurveyError, ValidationError
from assist.masking import mask
from assist.store import audit, limits, surveys
from assist.store.actors import check_session, current_actor, require
from assist.store.db import session_scope
from assist.text import clean, replaced_note
from assist.times import arrival_time, parse_time, utcnow

SALT = "assist-csat-survey"
SURVEY_INVITE = "How did we do? Rate this reply:"  # the thread reader skips this line (`message_text`)


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key(settings), salt=SALT)


def issue_token(engine: Engine, *, ticket_id: int, settings: Settings) -> str:
    """A new survey token for the ticket (store it, sign it)."""
    with session_scope(engine) as session:
        return survey_token(session, ticket_id=ticket_id, settings=settings)


def survey_token(session: Session, *, ticket_id: int, settings: Settings) -> str:
    """A new survey token, stored in the caller's unit of work (the reply that carries it)."""
    nonce = secrets.token_urlsafe(16)
    surveys.add_token(session, nonce=nonce, ticket_id=ticket_id)
    return _serializer(settings).dumps({"t": ticket_id, "n": nonce})


def survey_url(token: str, settings: Settings) -> str:
    return f"{settings.public_base_url}/survey?t={token}"


def with_survey_link(body: str, url: str) -> str:
    """The reply that resolves a ticket as the customer gets it, and as the thread keeps it: the agent's
    words, then the survey link."""
    return f"{body}\n\n{SURVEY_INVITE} {url}"


def survey_subject(engine: Engine, *, token: str, settings: Settings) -> str:
    """The ticket subject the link is about, after checking the link (for the survey page's heading)."""
    ticket_id, nonce = _verify(token, settings)
    with session_scope(engine) as session:
        _refuse(surveys.token_state(session, nonce=nonce, ticket_id=ticket_id))
        return surveys.ticket_subject(session, ticket_id)


def submit_rating(engine: Engine, *, token: str, score: int | None, comment: str, settings: Settings) -> None:
    """Record the customer's rating once; no rating chosen (`None`) records nothing and keeps the link usable.

    Raises:
        SurveyError: no rating chosen or one outside 1-5; forged, expired or already used link.
    """
    if score is None:
        raise SurveyError("Please choose a rating from 1 to 5 stars, then send it.")
    if score not in range(1, 6):
        raise SurveyError("Please choose a rating from 1 to 5.")
    ticket_id, nonce = _verify(token, settings)
    with session_scope(engine) as session:
        _refuse(surveys.claim_token(session, nonce=nonce, ticket_id=ticket_id))  # once: a replay finds it used
        # A customer's comment is customer text like a message: card numbers masked before it is stored.
        comment = mask(comment.strip()).text[: limits.SURVEY_COMMENT]
        surveys.add_rating(session, ticket_id=ticket_id, score=score, comment=comment, source="survey")
        audit.record(
            session,
            actor="customer",
            action="csat.submit",
            entity_type="ticket",
            entity_id=ticket_id,
            detail={"score": score},
        )


def _refuse(state: surveys.TokenState) -> None:
    """Raise unless the link is open (unused, and for the ticket it names)."""
    if state == "used":
        raise SurveyError("Thanks — we already have your rating for this request.")
    if state == "invalid":
        raise SurveyError("This survey link is not valid. Please use the link from our email.")


def _verify(token: str, settings: Settings) -> tuple[int, str]:
    try:
        data = _serializer(settings).loads(
            token, max_age=int(timedelta(days=settings.survey_valid_days).total_seconds())
        )
    except SignatureExpired as e:
        raise SurveyError("This survey link has expired. Thank you anyway — reply to our email to tell us more.") from e
    except BadSignature as e:
        raise SurveyError("This survey link is not valid. Please use the link from our email.") from e
    if not isinstance(data, dict) or not isinstance(data.get("t"), int) or not isinstance(data.get("n"), str):
        raise SurveyError("This survey link is not valid. Please use the link from our email.")
    return data["t"], data["n"]


def import_csat(
    engine: Engine, rows: list[dict[str, str]], *, actor: User, now: datetime | None = None
) -> ImportReport:
    """Rows with ticket (external id or #id), score 1-5, optional comment and date; each row is imported or
    reported, and imported again it adds nothing (the key uses the parsed date, not how it was written)."""
    require(actor, Role.LEAD, action="import CSAT ratings")
    check_session(engine, actor=actor)  # before the rows: a signed-out session imports nothing
    created: list[int] = []
    unchanged: list[int] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    for n, row in enumerate(rows, start=1):
        raw = {k.strip().lower(): (v or "").strip() for k, v in row.items()}
        cleaned = {k: clean(v) for k, v in raw.items()}  # the CSAT file's boundary: nothing raw goes further
        values = {k: c.text.strip() for k, c in cleaned.items()}
        reference = values.get("ticket") or values.get("ticket_id") or values.get("external_id") or ""
        try:
            score = int(values.get("score", ""))
            if score not in range(1, 6):
                raise ValueError
        except ValueError:
            errors.append(RowError(row=n, error=f"score '{values.get('score', '')[:20]}' is not a number from 1 to 5."))
            continue
        try:
            if len(reference) > 100:
                raise ValidationError("the ticket reference is over 100 characters; use the helpdesk id or #id.")
            when = arrival_time(parse_time(values.get("date", "")), now=now or utcnow())
            # The key below digests the comment: masked first.
            comment = mask(values.get("comment", "")).text[: limits.SURVEY_COMMENT]
            with session_scope(engine) as session:
                current_actor(session, actor)
                ticket_id = _ticket_for(session, reference)
                keys = [_rating_key(ticket_id, score, when.isoformat() if when else "", comment)]
                raw_comment = raw.get("comment", "")[: limits.SURVEY_COMMENT]
                keys.append(_rating_key(ticket_id, score, raw.get("date", ""), raw_comment))
                if surveys.imported_before(session, keys):
                    unchanged.append(ticket_id)  # the same rating imported before
                    continue
                surveys.add_rating(
                    session,
                    ticket_id=ticket_id,
                    score=score,
                    comment=comment,
                    source="import",
                    responded_at=when or utcnow(),
                    import_key=keys[0],
                )
                audit.record(
                    session,
                    actor=actor.email,
                    action="csat.import",
                    entity_type="ticket",
                    entity_id=ticket_id,
                    detail={"score": score},
                )
            created.append(ticket_id)
            replaced = sum(c.replaced for c in cleaned.values())
            if replaced:
                warnings.append(RowError(row=n, error=replaced_note(replaced)))
        except SessionEndedError:
            raise  # not a fault of the row: the importer was signed out
        except AssistError as e:
            errors.append(RowError(row=n, error=str(e)))
    return ImportReport(
        created=tuple(created), unchanged=tuple(unchanged), errors=tuple(errors), warnings=tuple(warnings)
    )


def _rating_key(ticket_id: int, score: int, date: str, comment: str) -> str:
    """A rating's identity. The date is the parsed moment's ISO text; the second key of each row is the one
    versions before 2026-12 stored (the raw date text), so files imported then stay imported."""
    identity = f"{ticket_id}\x1f{score}\x1f{date}\x1f{comment}"
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()


def _ticket_for(session: Session, reference: str) -> int:
    if not reference:
        raise ValidationError("the ticket reference is empty.")
    ticket_id = surveys.ticket_for_reference(session, reference)
    if ticket_id is None:
        raise ValidationError(f"no ticket '{reference[:40]}'; use the helpdesk reference or #id.")
    return ticket_id
