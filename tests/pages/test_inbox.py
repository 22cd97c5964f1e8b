from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from assist.config import get_settings
from assist.domain import AuthorRole, Category, InboxView, Role, TicketSort, User
from assist.store import session_scope
from assist.store.models import TicketRow, UserRow
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
    assert set(frame["Category"]) == {"Billing"}  # the spelling every screen uses (Category.label)


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


def _lead(engine: Engine) -> User:
    with session_scope(engine) as session:
        row = session.scalars(select(UserRow).where(UserRow.role == Role.LEAD.value).limit(1)).one()
        return User(id=row.id, email=row.email, name=row.name, role=Role.LEAD, active=True)


def test_the_list_keeps_its_view_filters_sort_search_and_page_after_a_ticket(
    workspace: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect (issue 34): opening a ticket and pressing L showed "All open", no filter, default sort, page 1."""
    monkeypatch.setenv("PAGE_SIZE", "5")
    get_settings.cache_clear()
    at = signed_in(AppTest.from_file(INBOX, default_timeout=60), _lead(workspace)).run()
    at.segmented_control(key="inbox_view").set_value(InboxView.UNASSIGNED).run()
    at.multiselect(key="inbox_categories").select(Category.BILLING).run()
    at.selectbox(key="inbox_sort").set_value(TicketSort.NEWEST).run()
    at.slider(key="inbox_min_priority").set_value(2).run()
    at.number_input(key="inbox_page").set_value(2).run()
    assert at.number_input(key="inbox_page").value == 2, "the demo should have two pages of unassigned billing"
    listed = list(at.dataframe[0].value["#"])
    assert len(listed) >= 3
    at.session_state["ticket_id"] = int(listed[1])  # what a click on the 2nd row does
    at.run()
    at.button(key="nav_next").click().run()  # J walks the same list
    assert at.session_state["ticket_id"] == listed[2]
    at.button(key="nav_previous").click().run()  # K
    at.button(key="nav_previous").click().run()
    assert at.session_state["ticket_id"] == listed[0]
    at.button(key="nav_list").click().run()  # L
    assert at.session_state["ticket_id"] is None and not at.exception
    assert at.segmented_control(key="inbox_view").value == InboxView.UNASSIGNED
    assert at.multiselect(key="inbox_categories").value == [Category.BILLING]
    assert at.selectbox(key="inbox_sort").value == TicketSort.NEWEST
    assert at.slider(key="inbox_min_priority").value == 2
    assert at.number_input(key="inbox_page").value == 2
    assert list(at.dataframe[0].value["#"]) == listed

    at.text_input(key="inbox_search").input("invoice").run()
    searched = list(at.dataframe[0].value["#"])
    at.session_state["ticket_id"] = int(searched[0])
    at.run()
    at.button(key="nav_list").click().run()
    assert at.text_input(key="inbox_search").value == "invoice"
    assert list(at.dataframe[0].value["#"]) == searched


def _page_count(at: AppTest) -> int:
    return int(re.search(r"of (\d+)", at.number_input(key="inbox_page").label)[1])  # type: ignore[index]


def test_a_kept_page_past_the_end_of_a_shrunken_list_shows_the_last_page_and_says_so(
    workspace: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGE_SIZE", "5")
    get_settings.cache_clear()
    lead = _lead(workspace)
    at = signed_in(AppTest.from_file(INBOX, default_timeout=60), lead).run()
    at.segmented_control(key="inbox_view").set_value(InboxView.UNASSIGNED).run()
    last = _page_count(at)
    assert last >= 3, "the demo should have three pages of unassigned tickets"
    at.number_input(key="inbox_page").set_value(last).run()
    last_page = [int(i) for i in at.dataframe[0].value["#"]]
    at.session_state["ticket_id"] = last_page[0]
    at.run()
    with session_scope(workspace) as session:  # meanwhile someone claims every ticket of the last page
        for ticket in session.scalars(select(TicketRow).where(TicketRow.id.in_(last_page))):
            ticket.assignee_id = lead.id
    at.button(key="nav_list").click().run()
    assert not at.exception
    assert at.number_input(key="inbox_page").value == last - 1 == _page_count(at)
    assert not set(at.dataframe[0].value["#"]) & set(last_page)


def test_the_counts_line_describes_the_list_under_it(admin: User, workspace: Engine) -> None:
    """Defect (issue 34): "All tickets" counted "Resolved 250" while its list left resolved tickets out."""
    at = _inbox(admin)
    at.segmented_control(key="inbox_view").set_value(InboxView.ALL).run()
    line = next(m.value for m in at.markdown if "**" in m.value and "Not in this list" in m.value)
    listed, left_out = line.split("\n", 1)
    assert "Resolved" not in listed and "Resolved" in left_out
    assert "Resolved" not in set(at.dataframe[0].value["Status"])


def test_the_ticket_screen_shows_a_card_number_only_by_its_last_four_digits(admin: User, database: Engine) -> None:
    from assist.arrival import Arrival
    from assist.domain import Channel
    from assist.intake import take_in

    ticket_id, _ = take_in(
        database,
        Arrival(
            channel=Channel.EMAIL,
            customer_email="pat@example.com",
            subject="Refund to card 4242 4242 4242 4242",
            body="card 4242-4242-4242-4242, call me at +1 415 555 0100",
        ),
        actor="intake:test",
        max_chars=5000,
    )
    at = signed_in(AppTest.from_file(INBOX, default_timeout=60), admin)
    at.query_params["ticket"] = str(ticket_id)
    at.run()
    assert not at.exception
    shown = [plain(e.value) for kind in ("markdown", "caption", "text", "info") for e in getattr(at, kind)]
    shown += [plain(str(t.value)) for t in at.text_area] + [plain(t.label) for t in at.text_area]
    assert any("[card ending 4242]" in text for text in shown)
    assert not any("42424242" in re.sub(r"\D", "", text) for text in shown)
