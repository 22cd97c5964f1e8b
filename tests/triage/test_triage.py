from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from assist.domain import Category, TriageMethod
from assist.drafting.thread import retrieval_query
from assist.embeddings import Embedder
from assist.errors import ValidationError
from assist.store.db import session_scope
from assist.store.models import TicketRow
from assist.store.tickets import ticket_detail
from assist.triage import Example, Triager, examples_from_csv, examples_from_store, train

pytestmark = pytest.mark.model

EXAMPLES = [
    Example("I was charged twice for my invoice", Category.BILLING, "duplicate-charge"),
    Example("double charge on my card this month", Category.BILLING, "duplicate-charge"),
    Example("two payments taken for one invoice", Category.BILLING, "duplicate-charge"),
    Example("the password reset email never arrives", Category.ACCOUNT, "reset-email"),
    Example("no reset link in my inbox", Category.ACCOUNT, "reset-email"),
    Example("forgot password but the email does not come", Category.ACCOUNT, "reset-email"),
    Example("api calls fail with 401 invalid_api_key", Category.TECHNICAL, "api-401"),
    Example("our api key stopped working, 401 errors", Category.TECHNICAL, "api-401"),
    Example("every request returns unauthorized 401", Category.TECHNICAL, "api-401"),
]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("My card was charged twice and I want a refund", Category.BILLING),
        ("I can't log in, the password reset link does not work", Category.ACCOUNT),
        ("Our webhook endpoint returns 500 and the API is rate limited", Category.TECHNICAL),
    ],
)
def test_zero_shot_fallback_finds_obvious_categories(embedder: Embedder, text: str, category: Category) -> None:
    triage = Triager(embedder=embedder).classify(text)
    assert (triage.category, triage.method, triage.intent) == (category, TriageMethod.ZERO_SHOT, None)
    assert 0 < triage.category_confidence <= 1


def test_learned_intents_give_category_and_intent(embedder: Embedder, tmp_path: Path) -> None:
    summary = train(EXAMPLES, embedder=embedder, target=tmp_path / "t.skops")
    assert summary == {"examples": 9, "labels": 3, "dropped": 0}
    triager = Triager(embedder=embedder, model_path=tmp_path / "t.skops")
    triage = triager.classify("they took the payment twice from my card")
    assert (triage.category, triage.intent, triage.method) == (
        Category.BILLING,
        "duplicate-charge",
        TriageMethod.LEARNED,
    )
    assert triage.category_confidence >= triage.intent_confidence
    assert [label for label, _ in triage.alternatives] == sorted(
        [label for label, _ in triage.alternatives], key=lambda label: -dict(triage.alternatives)[label]
    )


def test_too_few_labels_keeps_the_zero_shot_fallback(embedder: Embedder, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="zero-shot"):
        train(EXAMPLES[:4], embedder=embedder, target=tmp_path / "t.skops")
    assert not (tmp_path / "t.skops").exists()


def test_training_from_the_workspace_uses_resolved_tickets(
    embedder: Embedder, demo_workspace: Engine, tmp_path: Path
) -> None:
    examples = examples_from_store(demo_workspace)
    assert len(examples) >= 150 and all(e.intent for e in examples)
    summary = train(examples, embedder=embedder, target=tmp_path / "t.skops")
    triage = Triager(embedder=embedder, model_path=tmp_path / "t.skops").classify(
        "Our webhooks stopped arriving and the endpoint is disabled"
    )
    assert summary["labels"] >= 20
    assert (triage.category, triage.intent) == (Category.TECHNICAL, "webhooks-missing")


def test_the_demo_model_names_no_intent_it_cannot_tell(
    embedder: Embedder, demo_workspace: Engine, tmp_path: Path
) -> None:
    """Defect (issue 34): questions of an intent the demo model never learned got the nearest wrong one:
    "outage-now" on dark-mode and on-premise questions, others on Linux, Jira and API-key questions."""
    train(examples_from_store(demo_workspace), embedder=embedder, target=tmp_path / "t.skops")
    triager = Triager(embedder=embedder, model_path=tmp_path / "t.skops")
    with session_scope(demo_workspace) as session:  # the demo's open API-key question, as the pipeline reads it
        api_key = session.execute(
            select(TicketRow.id, TicketRow.intent).where(
                TicketRow.subject == "Where do I create an API key?", TicketRow.status != "resolved"
            )
        ).first()
        assert api_key is not None
        api_key_question = retrieval_query(ticket_detail(session, ticket_id=api_key.id))
    asked = {
        "dark mode": "Dark mode\nDo you have a dark mode for the web app?",
        "on-premise": "On-premise\nCan we run Lumen on our own servers (on-premise)?",
        "linux": "Linux app\nIs there a desktop app for Linux?",
        "jira": "Jira integration\nDo you integrate with Jira?",
    }
    named = {name: triager.classify(text).intent for name, text in asked.items()}
    assert named == dict.fromkeys(asked)
    assert triager.classify(api_key_question).intent in (None, api_key.intent)


def test_csv_examples_need_categories_for_intents(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("text,label\nhello,greeting\n")
    with pytest.raises(ValidationError, match="category column"):
        examples_from_csv(path)
    path.write_text("text,label,category\nhello,greeting,general\n")
    assert examples_from_csv(path) == [Example("hello", Category.GENERAL, "greeting")]
    path.write_text("text,label\nrefund please,billing\n")
    assert examples_from_csv(path) == [Example("refund please", Category.BILLING)]


def test_a_tampered_model_file_is_refused(embedder: Embedder, tmp_path: Path) -> None:
    path = tmp_path / "t.skops"
    path.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(Exception):  # noqa: B017,PT011 - skops refuses; what matters is that nothing loads
        Triager(embedder=embedder, model_path=path)
