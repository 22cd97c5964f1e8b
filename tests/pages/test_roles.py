"""Role matrix: every page for every role, and signed out."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from assist.domain import Role, User
from assist.store import session_scope
from assist.store.models import UserRow
from tests.pages.conftest import ROOT, plain, signed_in
from ui.auth import PAGES

pytestmark = pytest.mark.model
ROLES: list[Role | None] = [None, Role.AGENT, Role.LEAD, Role.ADMIN]


def _demo_user(engine: Engine, role: Role) -> User:
    with session_scope(engine) as session:
        row = session.scalars(select(UserRow).where(UserRow.role == role.value).limit(1)).one()
        return User(id=row.id, email=row.email, name=row.name, role=role, active=True)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "signed-out")
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_access_follows_the_role(workspace: Engine, page: str, role: Role | None) -> None:
    user = _demo_user(workspace, role) if role else None
    at = signed_in(AppTest.from_file(str(ROOT / page), default_timeout=120), user).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    if role is None:
        assert [t.value for t in at.title] == ["Assist Console"]  # the sign-in form instead of the page
        assert at.text_input(key="sign_in_email") is not None
    elif role in PAGES[page]:
        assert not any("cannot open this page" in e for e in errors)
        assert "sign_in_email" not in [t.key for t in at.text_input]
        assert at.title and at.title[0].value != ""
    else:
        assert errors == [f"Your role ({role.value}) cannot open this page."]


def test_signed_out_app_shows_only_the_sign_in_form(workspace: Engine) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert at.text_input(key="sign_in_email") is not None
    assert [t.value for t in at.title] == ["Assist Console"]


def test_survey_page_is_open_without_sign_in(workspace: Engine) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "survey.py"), default_timeout=60).run()
    assert at.error[0].value == "This page needs the survey link from our email."


def test_sign_in_form_signs_in_and_out(workspace: Engine) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.text_input(key="sign_in_email").input("maya.lee@lumen.app")
    at.text_input(key="sign_in_password").input("lumen-demo-agent")
    at.button(key="sign_in_submit").click().run()
    assert not at.exception
    assert at.session_state["user"].email == "maya.lee@lumen.app"
    at.button(key="sign_out").click().run()
    assert at.session_state["user"] is None if "user" in at.session_state else True
    assert [t.value for t in at.title] == ["Assist Console"]  # back on the sign-in form
    assert at.info[0].value == "Signed out."


def test_wrong_password_is_refused_in_the_form(workspace: Engine) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.text_input(key="sign_in_email").input("maya.lee@lumen.app")
    at.text_input(key="sign_in_password").input("not the password")
    at.button(key="sign_in_submit").click().run()
    assert plain(at.error[0].value) == "Wrong email or password."
