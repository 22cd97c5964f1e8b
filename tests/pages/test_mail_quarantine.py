"""The Admin page lists mail the poll could not store, with the reason, and retries it."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist.domain import User
from assist.mail_in import quarantined, receive
from assist.store import session_scope
from assist.store.models import MailQuarantineRow
from assist.users import OPERATOR
from tests.pages.conftest import ROOT, plain, signed_in
from tests.security.test_hostile_mail import nested
from tests.test_mail_in import mail


def test_admins_see_quarantined_mail_with_its_reason_and_a_retry_stores_it(admin: User, database: Engine) -> None:
    receive(database, nested(40), mailbox="support@mail/INBOX", uid=9, max_chars=20_000)
    readable = mail(3, "Set aside by an older version.", sender=3)
    with session_scope(database) as session:
        session.add(
            MailQuarantineRow(
                digest=hashlib.sha256(readable).hexdigest(),
                mailbox="support@mail/INBOX",
                uid=10,
                sender="customer3@example.com",
                subject="Question 3",
                reason="LookupError: unknown encoding: x-old",
                raw=readable,
            )
        )
    at = signed_in(AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60), admin).run()
    assert not at.exception
    (table,) = [d.value for d in at.dataframe if "Why" in d.value.columns]
    assert set(table["From"]) == {"nina@example.com", "customer3@example.com"}
    assert any("nested more than 20 levels" in why for why in table["Why"])

    (later,) = [m.id for m in quarantined(database, actor=OPERATOR) if m.sender == "customer3@example.com"]
    at.selectbox(key="quarantine_pick").select(later)
    at.button(key="quarantine_retry").click().run()

    assert not at.exception
    assert any("is now on ticket #" in plain(s.value) for s in at.success), [s.value for s in at.success]
    assert [m.sender for m in quarantined(database, actor=OPERATOR)] == ["nina@example.com"]
