"""Every page runs under AppTest without an exception on the demo workspace."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist.domain import User
from tests.pages.conftest import ROOT, signed_in

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
