"""HTTP intake: a helpdesk's "ticket created" and "message added" webhooks become tickets
(`python -m assist serve`; OpenAPI docs at /docs).

Every request is signed (assist.signing: HMAC of "<timestamp>.<path>.<body>" with the shared secret, within
the replay window), its body size-limited before it is read whole, and validated by pydantic. A
retry is safe: a message's identity comes only from what is signed, the helpdesk's `message_id` in the
body, or else a digest of the signed timestamp and body, and the same identity is answered "unchanged"
instead of writing twice (assist.intake.take_in, the path the CSV import also uses). An Idempotency-Key
header is not signed, so it decides nothing: a captured request replayed with a new key is "unchanged".
After a write the worker is told, so assistance is prepared at once; when it cannot be told (the queue is
down) the answer says so and the ticket waits for the workers' next sweep.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from pydantic import ValidationError as SchemaError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from assist.arrival import ATTACHMENT_NAME_CHARS, Arrival, Attachment
from assist.config import Settings
from assist.domain import Channel
from assist.errors import AssistError, ConfigError
from assist.identifiers import MAX_EMAIL_CHARS, MAX_EXTERNAL_ID_CHARS, check_external_id
from assist.intake import take_in
from assist.masking import MaskRules
from assist.preparation import waiting
from assist.signing import SignatureError, timestamped, verify
from assist.store import limits
from assist.store.db import session_scope
from assist.store.tickets import external_id_taken

log = logging.getLogger(__name__)
ACTOR = "intake:api"
MAX_ATTACHMENTS = 1000  # listed up to arrival.ATTACHMENTS_LISTED, then counted
QUEUED_LATER = (
    "Stored, queued later: the queue cannot be reached now; the workers' sweep queues this ticket when it is "
    "back. Do not resend."
)


class AttachedFile(BaseModel):
    name: str = Field(min_length=1, max_length=ATTACHMENT_NAME_CHARS)
    size: int = Field(ge=0, le=10**13, description="Bytes.")


class NewMessage(BaseModel):
    customer_email: str = Field(min_length=3, max_length=MAX_EMAIL_CHARS)
    body: str = Field(min_length=1, description="Plain text; HTML is stored as text, never rendered.")
    message_id: str | None = Field(
        default=None,
        max_length=limits.MESSAGE_ID,
        description="The helpdesk's id of this message: a retry, even re-signed, is answered unchanged. "
        "Without it a message's identity is the signed timestamp and body.",
    )
    created_at: datetime | None = None
    attachments: list[AttachedFile] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description="Files that came with the message, listed under it (names and sizes; the files stay in the "
        "helpdesk).",
    )


class NewTicket(NewMessage):
    external_id: str = Field(min_length=1, max_length=MAX_EXTERNAL_ID_CHARS, description="The helpdesk's ticket id.")
    channel: Channel = Field(
        default=Channel.EMAIL,
        description="How the customer wrote: email, chat, web (a web form) or phone (an agent's note of a call).",
    )
    subject: str = Field(default="", max_length=limits.SUBJECT)
    customer_name: str | None = Field(default=None, max_length=limits.CUSTOMER_NAME)


class Accepted(BaseModel):
    ticket_id: int
    outcome: Literal["created", "appended", "unchanged"]
    note: str | None = Field(default=None, description="Present when the message was stored but not queued.")


@dataclass(frozen=True)
class Signed:
    body: bytes
    identity: str  # what decides "the same message" when the body names no message_id


def create_app(
    engine: Engine,
    settings: Settings,
    *,
    announce: Callable[[int], None] = lambda _: None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """The intake service; `announce(ticket_id)` is told of every ticket a request created or added to;
    `clock` gives the time signatures and dates are checked against."""
    if settings.intake_secret is None:
        raise ConfigError("Set INTAKE_SECRET (the key the helpdesk signs its requests with) before serving intake.")
    secret = settings.intake_secret.get_secret_value()
    app = FastAPI(title="Assist Console intake", version="1", description=__doc__)

    too_large = HTTPException(413, f"The body is over {settings.intake_max_bytes:,} bytes; shorten the message.")

    async def signed_body(request: Request) -> Signed:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > settings.intake_max_bytes:
            raise too_large  # refused before a byte of the body is read
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > settings.intake_max_bytes:
                raise too_large
        timestamp = request.headers.get("x-assist-timestamp")
        try:
            verify(
                secret,
                signed=request.headers.get("x-assist-signature"),
                timestamp=timestamp,
                path=request.scope["path"],
                body=body,
                now=clock(),
                window_s=settings.intake_replay_window_s,
            )
        except SignatureError as e:
            raise HTTPException(401, str(e)) from e
        # Only signed bytes decide identity: a replay of this request within the window, whatever headers
        # it changes, is the same message; the signed path keeps it on its own URL.
        digest = hashlib.sha256(timestamped(str(timestamp), request.scope["path"], body)).hexdigest()[:40]
        return Signed(body=body, identity=f"signed:{digest}")

    def addressable(external_id: str) -> str:
        try:
            return check_external_id(external_id)
        except AssistError as e:
            raise HTTPException(422, str(e)) from e

    def parse(model: type[NewMessage], body: bytes) -> Any:
        try:
            return model.model_validate_json(body)
        except SchemaError as e:
            problems = [f"{'.'.join(map(str, err['loc'])) or 'body'}: {err['msg']}" for err in e.errors()]
            raise HTTPException(422, problems) from e

    def write(arrival: Arrival) -> Accepted:
        now = datetime.fromtimestamp(clock(), UTC)
        try:
            ticket_id, outcome = take_in(
                engine,
                arrival,
                actor=ACTOR,
                max_chars=settings.max_message_chars,
                now=now,
                masking=MaskRules.from_settings(settings),
                holdout_percent=settings.assist_holdout_percent,
            )
        except AssistError as e:
            raise HTTPException(422, str(e)) from e
        note = None
        if outcome != "unchanged":
            try:
                announce(ticket_id)
            except Exception:  # stored is stored: the ticket waits (preparation.waiting) for the next sweep
                log.warning("ticket %s stored, but the workers could not be told", ticket_id, exc_info=True)
                note = QUEUED_LATER
        return Accepted.model_validate({"ticket_id": ticket_id, "outcome": outcome, "note": note})

    def arrival(message: NewMessage, signed: Signed, external_id: str) -> Arrival:
        ticket = message if isinstance(message, NewTicket) else None
        return Arrival(
            # A follow-up's channel is the ticket's own (kept when it was created); this value is not stored.
            channel=ticket.channel if ticket else Channel.EMAIL,
            customer_email=message.customer_email,
            body=message.body,
            external_id=external_id,
            subject=ticket.subject if ticket else "",
            customer_name=(ticket.customer_name or "") if ticket else "",
            message_id=message.message_id or signed.identity,
            sent_at=message.created_at,
            attachments=tuple(Attachment(name=f.name, size=f.size) for f in message.attachments),
        )

    @app.post(
        "/api/tickets",
        response_model=Accepted,
        response_model_exclude_none=True,
        status_code=201,
        openapi_extra={"requestBody": _body(NewTicket)},
    )
    async def create_ticket(request: Request) -> Accepted:
        """A new ticket (a retry of the same ticket answers "unchanged" with its id)."""
        signed = await signed_body(request)
        ticket = parse(NewTicket, signed.body)
        # Required here (an import may leave it out): a ticket its follow-ups could not address is refused.
        return await run_in_threadpool(write, arrival(ticket, signed, addressable(ticket.external_id)))

    # `:path`, so an external id with "/" (percent-encoded by the client, or decoded by a proxy) is found.
    @app.post(
        "/api/tickets/{external_id:path}/messages",
        response_model=Accepted,
        response_model_exclude_none=True,
        status_code=201,
        openapi_extra={"requestBody": _body(NewMessage)},
    )
    async def add_message(external_id: str, request: Request) -> Accepted:
        """The customer wrote again on a ticket created before (percent-encode the external id in the URL)."""
        signed = await signed_body(request)
        message = parse(NewMessage, signed.body)
        external_id = addressable(external_id)
        if not await run_in_threadpool(_exists, engine, external_id):
            raise HTTPException(404, f"No ticket with external id {external_id!r}: create it with POST /api/tickets.")
        return await run_in_threadpool(write, arrival(message, signed, external_id))

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        """Up, and how many open tickets still wait for their assistance."""
        pending = await run_in_threadpool(waiting, engine, limit=1000)
        return {"status": "ok", "preparing": len(pending)}

    return app


def _body(model: type[BaseModel]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}


def _exists(engine: Engine, external_id: str) -> bool:
    with session_scope(engine) as session:
        return external_id_taken(session, external_id)
