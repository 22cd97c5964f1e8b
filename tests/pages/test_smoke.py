"""Every page runs under AppTest without an exception on the demo workspace."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist.domain import User
from tests.pages.conftest import ROOT, plain, signed_in

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("script", ["app.py", *PAGES])
def test_page_runs_without_error(admin: User, workspace: Engine, script: str) -> None:
    at = signed_in(AppTest.from_file(str(ROOT / script), default_timeout=120), admin).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    if script.endswith("survey.py"):  # without a link the public page explains what it needs
        assert errors == ["This page needs the survey link from our email."]
    else:
        assert not errors, errors


def test_app_starts_on_an_empty_database(admin: User) -> None:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), admin).run()
    assert not at.exception
    assert any("Nothing here" in i.value for i in at.info)


def test_admin_change_a_user_starts_from_that_users_current_role(admin: User, workspace: Engine) -> None:
    """Defect: "Change a user" preselected agent for a lead, so one click demoted them."""
    from assist.users import list_users

    lead = next(u for u in list_users(workspace) if u.role.value == "lead")
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60), admin).run()
    at.selectbox(key="edit_user").set_value(lead.id).run()
    assert at.selectbox(key=f"edit_role_{lead.id}").value.value == "lead"
    assert at.selectbox(key=f"edit_active_{lead.id}").value == "active"


def test_the_upload_widgets_state_the_limit_the_server_enforces(admin: User, workspace: Engine) -> None:
    """Defect: the KB uploader said 10 MB in its label while the widget itself said 200 MB."""
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "knowledge_base.py"), default_timeout=60), admin).run()
    (uploader,) = at.get("file_uploader")
    assert uploader.proto.max_upload_size_mb == 10  # type: ignore[attr-defined]


def test_a_ticket_opened_while_the_models_load_shows_a_warming_up_state(
    admin: User, workspace: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect: the first ticket took 35 s behind a spinner; now the page says what is happening and waits."""
    from ui import warmup

    monkeypatch.setattr(warmup, "ready", lambda: False)
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "inbox.py"), default_timeout=60), admin)
    at.query_params["ticket"] = "1"
    at.run()
    assert not at.exception
    assert any("Warming up" in i.value for i in at.info)


def test_a_crafted_ticket_link_is_ignored(admin: User, workspace: Engine) -> None:
    """Security probe: ?ticket=² crashed every rerun (isdigit() accepts it, int() does not)."""
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "inbox.py"), default_timeout=60), admin)
    at.query_params["ticket"] = "²"
    at.run()
    assert not at.exception and at.session_state["ticket_id"] is None


def test_add_a_user_keeps_what_was_typed_after_a_refusal_and_clears_after_success(
    admin: User, workspace: Engine
) -> None:
    """Defect (issue 34): *Add a user* cleared every field after a validation error."""
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60), admin).run()
    at.text_input(key="new_email").input("new.agent@lumen.app")
    at.text_input(key="new_name").input("New Agent")
    at.text_input(key="new_password").input("short")
    at.button(key="new_submit").click().run()
    assert at.error and "12" in at.error[0].value
    at.text_input(key="new_password").input("a long enough password")  # only the refused field is retyped
    at.button(key="new_submit").click().run()
    assert not at.error and not at.exception, [e.value for e in at.error]
    assert "Created new.agent@lumen.app." in [plain(s.value) for s in at.success]
    at.run()
    assert at.text_input(key="new_email").value == "" and at.text_input(key="new_name").value == ""
