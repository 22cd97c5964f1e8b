"""The agent workspace and the lead queue, driven through Streamlit's AppTest on the demo workspace."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from assist.domain import AuthorRole, Category, TicketStatus, User
from assist.store import session_scope
from assist.store.models import OutboxRow, ReplyRow, TicketRow
from assist.store.tickets import add_message
from tests.conftest import KB_DOCS
from tests.factories import make_ticket, make_user
from tests.pages.conftest import ROOT, plain, signed_in

pytestmark = pytest.mark.model
BADGES = ("Likely sent as is", "Check the quoted sentence", "Check before sending")  # a draft that answers


@pytest.fixture
def demo(workspace: Engine) -> Engine:
    """The demo workspace with the shipped articles in the app's (temporary) knowledge base."""
    code = (
        "from pathlib import Path\nfrom assist.users import OPERATOR\nfrom ui import resources\n"
        f"resources.knowledge_base().ingest_paths([Path({str(KB_DOCS)!r})], actor=OPERATOR)\n"
    )
    at = AppTest.from_string(code, default_timeout=120).run()
    assert not at.exception
    return workspace


def _newest_ticket(engine: Engine, phrase: str) -> int:
    with session_scope(engine) as session:
        tickets = session.scalars(select(TicketRow).order_by(TicketRow.created_at.desc()).limit(6)).all()
        return next(t.id for t in tickets if phrase in t.messages[0].body)


def _open(admin: User, ticket_id: int, page: str = "inbox.py") -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / page), default_timeout=120), admin)
    at.query_params["ticket"] = str(ticket_id)
    return at.run()


def _draft_box(at: AppTest) -> object:
    return next(t for t in at.text_area if t.key.startswith("draft_"))


def test_open_edit_send_changes_status_and_stores_the_edit_distance(admin: User, demo: Engine) -> None:
    ticket_id = _newest_ticket(demo, "API key")
    at = _open(admin, ticket_id)
    assert not at.exception and not at.error
    headers = [m.value for m in at.markdown]
    assert "#### Customer" in headers and any(h.startswith(f"##### #{ticket_id} ·") for h in headers)
    assert at.chat_message and _draft_box(at)  # the conversation above the reply box
    assert any(h.startswith("#### Knowledge base (") for h in headers)
    assert any("badge[" in h and any(label in h for label in BADGES) for h in headers)
    # The triage's category (whichever the model picks for this wording) and the sentiment, side by side.
    assert any(
        m.value.startswith(tuple(f"**Category** {c.label} (" for c in Category)) and "**Sentiment**" in m.value
        for m in at.markdown
    )
    box = _draft_box(at)
    original = box.value  # type: ignore[attr-defined]
    assert original.startswith("Hi ")
    box.input(original + "\nAnything else, just reply here.")  # type: ignore[attr-defined]
    next(b for b in at.button if b.key and b.key.endswith("_Send")).click().run()
    assert not at.exception and not at.error
    assert plain(at.success[0].value).startswith("Reply sent with your edits; the ticket is now")
    assert _draft_box(at).value == ""  # type: ignore[attr-defined]  # no machine draft to send a second time
    assert any("You replied last" in c.value for c in at.caption)
    with session_scope(demo) as session:
        assert session.get_one(TicketRow, ticket_id).status == "awaiting_customer"
        reply = session.scalars(select(ReplyRow).where(ReplyRow.ticket_id == ticket_id)).one()
        assert reply.edit_distance == len("\nAnything else, just reply here.") and not reply.sent_as_drafted


def test_a_ticket_no_article_answers_shows_no_answer_and_no_figure(admin: User, demo: Engine) -> None:
    with session_scope(demo) as session:
        ticket_id = make_ticket(
            session, subject="Bread", category=None, body="Which rye flour makes the best sourdough starter?"
        ).id
    at = _open(admin, ticket_id)
    assert not at.exception and not at.error
    badge = next(m.value for m in at.markdown if "badge[" in m.value)
    assert "No answer drafted]" in badge and "%" not in badge.split("]")[0]  # no chance shown for no answer
    assert _draft_box(at).value == ""  # type: ignore[attr-defined]
    assert at.warning  # the notes say what no article covers


def test_escalated_ticket_appears_in_the_lead_queue(admin: User, demo: Engine) -> None:
    ticket_id = _newest_ticket(demo, "lawyer")
    at = _open(admin, ticket_id)
    assert any("Suggest escalating" in w.value for w in at.warning)
    at.toggle(key=f"escalate_preview_{ticket_id}").set_value(True).run()
    assert any("To a manager" in m.value for m in at.markdown)
    assert at.button(key=f"escalate_{ticket_id}").disabled  # confirmation first
    at.checkbox(key=f"escalate_confirm_{ticket_id}").check().run()
    at.button(key=f"escalate_{ticket_id}").click().run()
    assert not at.exception and "escalated" in at.success[0].value
    queue = signed_in(AppTest.from_file(str(ROOT / "pages" / "escalations.py"), default_timeout=120), admin).run()
    assert ticket_id in list(queue.dataframe[0].value["Ticket"])
    assert queue.dataframe[0].value["Priority"].iloc[0] == "critical"


def test_send_and_resolve_shows_in_the_thread_exactly_what_the_customer_got(admin: User, demo: Engine) -> None:
    """Defect (issue 34): the survey link Send & resolve appends was in the outbox only, not in the thread."""
    ticket_id = _newest_ticket(demo, "API key")
    at = _open(admin, ticket_id)
    next(b for b in at.button if b.key and b.key.endswith("_Send & resolve")).click().run()
    assert not at.exception and not at.error
    with session_scope(demo) as session:
        outbox = session.scalars(select(OutboxRow).where(OutboxRow.ticket_id == ticket_id)).one()
    assert "How did we do? Rate this reply: http" in outbox.body
    shown = [plain(m.value) for m in at.markdown]
    assert outbox.body in shown


def test_after_escalating_the_form_gives_way_to_where_it_went_and_who_sent_it(admin: User, demo: Engine) -> None:
    """Defect (issue 34): after escalating, the form stayed open with the note and the box ticked, and a second
    click said "Ticket #324 is escalated and cannot move to escalated. Allowed next: awaiting_customer, ..."."""
    ticket_id = _newest_ticket(demo, "lawyer")
    at = _open(admin, ticket_id)
    at.text_area(key=f"escalate_note_{ticket_id}").input("Customer mentions a lawyer.").run()
    at.checkbox(key=f"escalate_confirm_{ticket_id}").check().run()
    at.button(key=f"escalate_{ticket_id}").click().run()
    assert not at.exception and not at.error
    assert f"escalate_{ticket_id}" not in [b.key for b in at.button]
    assert f"escalate_note_{ticket_id}" not in [t.key for t in at.text_area]
    assert f"escalate_confirm_{ticket_id}" not in [c.key for c in at.checkbox]
    assert any(c.value.endswith("Escalated to a manager by you") for c in at.caption)
    assert any("Escalated to a manager: " in plain(m.value) for m in at.markdown)  # the note, in words
    shown = [e.value for e in (*at.error, *at.warning, *at.info, *at.success, *at.caption)]
    assert not any(s.value in text for s in TicketStatus if "_" in s.value for text in shown)


def test_a_stale_send_says_reload(admin: User, demo: Engine) -> None:
    ticket_id = _newest_ticket(demo, "API key")
    first, second = _open(admin, ticket_id), _open(admin, ticket_id)
    next(b for b in first.button if b.key and b.key.endswith("_Send")).click().run()
    next(b for b in second.button if b.key and b.key.endswith("_Send")).click().run()
    assert "changed since you opened it — reload" in second.error[0].value


def test_internal_note_and_article_link(admin: User, demo: Engine) -> None:
    """Insert link puts the article's address before the sign-off, once (defect: title only, after the sign-off)."""
    ticket_id = _newest_ticket(demo, "API key")
    at = _open(admin, ticket_id)
    box = _draft_box(at)
    picker = next(s for s in at.selectbox if s.key and s.key.endswith("_article"))
    picker.select_index(1).run()
    second = picker.options[1]
    next(b for b in at.button if b.key and b.key.endswith("_insert")).click().run()
    text = _draft_box(at).value  # type: ignore[attr-defined]
    cited = f'You can read more in our help article "{second}"'
    link = next(line for line in text.splitlines() if line.startswith(cited))
    assert "https://help.lumen.app/articles/" in link
    lines = text.splitlines()
    assert lines.index(link) < lines.index("Best regards,")
    next(b for b in at.button if b.key and b.key.endswith("_insert")).click().run()
    assert _draft_box(at).value == text  # type: ignore[attr-defined]
    assert "already in the reply" in plain(at.info[0].value)
    assert box.key == _draft_box(at).key  # type: ignore[attr-defined]
    at.text_area(key=f"note_{ticket_id}").input("Checked the logs <script>x</script>")
    at.button(key=f"note_submit_{ticket_id}").click().run()
    assert plain(at.success[0].value) == "Note added."
    assert any(m.value == r"Checked the logs \<script\>x\</script\>" for m in at.markdown)


def test_knowledge_base_instance_is_shared(admin: User, demo: Engine) -> None:
    """The page and the pipeline use one index per process (the script's assert fails the run otherwise)."""
    at = AppTest.from_string(
        "from ui import resources\nassert resources.knowledge_base() is resources.assistant().knowledge_base\n",
        default_timeout=120,
    ).run()
    assert not at.exception


def test_regenerate_asks_before_discarding_edits_then_offers_another_candidate(admin: User, demo: Engine) -> None:
    ticket_id = _newest_ticket(demo, "API key")
    at = _open(admin, ticket_id)
    original = _draft_box(at).value  # type: ignore[attr-defined]
    _draft_box(at).input(original + "\nMy own words.")  # type: ignore[attr-defined]
    next(b for b in at.button if b.key and b.key.endswith("_regenerate")).click().run()
    assert _draft_box(at).value.endswith("My own words.")  # type: ignore[attr-defined]  # nothing discarded yet
    assert any("replaces your edits" in w.value for w in at.warning)
    next(b for b in at.button if b.key and b.key.endswith("_regenerate_confirmed")).click().run()
    fresh = _draft_box(at).value  # type: ignore[attr-defined]
    assert fresh and fresh != original and "My own words." not in fresh
    # Defect (issue 34): a second Regenerate, nothing typed since, warned "Regenerating replaces your edits".
    next(b for b in at.button if b.key and b.key.endswith("_regenerate")).click().run()
    assert not any("replaces your edits" in w.value for w in at.warning)


def test_a_resolved_ticket_is_read_only_until_reopened(admin: User, demo: Engine) -> None:
    with session_scope(demo) as session:
        ticket_id = session.scalars(select(TicketRow.id).where(TicketRow.status == "resolved").limit(1)).one()
    at = _open(admin, ticket_id)
    assert not any(b.key and b.key.endswith("_Send") for b in at.button)
    assert not [t for t in at.text_area if t.key.startswith("draft_")]
    assert any("read-only" in i.value for i in at.info)
    at.button(key=f"reopen_{ticket_id}").click().run()
    assert any(b.key and b.key.endswith("_Send") for b in at.button)
    with session_scope(demo) as session:
        assert session.get_one(TicketRow, ticket_id).status == "reopened"


def test_the_reply_box_names_the_colleague_who_replied_last(admin: User, workspace: Engine) -> None:
    """Defect (issue 34): the reply box said "You replied last" when another agent had."""
    with session_scope(workspace) as session:
        colleague = make_user(session, name="Priya Colleague")
        ticket = make_ticket(session, subject="Export for auditors", body="How do I export everything?")
        add_message(
            session,
            ticket=ticket,
            role=AuthorRole.AGENT,
            body="Use Settings, Export.",
            actor=colleague.email,
            author_id=colleague.id,
        )
        ticket_id = ticket.id
    at = _open(admin, ticket_id)
    assert not at.exception
    captions = [plain(c.value) for c in at.caption]
    assert any(c.startswith("Priya Colleague replied last.") for c in captions), captions
    assert not any(c.startswith("You replied last") for c in captions)


def test_a_held_out_ticket_shows_no_draft_no_articles_and_says_why(admin: User, demo: Engine) -> None:
    """Issue 38: the holdout's agents work as they would without Assist Console."""
    ticket_id = _newest_ticket(demo, "API key")
    with session_scope(demo) as session:
        session.get_one(TicketRow, ticket_id).arm = "holdout"
    at = _open(admin, ticket_id)
    assert not at.exception and not at.error
    headers = [m.value for m in at.markdown]
    assert not any(h.startswith(("#### Knowledge base", "#### Similar resolved tickets")) for h in headers)
    assert not any("badge[" in h and any(label in h for label in BADGES) for h in headers)
    assert any("it is in the holdout of an experiment" in c.value for c in at.caption)
    assert _draft_box(at).value == ""  # type: ignore[attr-defined]
    assert not [b for b in at.button if b.key and "regenerate" in b.key]
