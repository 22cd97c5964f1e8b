"""The similar resolved tickets beside a ticket, on the demo workspace: the demo's repeated questions find the
tickets the team resolved before, and one click puts that reply into the reply box."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from assist.domain import TicketStatus, User
from assist.store import session_scope
from assist.store.models import TicketRow
from tests.pages.conftest import ROOT, plain, signed_in

pytestmark = pytest.mark.model


def _asking(engine: Engine, words: str, status: TicketStatus) -> tuple[int, list[int]]:
    """The newest ticket in `status` whose first message holds `words`, and the resolved ones that also do."""
    with session_scope(engine) as session:
        tickets = session.scalars(select(TicketRow).order_by(TicketRow.created_at.desc())).all()
        asking = [t for t in tickets if words in t.messages[0].body.lower()]
        return (
            next(t.id for t in asking if t.status == status.value),
            [t.id for t in asking if t.status == TicketStatus.RESOLVED.value],
        )


def _open(admin: User, ticket_id: int) -> AppTest:
    # The server catches the index up before it says it is ready (ui/serve.py); here the test does.
    code = (
        "from assist.similar import catch_up_similar\nfrom ui import resources\n"
        "a = resources.assistant()\ncatch_up_similar(a.engine, a.similar)\n"
    )
    assert not AppTest.from_string(code, default_timeout=180).run().exception
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "inbox.py"), default_timeout=120), admin)
    at.query_params["ticket"] = str(ticket_id)
    return at.run()


def _shown_ids(at: AppTest) -> list[int]:
    return [int(m.value.split("**#")[1].split("**")[0]) for m in at.markdown if m.value.startswith("**#")]


@pytest.mark.parametrize(
    ("words", "status"),
    [
        ("colleague needs to manage projects", TicketStatus.NEW),
        ("complete export of all projects and time entries for our auditors", TicketStatus.PROCESSING),
    ],
)
def test_a_repeated_demo_question_shows_the_tickets_resolved_before(
    admin: User, workspace: Engine, words: str, status: TicketStatus
) -> None:
    ticket_id, resolved = _asking(workspace, words, status)
    at = _open(admin, ticket_id)
    assert not at.exception and not at.error
    assert any(m.value.startswith("#### Similar resolved tickets (") for m in at.markdown)
    shown = _shown_ids(at)
    assert shown and shown[0] in resolved and ticket_id not in shown


def test_use_this_reply_puts_it_in_the_reply_box_addressed_to_this_customer(admin: User, workspace: Engine) -> None:
    ticket_id, _ = _asking(workspace, "colleague needs to manage projects", TicketStatus.NEW)
    at = _open(admin, ticket_id)
    with session_scope(workspace) as session:
        first = session.get_one(TicketRow, ticket_id).customer.name.split()[0]
    use = next(b for b in at.button if b.key.startswith(f"similar_use_{ticket_id}_"))
    other = int(use.key.rsplit("_", 1)[1])
    at = use.click().run()
    assert not at.exception
    box = next(t for t in at.text_area if t.key.startswith("draft_"))
    reply = next(e for e in at.expander if e.key == f"similar_{ticket_id}_{other}")
    assert plain(reply.markdown[0].value).strip() == box.value.strip()
    assert box.value.startswith(f"Hi {first},")
