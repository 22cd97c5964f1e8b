from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm.exc import StaleDataError

from assist.domain import AuthorRole, Category, TicketPage, TicketQuery, TicketSort, TicketStatus
from assist.errors import NotFoundError, ValidationError
from assist.store import session_scope
from assist.store.models import AuditEventRow, CsatRow, InvoiceRow, MessageRow, StatusChangeRow, TicketRow
from assist.store.tickets import add_message, clean_body, list_tickets, ticket_detail
from tests.conftest import NOW
from tests.factories import make_customer, make_ticket, make_user


def test_create_ticket_stores_first_message_status_and_audit(engine: Engine) -> None:
    with session_scope(engine) as session:
        ticket = make_ticket(session, body="  My invoice is wrong.  ")
        ticket_id = ticket.id
    with session_scope(engine) as session:
        ticket = session.get_one(TicketRow, ticket_id)
        assert ticket.status == "new"
        assert ticket.version == 1
        assert [(m.author_role, m.body) for m in ticket.messages] == [("customer", "My invoice is wrong.")]
        assert ticket.preview == "My invoice is wrong."
        changes = session.scalars(select(StatusChangeRow).where(StatusChangeRow.ticket_id == ticket_id)).all()
        assert [(c.from_status, c.to_status) for c in changes] == [(None, "new")]
        actions = session.scalars(select(AuditEventRow.action).where(AuditEventRow.entity_id == str(ticket_id))).all()
        assert actions == ["ticket.create"]


@pytest.mark.parametrize("body", ["", "   ", "\n\t"])
def test_empty_message_is_rejected_with_advice(body: str) -> None:
    with pytest.raises(ValidationError, match="empty"):
        clean_body(body, max_chars=100)


def test_oversized_message_is_rejected_with_the_limit() -> None:
    with pytest.raises(ValidationError, match="limit is 100"):
        clean_body("x" * 101, max_chars=100)


def test_agent_reply_sets_first_response_once_and_customer_reply_refreshes_preview(engine: Engine) -> None:
    with session_scope(engine) as session:
        ticket = make_ticket(session, created_at=NOW)
        agent = make_user(session)
        add_message(
            session,
            ticket=ticket,
            role=AuthorRole.AGENT,
            body="Try this.",
            actor=agent.email,
            author_id=agent.id,
            at=NOW + timedelta(hours=1),
        )
        add_message(
            session,
            ticket=ticket,
            role=AuthorRole.AGENT,
            body="And this.",
            actor=agent.email,
            author_id=agent.id,
            at=NOW + timedelta(hours=2),
        )
        add_message(
            session,
            ticket=ticket,
            role=AuthorRole.CUSTOMER,
            body="Still broken.",
            actor="c",
            at=NOW + timedelta(hours=3),
        )
        assert ticket.first_response_at == NOW + timedelta(hours=1)
        assert ticket.preview == "Still broken."
        assert ticket.updated_at == NOW + timedelta(hours=3)


def test_concurrent_update_of_the_same_version_fails(engine: Engine) -> None:
    with session_scope(engine) as session:
        ticket_id = make_ticket(session).id
    with session_scope(engine) as first, session_scope(engine) as second:
        a = first.get_one(TicketRow, ticket_id)
        b = second.get_one(TicketRow, ticket_id)
        a.priority = 9
        first.commit()
        b.priority = 1
        with pytest.raises(StaleDataError):
            second.flush()
        second.rollback()
    with session_scope(engine) as session:
        assert session.get_one(TicketRow, ticket_id).priority == 9


def _seed_list(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        alice = make_customer(session, name="Alice Mendez", email="alice@acme.example")
        bob = make_customer(session, name="Bob Stone", email="bob@globex.example", is_vip=True)
        agent = make_user(session, name="Maya")
        ids = {
            "refund": make_ticket(
                session,
                customer=alice,
                subject="Refund please",
                body="Charged twice 100%",
                category=Category.BILLING,
                priority=9,
                created_at=NOW - timedelta(days=3),
            ).id,
            "login": make_ticket(
                session,
                customer=bob,
                subject="Cannot log in",
                body="2FA code rejected",
                category=Category.ACCOUNT,
                priority=5,
                created_at=NOW - timedelta(days=2),
                assignee_id=agent.id,
            ).id,
            "api": make_ticket(
                session,
                customer=alice,
                subject="API 401 errors",
                body="invalid_api_key since today",
                category=Category.TECHNICAL,
                priority=5,
                created_at=NOW - timedelta(days=1),
                status="resolved",
            ).id,
        }
        ids["agent"] = agent.id
        return ids


def _ids(engine: Engine, **query: object) -> list[int]:
    with session_scope(engine) as session:
        return [r.id for r in list_tickets(session, query=TicketQuery.model_validate(query)).rows]


def test_list_filters_by_status_category_priority_and_assignee(engine: Engine) -> None:
    ids = _seed_list(engine)
    assert _ids(engine, statuses=["new"]) == [ids["refund"], ids["login"]]
    assert _ids(engine, categories=["technical"]) == [ids["api"]]
    assert _ids(engine, min_priority=8) == [ids["refund"]]
    assert _ids(engine, assignee_id=ids["agent"]) == [ids["login"]]
    assert set(_ids(engine, unassigned_only=True)) == {ids["refund"], ids["api"]}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("refund", ["refund"]),
        ("REFUND", ["refund"]),
        ("2fa code", ["login"]),
        ("globex", ["login"]),
        ("alice mendez", ["refund", "api"]),
        ("100%", ["refund"]),
        ("%", ["refund"]),
        ("_", ["api"]),
        ("zz%", []),
        ("'; DROP TABLE tickets; --", []),
    ],
)
def test_search_matches_subject_preview_and_customer_literally(engine: Engine, term: str, expected: list[str]) -> None:
    ids = _seed_list(engine)
    assert _ids(engine, search=term) == [ids[k] for k in expected]


def test_search_finds_word_starts_and_puts_the_customer_named_first(engine: Engine) -> None:
    """Defect (issue 34): "Eve" matched "every" and "never", and the results were not ordered by relevance."""
    with session_scope(engine) as session:
        eve = make_customer(session, name="Eve Martin", email="eve.martin@example.com")
        other = make_customer(session, name="Steve Ng", email="steve@example.com")
        never = make_ticket(session, customer=other, subject="It never loads", body="Nothing happens.")
        every = make_ticket(session, customer=other, subject="Slow every morning", body="Each day at nine.")
        hers = make_ticket(session, customer=eve, subject="Invoice question", body="Which VAT rate applies?")
        ids = {"never": never.id, "every": every.id, "hers": hers.id}
    for sort in TicketSort:
        assert _ids(engine, search="Eve", sort=sort) == [ids["hers"], ids["every"]], sort


def test_search_by_ticket_number(engine: Engine) -> None:
    ids = _seed_list(engine)
    assert _ids(engine, search=f"#{ids['api']}") == [ids["api"]]


def test_sort_orders(engine: Engine) -> None:
    ids = _seed_list(engine)
    assert _ids(engine, sort=TicketSort.PRIORITY) == [ids["refund"], ids["login"], ids["api"]]
    assert _ids(engine, sort=TicketSort.NEWEST) == [ids["api"], ids["login"], ids["refund"]]
    assert _ids(engine, sort=TicketSort.OLDEST) == [ids["refund"], ids["login"], ids["api"]]


def test_pages_counts_and_totals(engine: Engine) -> None:
    _seed_list(engine)
    with session_scope(engine) as session:
        page = list_tickets(session, query=TicketQuery(statuses=(TicketStatus.NEW,), page_size=1, page=2))
        assert (page.total, page.page, page.page_count, len(page.rows)) == (2, 2, 2, 1)
        assert page.status_counts[TicketStatus.NEW] == 2
        assert page.status_counts[TicketStatus.RESOLVED] == 1  # counts ignore the status filter
        beyond = list_tickets(session, query=TicketQuery(page_size=2, page=99))
        assert beyond.page == 2  # clamped to the last page, never an empty page past the end


def test_ticket_detail_has_thread_customer_invoices_and_history(engine: Engine) -> None:
    ids = _seed_list(engine)
    with session_scope(engine) as session:
        session.add(CsatRow(ticket_id=ids["api"], score=4, responded_at=NOW))
        alice_id = session.get_one(TicketRow, ids["refund"]).customer_id
        session.add(InvoiceRow(customer_id=alice_id, number="INV-1", amount_cents=2900, status="paid", issued_at=NOW))
    with session_scope(engine) as session:
        detail = ticket_detail(session, ticket_id=ids["refund"])
    assert detail.messages[0].body == "Charged twice 100%"
    assert detail.messages[0].author_name == "Alice Mendez"
    assert detail.customer.contact_count == 2
    assert [(t.id, t.csat_score) for t in detail.customer.previous_tickets] == [(ids["api"], 4)]
    assert [i.number for i in detail.customer.invoices] == ["INV-1"]


def test_unknown_ticket_raises_not_found(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(NotFoundError, match="#999"):
        ticket_detail(session, ticket_id=999)


def test_messages_are_deleted_with_their_ticket(engine: Engine) -> None:
    with session_scope(engine) as session:
        ticket_id = make_ticket(session).id
    with session_scope(engine) as session:
        session.delete(session.get_one(TicketRow, ticket_id))
    with session_scope(engine) as session:
        assert session.scalars(select(MessageRow).where(MessageRow.ticket_id == ticket_id)).all() == []


@pytest.mark.parametrize("text", ["²", "#²", "-1", "1e3", "99999999999999999999", "#", "12 3", "١٢"])
def test_only_plain_ascii_ticket_numbers_are_ids(text: str) -> None:
    """Security probe: `isdigit()` accepted "²" and huge numbers overflowed, crashing every rerun."""
    from assist.store.tickets import parse_ticket_id

    assert parse_ticket_id(text) is None


def test_searching_a_ticket_number_finds_it_whatever_the_status_filter(engine: Engine) -> None:
    from assist.domain import TicketQuery, TicketStatus
    from assist.store.tickets import list_tickets

    with session_scope(engine) as session:
        ticket = make_ticket(session, status="resolved")
        page = list_tickets(session, query=TicketQuery(statuses=(TicketStatus.NEW,), search=f"#{ticket.id}"))
        assert [r.id for r in page.rows] == [ticket.id]
        for hostile in ("²", "#99999999999999999999"):
            assert list_tickets(session, query=TicketQuery(search=hostile)).total == 0


def test_a_search_counts_its_matches_up_to_a_limit_and_says_so(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    import assist.store.tickets as tickets

    monkeypatch.setattr(tickets, "SEARCH_COUNT_LIMIT", 2)
    with session_scope(engine) as session:
        for n in range(3):
            make_ticket(session, subject=f"Refund request {n}")
        make_ticket(session, subject="Password reset")

    def page(search: str) -> TicketPage:
        with session_scope(engine) as session:
            return list_tickets(session, query=TicketQuery(search=search))

    many, few, all_of_them = page("refund"), page("password"), page("")
    assert many.more_than_counted and len(many.rows) == 2  # beyond the limit: "narrow the search"
    assert not few.more_than_counted and few.total == 1
    assert not all_of_them.more_than_counted and all_of_them.total == 4  # no search: the kept counts, exact
