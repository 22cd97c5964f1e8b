"""HTTP intake: a helpdesk's "ticket created" and "message added" webhooks become tickets
(`python -m assist serve`; OpenAPI docs at /docs).

Every request is signed (assist.signing: HMAC of "<timestamp>.<body>" with the shared secret, within
the replay window), its body size-limited before it is read whole, and validated by pydantic. A
retry is safe: the helpdesk's message id (or the Idempotency-Key header) is stored with the message,
and the same id is answered "unchanged" instead of writing twice (assist.intake.take_in, the path
the CSV import also uses). After a write the worker is told, so assistance is prepared at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from pydantic import ValidationError as SchemaError
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from assist.config import Settings
from assist.domain import ImportField
from assist.errors import AssistError, ConfigError
from assist.intake import take_in
from assist.preparation import waiting
from assist.signing import SignatureError, verify
from assist.store.db import session_scope
from assist.store.models import TicketRow

ACTOR = "intake:api"


class NewMessage(BaseModel):
    customer_email: str = Field(min_length=3, max_length=320)
    body: str = Field(min_length=1, description="Plain text; HTML is stored as text, never rendered.")
    message_id: str | None = Field(default=None, max_length=200, description="The helpdesk's id: retries are safe.")
    created_at: datetime | None = None


class NewTicket(NewMessage):
    external_id: str = Field(min_length=1, max_length=100, description="The helpdesk's ticket id.")
    subject: str = Field(default="", max_length=300)
    customer_name: str | None = Field(default=None, max_length=200)


class Accepted(BaseModel):
    ticket_id: int
    outcome: Literal["created", "appended", "unchanged"]


def create_app(engine: Engine, settings: Settings, *, announce: Callable[[int], None] = lambda _: None) -> FastAPI:
    """The intake service; `announce(ticket_id)` is told of every ticket a request created or added to."""
    if settings.intake_secret is None:
        raise ConfigError("Set INTAKE_SECRET (the key the helpdesk signs its requests with) before serving intake.")
    secret = settings.intake_secret.get_secret_value()
    app = FastAPI(title="Assist Console intake", version="1", description=__doc__)

    too_large = HTTPException(413, f"The body is over {settings.intake_max_bytes:,} bytes; shorten the message.")

    async def signed_body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > settings.intake_max_bytes:
            raise too_large  # refused before a byte of the body is read
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > settings.intake_max_bytes:
                raise too_large
        try:
            verify(
                secret,
                signed=request.headers.get("x-assist-signature"),
                timestamp=request.headers.get("x-assist-timestamp"),
                body=body,
                now=time.time(),
                window_s=settings.intake_replay_window_s,
            )
        except SignatureError as e:
            raise HTTPException(401, str(e)) from e
        return body

    def parse(model: type[NewMessage], body: bytes) -> Any:
        try:
            return model.model_validate_json(body)
        except SchemaError as e:
            problems = [f"{'.'.join(map(str, err['loc'])) or 'body'}: {err['msg']}" for err in e.errors()]
            raise HTTPException(422, problems) from e

    def write(values: dict[ImportField, str]) -> Accepted:
        try:
            ticket_id, outcome = take_in(engine, values, actor=ACTOR, max_chars=settings.max_message_chars)
        except AssistError as e:
            raise HTTPException(422, str(e)) from e
        if outcome != "unchanged":
            announce(ticket_id)
        return Accepted.model_validate({"ticket_id": ticket_id, "outcome": outcome})

    def values(message: NewMessage, request: Request, external_id: str) -> dict[ImportField, str]:
        key = message.message_id or request.headers.get("idempotency-key") or ""
        out = {
            ImportField.EXTERNAL_ID: external_id,
            ImportField.CUSTOMER_EMAIL: message.customer_email,
            ImportField.BODY: message.body,
            ImportField.MESSAGE_ID: key[:200],
            ImportField.CREATED: message.created_at.isoformat() if message.created_at else "",
        }
        if isinstance(message, NewTicket):
            out[ImportField.SUBJECT] = message.subject
            out[ImportField.CUSTOMER_NAME] = message.customer_name or ""
        return out

    @app.post(
        "/api/tickets",
        response_model=Accepted,
        status_code=201,
        openapi_extra={"requestBody": _body(NewTicket)},
    )
    async def create_ticket(request: Request) -> Accepted:
        """A new ticket (a retry of the same ticket answers "unchanged" with its id)."""
        ticket = parse(NewTicket, await signed_body(request))
        return await run_in_threadpool(write, values(ticket, request, ticket.external_id))

    @app.post(
        "/api/tickets/{external_id}/messages",
        response_model=Accepted,
        status_code=201,
        openapi_extra={"requestBody": _body(NewMessage)},
    )
    async def add_message(external_id: str, request: Request) -> Accepted:
        """The customer wrote again on a ticket created before."""
        message = parse(NewMessage, await signed_body(request))
        if not await run_in_threadpool(_exists, engine, external_id):
            raise HTTPException(404, f"No ticket with external id {external_id!r}: create it with POST /api/tickets.")
        return await run_in_threadpool(write, values(message, request, external_id))

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
        return session.scalar(select(TicketRow.id).where(TicketRow.external_id == external_id)) is not None
