from __future__ import annotations

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist.domain import AuthorRole, Category, User
from assist.store import session_scope
from assist.store.tickets import add_message
from tests.factories import make_ticket
from tests.pages.conftest import ROOT, plain, signed_in

INBOX = str(ROOT / "pages" / "inbox.py")


def _inbox(admin: User) -> AppTest:
    return signed_in(AppTest.from_file(INBOX, default_timeout=60), admin).run()


def test_opening_a_ticket_shows_thread_and_customer_history_and_list_goes_back(admin: User, workspace: Engine) -> None:
    at = _inbox(admin)
    ticket_id = int(at.dataframe[0].value["#"].iloc[1])
    at.session_state["ticket_id"] = ticket_id  # what a click on the row's callback does
    at.run()
    headers = [m.value for m in at.markdown]
    assert any(h.startswith(f"##### #{ticket_id} ·") for h in headers)
    assert "#### Customer" in headers and any(h.startswith("#### Previous tickets") for h in headers)
    assert at.chat_message  # the conversation
    assert all("Assignee" not in d.value for d in at.dataframe)  # the list gave its place to the ticket
    at.button(key="nav_previous").click().run()  # previous / next move through the list the agent came from
    assert at.session_state["ticket_id"] == int(at.session_state["inbox_ids"][0])
    at.button(key="nav_list").click().run()
    assert at.session_state["ticket_id"] is None and at.dataframe[0].value["#"].iloc[1] == ticket_id


def test_filters_narrow_the_list_and_reset_to_page_one(admin: User, workspace: Engine) -> None:
    at = _inbox(admin)
    at.number_input(key="inbox_page").set_value(2).run()
    at.multiselect(key="inbox_categories").select(Category.BILLING).run()
    assert at.number_input(key="inbox_page").value == 1
    frame = at.dataframe[0].value
    assert set(frame["Category"]) == {"billing"}


def test_search_with_no_match_shows_an_empty_state(admin: User, workspace: Engine) -> None:
    at = _inbox(admin)
    at.text_input(key="inbox_search").input("no ticket says this zzqx").run()
    assert any("Nothing here" in i.value for i in at.info)


def test_customer_html_and_markdown_show_as_text(admin: User, workspace: Engine) -> None:
    hostile = "<script>alert('x')</script> **bold** [link](javascript:alert(1))"
    with session_scope(workspace) as session:
        ticket = make_ticket(session, subject="<b>Subject</b> $x$", body=hostile)
        add_message(session, ticket=ticket, role=AuthorRole.NOTE, body="<img src=x onerror=alert(1)>", actor="t")
        ticket_id = ticket.id
    at = signed_in(AppTest.from_file(INBOX, default_timeout=60), admin)
    at.query_params["ticket"] = str(ticket_id)
    at.run()
    bodies = [m.value for m in at.markdown]
    shown = r"\<script\>alert\(\'x\'\)\</script\> \*\*bold\*\* \[link\]\(javascript\:"
    assert shown + "\u2060" + r"alert\(1\)\)" in bodies  # a word joiner breaks autolinks
    assert r"\<img src\=x onerror\=alert\(1\)\>" in bodies
    assert rf"##### #{ticket_id} · \<b\>Subject\</b\> \$x\$" in bodies
    assert not at.exception


def test_unknown_ticket_in_the_link_shows_a_clear_error(admin: User, workspace: Engine) -> None:
    at = signed_in(AppTest.from_file(INBOX, default_timeout=60), admin)
    at.query_params["ticket"] = "999999"
    at.run()
    assert "Ticket #999999 does not exist" in plain(at.error[0].value)
