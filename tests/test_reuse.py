"""Issue 33: a reply the team sent before as a draft candidate. The earlier replies weighed for a draft come
only from tickets that ended well, carry nothing of the other customer, and a draft built on one says where it
comes from; whether one is used is the reuse model's call against the articles' answer."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from assist.config import Settings
from assist.csat import submit_rating, survey_token
from assist.domain import Arm, DraftAction, User
from assist.drafting.answers import Linear, Selection
from assist.drafting.needs import Need, NeedModel, NeedReading
from assist.drafting.reuse import FEATURES, MIN_SIMILARITY, PastReply, ReplyReading, ReuseModel, features, read_reply
from assist.drafting.stance import CLOSER
from assist.embeddings import Embedder
from assist.factories import build_assistant
from assist.pipeline import (
    Assistant,
    compute_assistance,
    confidence_policy,
    focus,
    gather_evidence,
    precompute_many,
)
from assist.similar import past_reply
from assist.store.db import session_scope
from assist.store.models import TicketRow
from assist.store.tickets import ticket_detail
from assist.ticket_actions import reopen, send_reply
from assist.users import OPERATOR
from tests.conftest import KB_DOCS, assistant_settings
from tests.factories import make_actor, make_customer, make_ticket
from tests.test_similar import SECRETS, reply_with_secrets, send_and_index, ticket_with_secrets

SETTINGS = Settings(smtp_host=None, webhook_url=None, max_message_chars=4000)
QUESTION = (
    "Our integration started getting hundreds of 429 errors from your API this morning. What is the limit and "
    "what should our client do when it gets one?"
)
AGAIN = "We keep hitting 429 errors from the Lumen API since today. What's the rate limit and how should we retry?"
ANSWER = (
    "The API answers 429 rate_limited with a Retry-After header in seconds. Wait for Retry-After and retry with "
    "exponential backoff and jitter; do not retry immediately in a loop."
)
CITATION = 'You can read more in our help article "API rate limits": https://help.lumen.app/articles/rate-limits'
ELSEWHERE = 'More in our help article "Set up webhooks": https://help.lumen.app/articles/webhooks'
RAISED = "I've raised your workspace's limit for the rest of the week; tell me if the errors come back."
ALWAYS = ReuseModel(Linear((40.0, 0.0, 0.0, 0.0), -20.0))  # any reply >= 0.6 alike wins: the path under test
NEVER = ReuseModel(Linear((0.0, 0.0, 0.0, 0.0), -50.0))
UNREAD = ReplyReading()


def test_a_past_reply_s_body_leaves_out_its_greeting_sign_off_and_closing_question() -> None:
    past = PastReply(
        ticket_id=7,
        similarity=0.9,
        text=f"Hi Sam,\n\n{ANSWER}\n\n{CITATION}\n\n{CLOSER}\n\nBest regards,\nRiley\nLumen Support",
    )

    assert past.body == [ANSWER, "", CITATION]


def test_the_reuse_model_weighs_no_unlike_or_uncited_reply_and_favours_one_citing_the_chosen_article() -> None:
    model = ReuseModel(Linear((4.0, 2.0, 0.5, 0.5), -4.0))
    cites = PastReply(ticket_id=1, similarity=0.9, text="", article_titles=("API rate limits",))
    unlike = PastReply(ticket_id=1, similarity=MIN_SIMILARITY - 0.01, text="")

    assert model.probability(unlike, selected_title=None, reading=UNREAD) == 0
    assert model.probability(cites, selected_title="API rate limits", reading=UNREAD) > model.probability(
        cites, selected_title="Set up webhooks", reading=UNREAD
    )
    read = ReplyReading(reply=2.0, answer=3.5)
    uncited = PastReply(ticket_id=1, similarity=0.95, text="We do: an external firm tests us every year.")
    assert model.probability(uncited, selected_title="API rate limits", reading=read) == 0  # fitted on cited alone
    assert features(cites, selected_title="api RATE limits", reading=read) == (0.9, 1.0, 2.0, -1.5)
    with_token = PastReply(
        ticket_id=1,
        similarity=0.9,
        text="Use this link to set a new password: https://app.lumen.app/reset/9f8a7b6c5d4e3f2a1b0c",
        article_titles=("API rate limits",),
    )
    assert model.probability(with_token, selected_title="API rate limits", reading=read) == 0  # theirs alone


def test_the_shipped_reuse_model_loads_with_the_features_it_reads() -> None:
    model = ReuseModel.load()

    assert len(model.model.weights) == len(FEATURES)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name in ("rate-limits.md", "team-members.md", "webhooks.md"):
        shutil.copy(KB_DOCS / name, folder / name)
    return folder


def _assistant(engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path, reuse: ReuseModel) -> Assistant:
    settings = assistant_settings(engine, tmp_path)
    built = build_assistant(settings, engine=engine, embedder=embedder)
    built.knowledge_base.ingest_paths([kb_dir], actor=OPERATOR)
    return Assistant(**{**built.__dict__, "reuse": reuse})


def _agent(engine: Engine) -> User:
    with session_scope(engine) as session:
        return make_actor(session, name="Ana Agent")


def _send(assistant: Assistant, ticket_id: int, text: str, agent: User) -> None:
    send_and_index(assistant.engine, assistant.similar, ticket_id, text, agent)


def _answered_with_secrets(assistant: Assistant, agent: User) -> int:
    first = ticket_with_secrets(assistant.engine, QUESTION)
    _send(assistant, first, reply_with_secrets(f"{ANSWER}\n\n{CITATION}"), agent)
    return first


def _answered(assistant: Assistant, question: str, answer: str = ANSWER, *, citation: str = CITATION) -> int:
    """A ticket asking `question`, answered with `answer` (the 429 fix) under `citation` (the rate limits article's
    link, or `ELSEWHERE`)."""
    with session_scope(assistant.engine) as session:
        first = make_ticket(session, customer=make_customer(session), subject="API errors", body=question).id
    _send(assistant, first, f"Hi,\n\n{answer}\n\n{citation}\n\nBest regards,\nRiley", _agent(assistant.engine))
    return first


def _asked_again(assistant: Assistant) -> int:
    with session_scope(assistant.engine) as session:
        sam = make_customer(session, name="Sam Okafor")  # each time another customer of that name
        return make_ticket(session, customer=sam, subject="API errors", body=AGAIN).id


def test_a_draft_built_on_a_past_reply_says_where_from_and_carries_nothing_of_that_customer(
    engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(engine, embedder, tmp_path, kb_dir, ALWAYS)
    first = _answered_with_secrets(assistant, _agent(engine))
    later = _asked_again(assistant)

    draft = compute_assistance(assistant, ticket_id=later).draft

    assert draft.reused_from == first
    assert draft.action is DraftAction.ANSWER
    assert draft.text.startswith("Hi Sam,")
    assert "exponential backoff and jitter" in draft.text  # the answer the team sent
    assert draft.sources == ("rate-limits",)  # the article it cited, as an id
    assert any(f"ticket #{first}" in note for note in draft.notes)
    with session_scope(engine) as session:
        ticket = ticket_detail(session, ticket_id=later)
    past = past_reply(engine, assistant.similar, ticket=ticket, vector=embedder.encode_one(AGAIN), region="US")
    assert past is not None
    shown = "\n".join([draft.text, *draft.notes, past.text])
    leaked = {kind: value for kind, value in SECRETS.items() if value.lower() in shown.lower()}
    assert leaked == {}
    assert "4242" not in shown and "Whitfield" not in shown and "Danielle" not in shown


def test_without_the_reuse_model_s_say_so_the_draft_comes_from_the_articles(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, NEVER)
    _answered_with_secrets(assistant, _agent(sqlite_engine))

    draft = compute_assistance(assistant, ticket_id=_asked_again(assistant)).draft

    assert draft.reused_from is None
    assert draft.sources == ("rate-limits",)
    assert not any("Built on the team's reply" in note for note in draft.notes)


def test_a_reply_on_a_reopened_or_badly_rated_ticket_is_never_weighed(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, ALWAYS)
    agent = _agent(sqlite_engine)
    reopened, rated, fine = _asked_again(assistant), _asked_again(assistant), _asked_again(assistant)
    for ticket_id in (reopened, rated, fine):
        _send(assistant, ticket_id, f"Hi,\n\n{ANSWER}\n\n{CITATION}\n\nBest regards,\nLumen Support", agent)
    with session_scope(sqlite_engine) as session:
        version = ticket_detail(session, ticket_id=reopened).version
        token = survey_token(session, ticket_id=rated, settings=SETTINGS)
    reopen(sqlite_engine, ticket_id=reopened, expected_version=version, actor=agent)
    submit_rating(sqlite_engine, token=token, score=2, comment="still failing", settings=SETTINGS)
    later = _asked_again(assistant)

    draft = compute_assistance(assistant, ticket_id=later).draft

    assert draft.reused_from == fine  # the one that ended well, though the other two are as alike


def test_a_held_out_ticket_is_never_built_on_a_past_reply(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, ALWAYS)
    _answered_with_secrets(assistant, _agent(sqlite_engine))
    held, assisted = _asked_again(assistant), _asked_again(assistant)
    with session_scope(sqlite_engine) as session:
        session.get_one(TicketRow, held).arm = Arm.HOLDOUT.value

    assert compute_assistance(assistant, ticket_id=assisted).draft.reused_from is not None
    assert compute_assistance(assistant, ticket_id=held).draft.reused_from is None


def test_the_first_regenerate_of_a_draft_built_on_a_past_reply_gives_the_articles_answer(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, ALWAYS)
    _answered_with_secrets(assistant, _agent(sqlite_engine))
    later = _asked_again(assistant)

    reused = compute_assistance(assistant, ticket_id=later).draft
    regenerated = compute_assistance(assistant, ticket_id=later, alternative=1).draft
    without = compute_assistance(Assistant(**{**assistant.__dict__, "reuse": NEVER}), ticket_id=later).draft

    assert reused.reused_from is not None
    assert regenerated.reused_from is None and regenerated.sources == without.sources == ("rate-limits",)
    assert regenerated.text == without.text
    assert regenerated.raw_confidence == without.raw_confidence  # the team's recalibration reads only these
    assert reused.raw_confidence is None
    # The reply cites the article the articles' draft stands on: the same estimate that this article answers, so
    # Regenerate neither raises nor lowers the figure.
    assert reused.confidence == regenerated.confidence


def test_a_message_the_articles_do_not_answer_is_never_answered_from_a_past_reply(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, ALWAYS)
    agent = _agent(sqlite_engine)
    question = "Can you give our workspace a 30-day extension of the Pro trial? We are still evaluating."
    with session_scope(sqlite_engine) as session:
        first = make_ticket(session, customer=make_customer(session), subject="Trial", body=question).id
    extended = f"Hi,\n\nI've extended your trial by 30 days.\n\n{CITATION}\n\nBest regards,\nLumen Support"
    _send(assistant, first, extended, agent)
    with session_scope(sqlite_engine) as session:
        later = make_ticket(session, customer=make_customer(session), subject="Trial", body=question).id

    draft = compute_assistance(assistant, ticket_id=later).draft

    assert draft.reused_from is None and "extended your trial" not in draft.text


def test_the_answer_reader_reads_a_reply_that_answers_the_question_above_one_that_does_not(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, NEVER)
    with session_scope(sqlite_engine) as session:
        ticket = ticket_detail(session, ticket_id=_asked_again(assistant))
    selection = gather_evidence(assistant, ticket).selection
    cited = ("API rate limits",)
    answers = PastReply(
        ticket_id=1, similarity=0.9, text=f"Hi,\n\n{ANSWER}\n\nBest regards,\nRiley", article_titles=cited
    )
    elsewhere = PastReply(
        ticket_id=2,
        similarity=0.9,
        text="Hi,\n\nYour API key is under Settings → Integrations → API keys.\n\nBest regards,\nRiley",
        article_titles=cited,
    )

    read, misread = (read_reply(assistant.selector.reader, selection, p) for p in (answers, elsewhere))

    assert read.reply > misread.reply + 1.0
    assert read.answer == misread.answer != 0.0  # the articles' chosen passage, as the reader read it
    assert answers.passage.startswith("API rate limits: The API answers 429")


def test_a_past_reply_standing_on_another_article_shows_the_reuse_model_s_figure(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, ALWAYS)
    first = _answered(assistant, QUESTION, citation=ELSEWHERE)
    later = _asked_again(assistant)
    articles = compute_assistance(Assistant(**{**assistant.__dict__, "reuse": NEVER}), ticket_id=later).draft

    draft = compute_assistance(assistant, ticket_id=later).draft

    assert articles.sources[:1] == ("rate-limits",)
    assert draft.reused_from == first and draft.sources == ("webhooks",)
    assert draft.confidence > articles.confidence  # ALWAYS's own figure, above the articles' it beat
    assert draft.raw_confidence is None


def test_preparing_assistance_first_takes_in_replies_sent_without_the_index(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    """`make run` seeds the demo and prepares the inbox before the server starts (and catches the index up): the
    seeded replies reached no index, so no prepared draft could be built on one."""
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, ALWAYS)
    with session_scope(sqlite_engine) as session:
        first = make_ticket(session, customer=make_customer(session), subject="API errors", body=QUESTION).id
        version = ticket_detail(session, ticket_id=first).version
    send_reply(
        sqlite_engine,
        ticket_id=first,
        expected_version=version,
        text=f"Hi,\n\n{ANSWER}\n\n{CITATION}\n\nBest regards,\nLumen Support",
        draft_id=None,
        actor=_agent(sqlite_engine),
        resolve=True,
        settings=SETTINGS,
        similar=None,  # as a seed or an import writes it
    )
    later = _asked_again(assistant)

    prepared = precompute_many(assistant, ticket_ids=[later])[later]

    assert not isinstance(prepared, str) and prepared.draft.reused_from == first


def test_the_same_question_asked_again_is_drafted_from_the_team_s_reply_whatever_the_reuse_model_says(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    """The reuse model's fit sets hold no question asked again in nearly the same words, so it cannot speak for
    one (`SAME_QUESTION`): the team's answer is the draft, with the figure of the article it stands on."""
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, NEVER)
    with session_scope(sqlite_engine) as session:
        first = make_ticket(session, customer=make_customer(session), subject="API errors", body=AGAIN).id
    asking = f"Hi,\n\n{ANSWER}\n\n{CITATION}\n\nIs there anything else I can help with?\n\nBest regards,\nRiley"
    _send(assistant, first, asking, _agent(sqlite_engine))
    later = _asked_again(assistant)
    regenerated = compute_assistance(assistant, ticket_id=later, alternative=1).draft
    articles = compute_assistance(Assistant(**{**assistant.__dict__, "reuse": None}), ticket_id=later).draft

    draft = compute_assistance(assistant, ticket_id=later).draft

    assert draft.reused_from == first and draft.sources == ("rate-limits",)
    assert "exponential backoff and jitter" in draft.text
    # The reply's own closing question stands; the draft asks no second one.
    assert draft.text.count("?") == 1 and CLOSER not in draft.text
    assert regenerated.reused_from is None and regenerated.text == articles.text  # Regenerate: the articles' draft
    assert draft.confidence == articles.confidence > 0  # the figure of the article both stand on


def _reading_no_article_answers(assistant: Assistant) -> Assistant:
    """The assistant with a need model that reads every message as one no article answers."""
    shipped = assistant.needs
    bias = shipped.bias.copy()
    bias[shipped.classes.index(Need.UNANSWERED)] += 50.0
    return Assistant(**{**assistant.__dict__, "needs": replace(shipped, bias=bias)})


@pytest.mark.parametrize(
    ("asked_first", "answer", "reused"),
    [(AGAIN, ANSWER, True), (QUESTION, ANSWER, False), (AGAIN, RAISED, False)],
    ids=["same", "neighbouring", "same-answered-with-an-action"],
)
def test_where_no_article_answers_only_the_same_question_answered_from_an_article_is_drafted_from_that_reply(
    sqlite_engine: Engine,
    embedder: Embedder,
    tmp_path: Path,
    kb_dir: Path,
    asked_first: str,
    answer: str,
    reused: bool,
) -> None:
    """The demo's make-admin asked again (issue 33): the need model read no article answering it, so the team's
    answer to the very same question was never weighed and the draft abstained. A neighbouring question's reply
    still never answers where the articles hold none, even with a reuse model that prefers every reply, nor does
    a reply that links the article but says none of it (an action taken for that customer)."""
    assistant = _reading_no_article_answers(_assistant(sqlite_engine, embedder, tmp_path, kb_dir, ALWAYS))
    first = _answered(assistant, asked_first, answer)
    later = _asked_again(assistant)
    articles = compute_assistance(Assistant(**{**assistant.__dict__, "reuse": None}), ticket_id=later).draft
    assert articles.action.abstains  # what the articles' draft does under this need model

    draft = compute_assistance(assistant, ticket_id=later).draft

    if reused:
        assert draft.reused_from == first and draft.sources == ("rate-limits",) and not draft.action.abstains
        assert "exponential backoff and jitter" in draft.text
    else:
        assert draft.reused_from is None and draft.action.abstains
        assert "raised your workspace's limit" not in draft.text


@pytest.mark.parametrize(
    ("need", "answer"), [(Need.UNANSWERED, RAISED), (Need.LEAD, ANSWER)], ids=["no-answer-there", "a-lead-s-call-there"]
)
def test_the_same_question_answered_on_another_article_is_not_reused_where_it_holds_no_answer_or_a_lead_decides(
    sqlite_engine: Engine,
    embedder: Embedder,
    tmp_path: Path,
    kb_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    need: Need,
    answer: str,
) -> None:
    """The articles answer from *API rate limits*; the team's reply to the same question links *Set up webhooks*,
    read on its own as holding no answer (the reply says none of it: an action taken) or as a lead's call. Found
    in a second read: the articles' answer let either through."""
    shipped = NeedModel.read

    def read_on_webhooks(
        model: NeedModel, selection: Selection, evidence: Sequence[float] | None, raw: float
    ) -> NeedReading:
        if selection.best is not None and selection.best.article_id == "webhooks":
            return NeedReading(need, {need: 1.0})
        return shipped(model, selection, evidence, raw)

    monkeypatch.setattr(NeedModel, "read", read_on_webhooks)
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, NEVER)
    first = _answered(assistant, AGAIN, answer, citation=ELSEWHERE)
    later = _asked_again(assistant)

    draft = compute_assistance(assistant, ticket_id=later).draft

    assert draft.reused_from != first and draft.sources[:1] == ("rate-limits",)
    assert "raised your workspace's limit" not in draft.text


def test_the_same_question_answered_on_another_article_shows_that_article_s_own_figure(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    """The figure of the articles' draft on that article read alone: the team's answer to the same question is
    the evidence for it that Regenerate's figure, read against the article preferred, lacks."""
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, NEVER)
    first = _answered(assistant, AGAIN, citation=ELSEWHERE)
    later = _asked_again(assistant)
    with session_scope(assistant.engine) as session:
        evidence = gather_evidence(assistant, ticket_detail(session, ticket_id=later))
    policy = confidence_policy(assistant)
    alone, regenerated = focus(assistant, evidence, policy, alternative=1)  # the runner-up article
    assert alone.selection.best is not None and alone.selection.best.article_id == "webhooks"

    draft = compute_assistance(assistant, ticket_id=later).draft

    assert draft.reused_from == first and draft.sources == ("webhooks",)
    assert draft.confidence == policy.read(alone.selection, alone.thread.signals).calibrated
    assert draft.confidence > regenerated.calibrated
    assert draft.raw_confidence is None


def test_a_closer_reply_that_cites_no_article_does_not_hide_the_next_one_that_does(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, ALWAYS)
    agent = _agent(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        uncited = make_ticket(session, customer=make_customer(session), subject="API errors", body=AGAIN).id
        cited = make_ticket(session, customer=make_customer(session), subject="API errors", body=QUESTION).id
    _send(assistant, uncited, f"Hi,\n\n{RAISED}\n\nBest regards,\nRiley", agent)  # restates no article either
    _send(assistant, cited, f"Hi,\n\n{ANSWER}\n\n{CITATION}\n\nBest regards,\nRiley", agent)

    draft = compute_assistance(assistant, ticket_id=_asked_again(assistant)).draft

    assert draft.reused_from == cited and draft.sources == ("rate-limits",)


@pytest.mark.parametrize(
    ("answer", "stands_on"),
    [
        (ANSWER, ("rate-limits",)),  # the article's own sentences, without its link
        (RAISED, None),
    ],
    ids=["restates-an-article", "restates-none"],
)
def test_a_reply_without_a_link_stands_on_the_article_it_restates_and_is_otherwise_never_reused(
    sqlite_engine: Engine,
    embedder: Embedder,
    tmp_path: Path,
    kb_dir: Path,
    answer: str,
    stands_on: tuple[str, ...] | None,
) -> None:
    """Agents who answer in the article's words rarely paste its link: such a reply stood on no article, so the
    same question asked again was drafted from the articles, never from the team's answer."""
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, NEVER)
    with session_scope(sqlite_engine) as session:
        first = make_ticket(session, customer=make_customer(session), subject="API errors", body=AGAIN).id
    _send(assistant, first, f"Hi,\n\n{answer}\n\nBest regards,\nRiley", _agent(sqlite_engine))

    draft = compute_assistance(assistant, ticket_id=_asked_again(assistant)).draft

    assert (draft.reused_from == first) is (stands_on is not None)
    assert draft.sources[:1] == ("rate-limits",)  # the team's answer, or the articles'
    assert 'help article "API rate limits": https://' in draft.text  # either way the draft links its source
    assert ("raised your workspace's limit" in draft.text) is False


def test_the_same_question_answered_without_a_link_is_not_hidden_by_a_farther_reply_that_has_one(
    sqlite_engine: Engine, embedder: Embedder, tmp_path: Path, kb_dir: Path
) -> None:
    """The closest reply's article is read (the one it restates) before a farther reply citing one is preferred:
    otherwise the question asked again was weighed on a neighbouring question's reply."""
    assistant = _assistant(sqlite_engine, embedder, tmp_path, kb_dir, NEVER)
    agent = _agent(sqlite_engine)
    with session_scope(sqlite_engine) as session:
        same = make_ticket(session, customer=make_customer(session), subject="API errors", body=AGAIN).id
        neighbour = make_ticket(session, customer=make_customer(session), subject="API errors", body=QUESTION).id
    _send(assistant, same, f"Hi,\n\n{ANSWER}\n\nBest regards,\nRiley", agent)
    _send(assistant, neighbour, f"Hi,\n\n{ANSWER}\n\n{CITATION}\n\nBest regards,\nRiley", agent)

    draft = compute_assistance(assistant, ticket_id=_asked_again(assistant)).draft

    assert draft.reused_from == same and draft.sources == ("rate-limits",)
