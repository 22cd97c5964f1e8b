from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist import build_knowledge_base, get_settings
from assist.domain import User
from assist.embeddings import Embedder
from assist.kb.sources import add_source
from assist.users import OPERATOR
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
    articles = next(d.value for d in at.dataframe if "Article" in d.value)
    assert list(articles["Article"]) == ["refunds"]
    sources = next(d.value for d in at.dataframe if "Source" in d.value and "Passages" in d.value)
    assert list(sources["Articles"]) == [1]  # drawn after the upload ran

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


def test_sources_are_listed_synced_from_the_page_and_a_failure_is_shown(
    admin: User, tmp_path: Path, embedder: Embedder, database: Engine
) -> None:
    """Issue 37: the page shows each configured source with its last sync, syncs one with a click, and shows why a
    sync failed."""
    handbook = tmp_path / "handbook"
    handbook.mkdir()
    (handbook / "refunds.md").write_bytes(article("refunds", "Refund policy", "Card refunds take 5 to 10 days."))
    kb = build_knowledge_base(get_settings(), engine=database, embedder=embedder)
    add_source(kb, name="handbook", kind="folder", location=str(handbook), actor=OPERATOR)
    at = _page(admin)
    sources = next(d.value for d in at.dataframe if "Syncs from" in d.value)
    assert list(sources["Source"]) == ["handbook"] and list(sources["Last sync"]) == ["never"]

    at.selectbox(key="kb_sync_source").select("handbook")
    at.button(key="kb_sync_button").click().run()
    assert not at.exception
    assert any("Indexed 1 article(s): 1 new" in s.value for s in at.success)
    sources = next(d.value for d in at.dataframe if "Syncs from" in d.value)
    assert list(sources["Articles"]) == [1] and list(sources["What it did"]) == ["1 new"]

    handbook.rename(tmp_path / "moved")
    at.button(key="kb_sync_button").click().run()
    assert any("is not a folder on this machine" in plain(e.value) for e in at.error)
    assert any(plain(w.value).startswith("handbook: ") for w in at.warning)  # recorded, and shown on the list
