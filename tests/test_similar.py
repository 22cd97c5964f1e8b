"""Similar resolved tickets: the index is kept on write, how a ticket ended is read live, and nothing of the
other customer reaches this one."""

from __future__ import annotations

from pathlib import Path

import chromadb
import pytest
from sqlalchemy import Engine

from assist.config import Settings
from assist.csat import submit_rating, survey_token
from assist.domain import AuthorRole, User
from assist.embeddings import Embedder
from assist.kb.vectors import answered_collection, chroma_settings
from assist.similar import SimilarIndex, catch_up_similar, past_reply, similar_tickets
from assist.store.db import session_scope
from assist.store.models import ArticleRow, DraftRow, InvoiceRow, TicketRow
from assist.store.tickets import add_message, ticket_detail
from assist.ticket_actions import reopen, send_reply
from tests.conftest import NOW
from tests.factories import make_actor, make_customer, make_ticket

SETTINGS = Settings(smtp_host=None, webhook_url=None, max_message_chars=4000)
ADMIN_QUESTION = "How can I make my colleague an admin of our workspace? She needs to manage billing."
ADMIN_REPLY = (
    "Hi Dana,\n\nGo to Settings > Members, open your colleague's row and choose Admin as the role.\n\n"
    'You can read more in our help article "Roles and permissions": https://help.example.com/roles\n\n'
    "Best regards,\nLumen Support"
)


@pytest.fixture
def index(tmp_path: Path, embedder: Embedder) -> SimilarIndex:
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=chroma_settings())
    return SimilarIndex(collection=answered_collection(client, embedder), embedder=embedder)


def _ticket(engine: Engine, *, subject: str, body: str, name: str = "Sam Okafor", **customer: str) -> int:
    with session_scope(engine) as session:
        who = make_customer(session, name=name, **customer)
        return make_ticket(session, customer=who, subject=subject, body=body).id


def _agent(engine: Engine) -> User:
    with session_scope(engine) as session:
        return make_actor(session, name="Ana Agent")


def send_and_index(
    engine: Engine, index: SimilarIndex, ticket_id: int, text: str, agent: User, *, resolve: bool = True
) -> None:
    with session_scope(engine) as session:
        version = ticket_detail(session, ticket_id=ticket_id).version
    send_reply(
        engine,
        ticket_id=ticket_id,
        expected_version=version,
        text=text,
        draft_id=None,
        actor=agent,
        resolve=resolve,
        settings=SETTINGS,
        similar=index,
    )


def _similar(engine: Engine, index: SimilarIndex, ticket_id: int) -> tuple:  # type: ignore[type-arg]
    with session_scope(engine) as session:
        ticket = ticket_detail(session, ticket_id=ticket_id)
    return similar_tickets(engine, index, ticket=ticket)


def test_a_send_adds_the_ticket_to_the_index_and_a_later_similar_question_finds_it(
    sqlite_engine: Engine, index: SimilarIndex
) -> None:
    agent = _agent(sqlite_engine)
    first = _ticket(sqlite_engine, subject="Admin rights", body=ADMIN_QUESTION, name="Dana Whitfield")
    other = _ticket(sqlite_engine, subject="Export", body="Can I export all invoices as one CSV file for our auditors?")
    send_and_index(sqlite_engine, index, first, ADMIN_REPLY, agent)
    export = "Hi,\n\nUse Billing > Export > CSV.\n\nBest regards,\nLumen Support"
    send_and_index(sqlite_engine, index, other, export, agent)
    assert index.collection.count() == 2  # kept on write: no read has caught up yet
    later = _ticket(sqlite_engine, subject="New admin", body="Please give my coworker admin rights on our account.")

    found = _similar(sqlite_engine, index, later)

    assert found[0].ticket_id == first
    assert found[0].ending == "resolved"
    assert found[0].reply.startswith("Hi Sam,")  # re-addressed to this customer
    assert "Settings > Members" in found[0].reply
    assert [a.title for a in found[0].articles] == ["Roles and permissions"]
    assert all(s.ticket_id != later for s in found)


def test_an_unresolved_ticket_is_not_offered(sqlite_engine: Engine, index: SimilarIndex) -> None:
    agent = _agent(sqlite_engine)
    waiting = _ticket(sqlite_engine, subject="Admin rights", body=ADMIN_QUESTION)
    send_and_index(sqlite_engine, index, waiting, ADMIN_REPLY, agent, resolve=False)
    later = _ticket(sqlite_engine, subject="New admin", body="Please give my coworker admin rights on our account.")

    assert _similar(sqlite_engine, index, later) == ()


def test_a_reopen_and_a_bad_csat_show_in_how_it_ended(sqlite_engine: Engine, index: SimilarIndex) -> None:
    agent = _agent(sqlite_engine)
    first = _ticket(sqlite_engine, subject="Admin rights", body=ADMIN_QUESTION)
    send_and_index(sqlite_engine, index, first, ADMIN_REPLY, agent)
    with session_scope(sqlite_engine) as session:
        token = survey_token(session, ticket_id=first, settings=SETTINGS)
        version = ticket_detail(session, ticket_id=first).version
    submit_rating(sqlite_engine, token=token, score=1, comment="did not work", settings=SETTINGS)
    reopen(sqlite_engine, ticket_id=first, expected_version=version, actor=agent)
    later = _ticket(sqlite_engine, subject="New admin", body="Please give my coworker admin rights on our account.")

    (found,) = _similar(sqlite_engine, index, later)

    assert (found.reopened, found.csat_score) == (True, 1)
    assert found.ending == "reopened · CSAT 1/5"


def test_a_reply_the_index_missed_is_added_by_a_catch_up(sqlite_engine: Engine, index: SimilarIndex) -> None:
    agent = _agent(sqlite_engine)
    first = _ticket(sqlite_engine, subject="Admin rights", body=ADMIN_QUESTION)
    send_and_index(sqlite_engine, index, first, ADMIN_REPLY, agent)
    index.collection.delete(ids=index.collection.get()["ids"])  # a failed write, or a seeded workspace
    later = _ticket(sqlite_engine, subject="New admin", body="Please give my coworker admin rights on our account.")
    assert _similar(sqlite_engine, index, later) == ()  # a read does not embed what is missing
    assert catch_up_similar(sqlite_engine, index) == 1  # what the server does before it says it is ready
    assert [s.ticket_id for s in _similar(sqlite_engine, index, later)] == [first]


# One value of every kind the redactor knows, in ticket A's customer row, thread and the agent's reply.
SECRETS = {
    "name": "Dana Whitfield",
    "first name": "Dana",
    "signature": "Danielle Q. Whitfield-Moss",
    "email": "dana.whitfield@northwind.example",
    "phone": "+1 415 555 0132",
    "card": "4111 1111 1111 1111",
    "masked card": "[card ending 4242]",
    "iban": "DE89 3704 0044 0532 0130 00",
    "order": "ORD-77812",
    "invoice": "INV-2026-0042",
    "ticket": "#4711",
    "amount": "$1,249.50",
    "date": "March 3, 2026",
}


def ticket_with_secrets(engine: Engine, question: str) -> int:
    """Ticket A: one value of every kind the redactor knows in its customer row, subject and thread."""
    s = SECRETS
    with session_scope(engine) as session:
        dana = make_customer(session, name=s["name"], email=s["email"])
        session.add(
            InvoiceRow(
                customer_id=dana.id,
                number=s["invoice"],
                amount_cents=124950,
                currency="USD",
                status="paid",
                issued_at=NOW,
            )
        )
        return make_ticket(
            session,
            customer=dana,
            subject=f"Question about order {s['order']}",
            body=(
                f"{question} We paid {s['amount']} on {s['date']} (invoice {s['invoice']}), card {s['card']}, "
                f"{s['masked card']}, IBAN {s['iban']}. Call me on {s['phone']}. See ticket {s['ticket']}."
                f"\n\nThanks,\n{s['signature']}"
            ),
        ).id


def reply_with_secrets(answer: str) -> str:
    """The agent's reply to ticket A, repeating every one of its values around `answer`."""
    s = SECRETS
    return (
        f"Hi {s['first name']},\n\nThanks {s['name']} ({s['signature']}). For order {s['order']} and invoice "
        f"{s['invoice']} ({s['amount']}, paid {s['date']}) we checked card {s['card']} and {s['masked card']}, "
        f"IBAN {s['iban']}, your phone {s['phone']} and {s['email']} (ticket {s['ticket']}). {answer}"
        "\n\nBest regards,\nLumen Support"
    )


def test_nothing_of_the_other_customer_reaches_this_ones_similar_tickets(engine: Engine, index: SimilarIndex) -> None:
    agent = _agent(engine)
    first = ticket_with_secrets(engine, ADMIN_QUESTION)
    send_and_index(
        engine,
        index,
        first,
        reply_with_secrets("Go to Settings > Members and choose Admin; admin seats cost $12 per month."),
        agent,
    )
    later = _ticket(engine, subject="New admin", body="Please give my coworker admin rights on our account.")

    (found,) = _similar(engine, index, later)

    shown = "\n".join([found.subject, found.reply, *(a.title for a in found.articles)])
    leaked = {kind: value for kind, value in SECRETS.items() if value.lower() in shown.lower()}
    assert leaked == {}
    assert "4242" not in shown and "Whitfield" not in shown and "Danielle" not in shown
    assert found.reply.startswith("Hi Sam,")
    assert "Settings > Members" in found.reply and "$12 per month" in found.reply  # the answer itself stays


ASKING_BACK = "Hi Dana,\n\nCould you tell me which plan your workspace is on?\n\nBest regards,\nLumen Support"
WELCOME = "Hi Dana,\n\nYou're welcome, glad that helped. I'll close this ticket.\n\nBest regards,\nLumen Support"
ANOTHER_QUESTION = (
    "Hi Dana,\n\nThe billing address is under Settings > Billing > Company details; every new invoice shows "
    "it.\n\nBest regards,\nLumen Support"
)


@pytest.mark.parametrize(
    ("first_reply", "customer", "last_reply", "not_offered"),
    [
        (ASKING_BACK, "We're on Pro. So how do I make her an admin?", ADMIN_REPLY, "which plan"),
        (ADMIN_REPLY, "Perfect, that's exactly what I needed. Thank you!", WELCOME, "welcome"),
        (ADMIN_REPLY, "Thanks! And where do I change our billing address?", ANOTHER_QUESTION, "billing address"),
    ],
    ids=["not-the-question-back", "not-the-courtesy-after-thanks", "not-the-answer-to-a-follow-up"],
)
def test_the_reply_offered_is_the_answer_to_the_question_matched(
    sqlite_engine: Engine, index: SimilarIndex, first_reply: str, customer: str, last_reply: str, not_offered: str
) -> None:
    agent = _agent(sqlite_engine)
    first = _ticket(sqlite_engine, subject="Admin rights", body=ADMIN_QUESTION)
    send_and_index(sqlite_engine, index, first, first_reply, agent, resolve=False)
    with session_scope(sqlite_engine) as session:
        add_message(
            session, ticket=session.get_one(TicketRow, first), role=AuthorRole.CUSTOMER, body=customer, actor="customer"
        )
    send_and_index(sqlite_engine, index, first, last_reply, agent)
    later = _ticket(sqlite_engine, subject="New admin", body=ADMIN_QUESTION.replace("colleague", "coworker"))
    with session_scope(sqlite_engine) as session:
        ticket = ticket_detail(session, ticket_id=later)

    (shown,) = _similar(sqlite_engine, index, later)
    reused = past_reply(
        sqlite_engine, index, ticket=ticket, vector=index.embedder.encode_one(ticket.messages[-1].body), region="US"
    )

    assert "Settings > Members" in shown.reply and not_offered not in shown.reply
    assert reused is not None and "Settings > Members" in reused.text and not_offered not in reused.text


@pytest.mark.parametrize(("sent", "articles"), [("as drafted", ["Roles and permissions"]), ("rewritten", [])])
def test_a_reply_sent_from_a_draft_without_its_link_stands_on_the_draft_s_article_unless_rewritten(
    sqlite_engine: Engine, index: SimilarIndex, sent: str, articles: list[str]
) -> None:
    agent = _agent(sqlite_engine)
    first = _ticket(sqlite_engine, subject="Admin rights", body=ADMIN_QUESTION)
    drafted = "Hi Dana,\n\nGo to Settings > Members, open your colleague's row and choose Admin.\n\nBest regards,\nAna"
    with session_scope(sqlite_engine) as session:
        session.add(
            ArticleRow(
                id="roles",
                title="Roles and permissions",
                category="account",
                updated="2026-12-01",
                source="roles.md",
                url="https://help.example.com/roles",
                content_hash="0" * 64,
                body="# Roles and permissions",
                chunk_count=1,
                ingested_by="test",
            )
        )
        draft = DraftRow(
            ticket_id=first,
            ticket_version=session.get_one(TicketRow, first).version,
            text=drafted,
            confidence=0.9,
            band="likely_sent",
            sources=["roles"],
            model="offline-grounded",
            mode="offline",
        )
        session.add(draft)
        session.flush()
        draft_id, version = draft.id, session.get_one(TicketRow, first).version
    text = (
        drafted
        if sent == "as drafted"
        else (
            "Hello Dana,\n\nSure thing! An owner can promote anyone in the workspace; tell me who and I'll walk you "
            "through it on a call this week if you prefer.\n\nCheers,\nAna"
        )
    )
    send_reply(
        sqlite_engine,
        ticket_id=first,
        expected_version=version,
        text=text,
        draft_id=draft_id,
        actor=agent,
        resolve=True,
        settings=SETTINGS,
        similar=index,
    )
    later = _ticket(sqlite_engine, subject="New admin", body=ADMIN_QUESTION.replace("colleague", "coworker"))

    (shown,) = _similar(sqlite_engine, index, later)

    assert [a.title for a in shown.articles] == articles
