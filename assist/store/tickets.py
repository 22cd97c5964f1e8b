"""Ticket repository: create tickets, add messages, list and load them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal_column, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session, joinedload, selectinload

from assist.domain import (
    OPEN_STATUSES,
    Arm,
    AuthorRole,
    Category,
    Channel,
    EscalatedTo,
    InboxRow,
    InboxView,
    Message,
    Owner,
    Queue,
    Role,
    TicketDetail,
    TicketPage,
    TicketQuery,
    TicketSort,
    TicketStatus,
)
from assist.errors import NotFoundError, ValidationError
from assist.store import audit
from assist.store.customers import customer_profile
from assist.store.facts import UNCATEGORISED
from assist.store.models import CustomerRow, EscalationRow, MessageRow, StatusChangeRow, TicketCountRow, UserRow
from assist.store.models import TicketRow as Ticket
from assist.text import is_blank
from assist.times import utcnow

PREVIEW_CHARS = 300


def clean_body(body: str, *, max_chars: int) -> str:
    """Validate a message body; returns it stripped (invisible characters are kept as evidence).

    Raises:
        ValidationError: empty (also when only invisible characters: `text.is_blank`), or longer than `max_chars`.
    """
    text = body.strip()
    if is_blank(text):
        raise ValidationError("The message is empty: write something before saving.")
    if len(text) > max_chars:
        raise ValidationError(
            f"The message is {len(text):,} characters; the limit is {max_chars:,}. Shorten it or attach a file instead."
        )
    return text


def create_ticket(
    session: Session,
    *,
    customer: CustomerRow,
    subject: str,
    body: str,
    actor: str,
    channel: Channel = Channel.EMAIL,
    category: Category | None = None,
    intent: str | None = None,
    priority: int = 3,
    external_id: str | None = None,
    created_at: datetime | None = None,
    max_chars: int = 20_000,
    message_external_id: str | None = None,
) -> Ticket:
    """Open a ticket with its first customer message, a `new` status record and an audit event."""
    text = clean_body(body, max_chars=max_chars)
    subject = subject.strip()[:300]
    if is_blank(subject):  # the first line a person can read stands in for a missing subject
        subject = next(line.strip() for line in text.splitlines() if not is_blank(line))[:120]
    when = created_at or utcnow()
    ticket = Ticket(
        customer=customer,
        subject=subject,
        preview=text[:PREVIEW_CHARS],
        channel=channel.value,
        status=TicketStatus.NEW.value,
        priority=max(1, min(10, priority)),
        category=category.value if category else None,
        intent=intent,
        external_id=external_id,
        created_at=when,
        updated_at=when,
        status_changed_at=when,
    )
    session.add(ticket)
    session.flush()
    session.add(
        MessageRow(
            ticket_id=ticket.id,
            author_role=AuthorRole.CUSTOMER.value,
            body=text,
            created_at=when,
            external_id=message_external_id,
        )
    )
    session.add(StatusChangeRow(ticket_id=ticket.id, from_status=None, to_status="new", actor=actor, changed_at=when))
    audit.record(
        session,
        actor=actor,
        action="ticket.create",
        entity_type="ticket",
        entity_id=ticket.id,
        at=when,
        detail={"subject": subject, "customer_id": customer.id, "channel": channel.value},
    )
    return ticket


def add_message(
    session: Session,
    *,
    ticket: Ticket,
    role: AuthorRole,
    body: str,
    actor: str,
    author_id: int | None = None,
    at: datetime | None = None,
    max_chars: int = 20_000,
    external_id: str | None = None,
) -> MessageRow:
    """Append a message; customer messages refresh the preview, the first agent reply sets first response."""
    text = clean_body(body, max_chars=max_chars)
    when = at or utcnow()
    message = MessageRow(
        ticket_id=ticket.id,
        author_role=role.value,
        author_user_id=author_id,
        body=text,
        created_at=when,
        external_id=external_id,
    )
    session.add(message)
    ticket.updated_at = when
    if role is AuthorRole.CUSTOMER:
        ticket.preview = text[:PREVIEW_CHARS]
    if role is AuthorRole.AGENT and ticket.first_response_at is None:
        ticket.first_response_at = when
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"message.{role.value}",
        entity_type="ticket",
        entity_id=ticket.id,
        at=when,
        detail={"message_id": message.id, "chars": len(text)},
    )
    return message


MAX_CUSTOMER_MATCHES = 500


def _contains(
    session: Session, column: ColumnElement[str] | InstrumentedAttribute[str], term: str
) -> ColumnElement[bool]:
    # SQLite's LIKE is already case-insensitive (ASCII) and lower() would double the scan cost.
    if session.get_bind().dialect.name == "sqlite":
        return column.contains(term, autoescape=True)
    return column.icontains(term, autoescape=True)


_TICKET_ID = re.compile(r"#?([0-9]{1,9})")  # ASCII digits only ("²".isdigit() is True), within an INTEGER


def ticket_exists(session: Session, ticket_id: int) -> bool:
    return session.get(Ticket, ticket_id) is not None


def external_id_taken(session: Session, external_id: str) -> bool:
    """A ticket already came in under this helpdesk id."""
    return session.scalar(select(Ticket.id).where(Ticket.external_id == external_id)) is not None


def parse_ticket_id(text: str) -> int | None:
    """`123` or `#123` as a ticket id; anything else (other digits, signs, huge numbers) is not an id."""
    match = _TICKET_ID.fullmatch(text.strip())
    return int(match.group(1)) if match else None


# A search finds words that start with the term: "Eve" finds Eve, Evelyn and "every", not "never" or "Steve".
_WORD_BREAKS = (" ", "-", "(", "'", '"', "/", ".", "_", "@", ",", ":", "\n")


def _starts_word(session: Session, column: InstrumentedAttribute[str], term: str) -> ColumnElement[bool]:
    # The plain substring test first: the index (PostgreSQL's trigrams) finds the few candidates, and the
    # word-start tests run on those alone. A term that starts with punctuation ("%", "_id") is found anywhere.
    if not term[:1].isalnum():
        return _contains(session, column, term)
    at_start = column.istartswith(term, autoescape=True)
    after_break = [_contains(session, column, f"{b}{term}") for b in _WORD_BREAKS]
    return and_(_contains(session, column, term), or_(at_start, *after_break))


@dataclass(frozen=True)
class _Search:
    matches: ColumnElement[bool]
    relevance: tuple[Any, ...]  # order before the chosen sort: the customer's name, then the subject


def _search(session: Session, term: str) -> _Search:
    ticket_id = parse_ticket_id(term)
    if ticket_id is not None:
        return _Search(or_(Ticket.id == ticket_id, Ticket.external_id == term), ())
    # Resolve matching customers first: a short id list beats a correlated subquery per ticket.
    customer_ids = session.scalars(
        select(CustomerRow.id)
        .where(or_(_starts_word(session, CustomerRow.name, term), _starts_word(session, CustomerRow.email, term)))
        .limit(MAX_CUSTOMER_MATCHES)
    ).all()
    in_subject = _starts_word(session, Ticket.subject, term)
    by_customer = Ticket.customer_id.in_(customer_ids)
    matches = or_(in_subject, _starts_word(session, Ticket.preview, term), Ticket.external_id == term, by_customer)
    return _Search(matches, (case((by_customer, 0), (in_subject, 1), else_=2),))


@dataclass(frozen=True)
class _Columns:
    """The ticket columns the inbox filters on: the tickets themselves, or their kept counts."""

    status: Any
    priority: Any
    category: Any
    assignee_id: Any


_TICKETS = _Columns(Ticket.status, Ticket.priority, Ticket.category, Ticket.assignee_id)
# The counts store "no category" and "nobody" as values (they are part of a key); NULL again here.
_COUNTED = _Columns(
    TicketCountRow.status,
    TicketCountRow.priority,
    func.nullif(TicketCountRow.category, UNCATEGORISED),
    func.nullif(TicketCountRow.assignee_id, 0),
)
# A text search counts its matches up to this many ("1,000+"): counting every match of a common word
# in a million tickets would cost more than the page it is shown beside.
SEARCH_COUNT_LIMIT = 1000


def view_conditions(
    view: InboxView, *, viewer_id: int | None, viewer_role: Role, on: _Columns = _TICKETS
) -> list[ColumnElement[bool]]:
    """What a view holds: the one definition the list and the counts beside the views share."""
    if view is InboxView.ALL:
        return []
    if viewer_id is None and view in (InboxView.MINE, InboxView.ESCALATED_TO_ME):
        raise ValidationError(f"The {view.value} view needs to know who is looking. Sign in again.")
    is_open = on.status.in_(sorted(s.value for s in OPEN_STATUSES))
    leads = select(UserRow.id).where(UserRow.role.in_((Role.LEAD.value, Role.ADMIN.value)))
    no_lead_owns = or_(on.assignee_id.is_(None), on.assignee_id.not_in(leads))
    if view is InboxView.MINE:
        return [is_open, on.assignee_id == viewer_id]
    if view is InboxView.UNASSIGNED:
        return [is_open, on.assignee_id.is_(None)]
    if view is InboxView.OPEN:
        # An agent works what tier 1 owns: tickets leads took over are theirs, and would lead every sort.
        return [is_open, no_lead_owns] if viewer_role is Role.AGENT else [is_open]
    return [on.status == TicketStatus.ESCALATED.value, or_(on.assignee_id == viewer_id, no_lead_owns)]


def view_counts(
    session: Session, *, views: tuple[InboxView, ...], viewer_id: int, viewer_role: Role
) -> dict[InboxView, int]:
    """How many tickets each view holds, in one query over the kept counts."""
    columns = [
        func.coalesce(
            func.sum(TicketCountRow.n).filter(
                and_(true(), *view_conditions(v, viewer_id=viewer_id, viewer_role=viewer_role, on=_COUNTED))
            ),
            0,
        )
        for v in views
    ]
    return dict(zip(views, session.execute(select(*columns)).one(), strict=True))


def _filters(query: TicketQuery, on: _Columns = _TICKETS, search: _Search | None = None) -> list[ColumnElement[bool]]:
    """Every filter except status, which `list_tickets` applies separately to share the count query.
    The search term applies to tickets only (the kept counts are not asked when there is one)."""
    conditions: list[ColumnElement[bool]] = []
    if parse_ticket_id(query.search) is None:  # "#123" finds that ticket in any view
        conditions += view_conditions(query.view, viewer_id=query.viewer_id, viewer_role=query.viewer_role, on=on)
    if query.min_priority > 1:
        conditions.append(on.priority >= query.min_priority)
    if query.categories:
        conditions.append(on.category.in_([c.value for c in query.categories]))
    if query.unassigned_only:
        conditions.append(on.assignee_id.is_(None))
    elif query.assignee_id is not None:
        conditions.append(on.assignee_id == query.assignee_id)
    if search is not None:
        conditions.append(search.matches)
    return conditions


_SORTS: dict[TicketSort, tuple[tuple[str, bool], ...]] = {  # (column, descending) in order
    TicketSort.PRIORITY: (("priority", True), ("created_at", False), ("id", False)),
    TicketSort.NEWEST: (("created_at", True), ("id", True)),
    TicketSort.OLDEST: (("created_at", False), ("id", False)),
    TicketSort.UPDATED: (("updated_at", True), ("id", True)),
}
_ORDER = {
    sort: tuple(getattr(Ticket, name).desc() if desc else getattr(Ticket, name).asc() for name, desc in keys)
    for sort, keys in _SORTS.items()
}
# SQLite has no text index, so a search reads every ticket anyway: ordering by "+column" (the same value)
# keeps it from walking the order index with a table lookup per ticket (120 ms instead of 19 for a rare
# term in 100k tickets). PostgreSQL finds the matches with its trigram indexes and keeps the plain order.
_SCAN_ORDER: dict[TicketSort, tuple[Any, ...]] = {
    sort: tuple(
        literal_column(f"+tickets.{name}").desc() if desc else literal_column(f"+tickets.{name}").asc()
        for name, desc in keys
    )
    for sort, keys in _SORTS.items()
}


def list_tickets(session: Session, *, query: TicketQuery) -> TicketPage:
    """One page of tickets for the inbox, the total, and counts per status under the other filters.

    Without a search the counts come from the kept counts (`ticket_counts`). A search reads its matches
    once, in list order, up to `SEARCH_COUNT_LIMIT` + 1: they are counted from there ("1,000+" beyond),
    and the page is cut from them unless a status filter asks for its own read."""
    search = _search(session, query.search.strip()) if query.search.strip() else None
    filters = _filters(query, search=search)
    statuses = tuple(TicketStatus)
    by_id = parse_ticket_id(query.search) is not None  # "#123" finds that ticket whatever its status
    matches: list[int] | None = None
    relevance = search.relevance if search else ()
    if search is not None:
        found = session.execute(
            select(Ticket.id, Ticket.status)
            .where(and_(true(), *filters))
            .order_by(*relevance, *(_SCAN_ORDER if session.get_bind().dialect.name == "sqlite" else _ORDER)[query.sort])
            .limit(SEARCH_COUNT_LIMIT + 1)
        ).all()
        counts = {s: sum(1 for _, status in found if status == s.value) for s in statuses}
        more = len(found) > SEARCH_COUNT_LIMIT
        matches = [ticket_id for ticket_id, _ in found[:SEARCH_COUNT_LIMIT]]
    else:
        sums = [func.coalesce(func.sum(TicketCountRow.n).filter(TicketCountRow.status == s.value), 0) for s in statuses]
        row = session.execute(select(*sums).where(and_(true(), *_filters(query, on=_COUNTED)))).one()
        counts, more = dict(zip(statuses, row, strict=True)), False
    selected = query.statuses if query.statuses and not by_id else statuses
    total = sum(counts.get(s, 0) for s in selected)
    page_count = max(1, math.ceil(total / query.page_size))
    page = min(query.page, page_count)
    first = (page - 1) * query.page_size
    if query.statuses and not by_id:
        filters.append(Ticket.status.in_([s.value for s in query.statuses]))
    elif matches is not None:  # the page is a slice of the matches already read, in order
        filters = [Ticket.id.in_(matches[first : first + query.page_size])]
        first = 0
    stmt: Select[Ticket] = (
        select(Ticket)
        .where(and_(true(), *filters))
        .options(joinedload(Ticket.customer), joinedload(Ticket.assignee))
        .order_by(*relevance, *_ORDER[query.sort])
        .limit(query.page_size)
        .offset(first)
    )
    rows = tuple(_row(t) for t in session.scalars(stmt))
    return TicketPage(
        rows=rows,
        total=total,
        page=page,
        page_count=page_count,
        status_counts=counts,
        listed=tuple(selected),
        more_than_counted=more,
    )


def _row(t: Ticket) -> InboxRow:
    return InboxRow(
        id=t.id,
        subject=t.subject,
        preview=t.preview,
        status=TicketStatus(t.status),
        priority=t.priority,
        category=Category(t.category) if t.category else None,
        channel=Channel(t.channel),
        customer_name=t.customer.name,
        customer_vip=t.customer.is_vip,
        assignee_name=t.assignee.name if t.assignee else None,
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


def ticket_detail(session: Session, *, ticket_id: int) -> TicketDetail:
    """The whole ticket: thread, customer profile and the customer's earlier tickets."""
    ticket = session.scalar(
        select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(
            joinedload(Ticket.customer),
            joinedload(Ticket.assignee),
            selectinload(Ticket.messages).joinedload(MessageRow.author),
        )
    )
    if ticket is None:
        raise NotFoundError(f"Ticket #{ticket_id} does not exist. Pick another ticket from the inbox.")
    messages = tuple(
        Message(
            id=m.id,
            author_role=AuthorRole(m.author_role),
            author_name=_author_name(m, ticket.customer.name),
            body=m.body,
            created_at=m.created_at,
            author_id=m.author_user_id,
        )
        for m in ticket.messages
    )
    owner, escalation = _owner(session, ticket)
    return TicketDetail(
        id=ticket.id,
        external_id=ticket.external_id,
        subject=ticket.subject,
        status=TicketStatus(ticket.status),
        priority=ticket.priority,
        category=Category(ticket.category) if ticket.category else None,
        channel=Channel(ticket.channel),
        assignee_id=ticket.assignee_id,
        assignee_name=ticket.assignee.name if ticket.assignee else None,
        version=ticket.version,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        first_response_at=ticket.first_response_at,
        messages=messages,
        customer=customer_profile(session, customer=ticket.customer, exclude_ticket_id=ticket.id),
        owner=owner,
        escalation=escalation,
        arm=Arm(ticket.arm) if ticket.arm else None,
    )


# Who owns a ticket, by the state of its newest escalation (none, or one resolved: the team).
OWNER_BY_ESCALATION = {"open": Owner.ESCALATED, "taken": Owner.LEAD, "returned": Owner.RETURNED}


def owner_now() -> ColumnElement[str]:
    """`TicketDetail.owner` in SQL, correlated to the ticket in the query (`TicketRow`)."""
    newest = (
        select(EscalationRow.state)
        .where(EscalationRow.ticket_id == Ticket.id)
        .order_by(EscalationRow.id.desc())
        .limit(1)
        .correlate(Ticket)
        .scalar_subquery()
    )
    owners = {state: owner.value for state, owner in OWNER_BY_ESCALATION.items()}
    return case(owners, value=newest, else_=Owner.TEAM.value)


def _owner(session: Session, ticket: Ticket) -> tuple[Owner, EscalatedTo | None]:
    """Who owns the ticket now, from the state of its newest escalation; where that went while it is active."""
    row = session.execute(
        select(EscalationRow.state, EscalationRow.queue, EscalationRow.created_by_id, UserRow.name)
        .outerjoin(UserRow, UserRow.id == EscalationRow.created_by_id)
        .where(EscalationRow.ticket_id == ticket.id)
        .order_by(EscalationRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return Owner.TEAM, None
    owner = OWNER_BY_ESCALATION.get(row.state, Owner.TEAM)
    active = owner in (Owner.ESCALATED, Owner.LEAD)
    return owner, EscalatedTo(queue=Queue(row.queue), by_id=row.created_by_id, by_name=row.name) if active else None


def _author_name(message: MessageRow, customer_name: str) -> str:
    if message.author is not None:
        return message.author.name
    return customer_name if message.author_role == AuthorRole.CUSTOMER.value else message.author_role.title()
