from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assist.domain import User
from tests.conftest import article
from tests.pages.conftest import ROOT, plain, signed_in

pytestmark = pytest.mark.model

PAGE = str(ROOT / "pages" / "knowledge_base.py")


def _page(admin: User) -> AppTest:
    return signed_in(AppTest.from_file(PAGE, default_timeout=120), admin).run()


def test_empty_state_explains_how_to_add_articles(admin: User) -> None:
    at = _page(admin)
    assert any("knowledge base is empty" in i.value for i in at.info)


def test_upload_ingests_good_files_and_reports_bad_ones(admin: User) -> None:
    at = _page(admin)
    at.file_uploader(key="kb_files").set_value(
        [
            (
                "refunds.md",
                article("refunds", "Refund policy", "Card refunds take 5 to 10 business days."),
                "text/markdown",
            ),
            ("scan.pdf", b"%PDF-1.4 garbage", "application/pdf"),
            ("empty.txt", b"", "text/plain"),
        ]
    )
    at.button(key="kb_ingest").click().run()
    assert not at.exception
    assert any("Indexed 1 article(s): 1 new" in s.value for s in at.success)
    errors = [plain(e.value) for e in at.error]
    assert any(e.startswith("scan.pdf: the PDF cannot be read") for e in errors)
    assert any(e.startswith("empty.txt: the file is empty") for e in errors)
    assert list(at.dataframe[0].value["Article"]) == ["refunds"]

    at.text_input(key="kb_search_query").input("when do I get my money back")
    at.button(key="kb_search_button").click().run()
    assert at.expander[0].label.startswith("1. Refund policy — score")
    assert not at.warning

    # Defect (issue 34): nonsense returned results with no word that none of them is a good match.
    at.text_input(key="kb_search_query").input("purple monkey dishwasher")
    at.button(key="kb_search_button").click().run()
    assert any(w.value.startswith("No good match") for w in at.warning)


def test_delete_needs_confirmation(admin: User) -> None:
    at = _page(admin)
    at.file_uploader(key="kb_files").set_value([("a.md", article("a", "Alpha", "Alpha text here."), "text/markdown")])
    at.button(key="kb_ingest").click().run()
    at.button(key="kb_delete_button").click().run()
    assert any("Tick the confirmation box" in w.value for w in at.warning)
    at.checkbox(key="kb_delete_confirm").check()
    at.button(key="kb_delete_button").click().run()
    assert any("knowledge base is empty" in i.value for i in at.info)


def test_submitting_without_files_asks_for_one(admin: User) -> None:
    at = _page(admin)
    at.button(key="kb_ingest").click().run()
    assert any("Choose at least one file" in w.value for w in at.warning)
