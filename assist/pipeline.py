"""compute_assistance(ticket) -> Assistance: retrieval, sentiment, triage, draft and escalation for one ticket.

The ticket text is embedded once; retrieval, triage and the offline drafter reuse that vector.
Each step is timed (and traced when OTLP is configured); every run is stored with its draft, so
dashboards can show latency, mode and cost, and the workspace can re-open a ticket instantly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from assist.config import Settings
from assist.domain import (
    Assistance,
    AuthorRole,
    ContactHistory,
    Hit,
    MessageSentiment,
    SearchMode,
    Sentiment,
    TicketDetail,
    Triage,
)
from assist.drafting import AnswerSelector, ArticleText, ConfidenceModel, Drafter, Question, Selection, plan
from assist.drafting.answers import CANDIDATE_ARTICLES
from assist.drafting.message_text import without_signature
from assist.drafting.needs import NeedModel
from assist.drafting.policy import Confidence, ConfidencePolicy
from assist.drafting.reuse import PastReply, ReuseModel, read_reply, restated, restated_article
from assist.drafting.thread import (
    ThreadReading,
    as_answered,
    read_thread,
    retrieval_query,
    unanswered,
    unanswered_words,
)
from assist.embeddings import Embedder
from assist.errors import NoAlternativeError, SearchIndexError
from assist.escalation import SOONER, evaluate, queue_without
from assist.handoff import customer_summary
from assist.history import contact_history
from assist.kb import KnowledgeBase
from assist.priority import priority as priority_of
from assist.sentiment import SentimentModel, analyze
from assist.similar import SimilarIndex, catch_up_before_drafting, past_reply
from assist.store.calibrations import current_recalibration
from assist.store.db import session_scope
from assist.store.runs import save_run
from assist.store.tickets import ticket_detail
from assist.telemetry import StepTimer
from assist.times import utcnow
from assist.topics import TopicMatch
from assist.triage import Triager

log = logging.getLogger(__name__)

MIN_ALTERNATIVE_SCORE = 0.3  # Regenerate grounds on the next article only when it is this relevant
# ... and scores at least this share of the best article. Measured on the labelled sets' answerable questions
# (the shipped articles): where the gold article came second, it scored >= 0.7 of the first every time (35 of 35
# on the check halves, 19 of 19 on the fit halves); a second article that was not the answer scored below that
# 23 % of the time ("card refund takes how long" offered failed payments, 0.61 of the refund policy).
ALTERNATIVE_RELATIVE = 0.7
ARTICLES = 5


@dataclass(frozen=True)
class Assistant:
    """The resources one assist run needs, built once by `assist.factories.build_assistant`."""

    engine: Engine
    settings: Settings
    embedder: Embedder
    knowledge_base: KnowledgeBase
    sentiment: SentimentModel
    triager: Triager
    drafter: Drafter
    selector: AnswerSelector
    confidence: ConfidenceModel
    needs: NeedModel
    similar: SimilarIndex | None = None  # the team's sent replies (assist/similar.py)
    reuse: ReuseModel | None = None  # whether a draft is built on one of them (assist/drafting/reuse.py)


def compute_assistance(
    assistant: Assistant, *, ticket_id: int, ticket: TicketDetail | None = None, alternative: int = 0
) -> Assistance:
    """Compute and store assistance for the ticket's current version.

    `ticket` saves a read when the caller has just loaded it. `alternative` > 0 grounds the draft on the
    next-best article (Regenerate); the rest of the assessment is the same.

    Raises:
        NotFoundError: no such ticket.
        NoAlternativeError: `alternative` asks for a candidate that does not exist.
    """
    timer = StepTimer()
    with timer.run("assist", ticket_id=ticket_id):
        if ticket is None:
            with timer.step("load"), session_scope(assistant.engine) as session:
                ticket = ticket_detail(session, ticket_id=ticket_id)
        evidence = gather_evidence(assistant, ticket, timer=timer)
        with timer.step("confidence"):
            policy = confidence_policy(assistant)
            confidence = policy.read(evidence.selection, evidence.thread.signals)
        with timer.step("reuse"):
            past, reusing = weigh_past_reply(
                assistant, ticket=ticket, evidence=evidence, policy=policy, confidence=confidence
            )
        # Regenerate walks the candidates in the order the draft offers them: a past reply that won first, then
        # the articles by rank (so the first Regenerate of a draft built on a past reply gives the articles' best).
        # The escalation reads the confidence of the draft offered first: the ticket's assessment does not move
        # with the draft the agent looks at (a runner-up article's lower figure would suggest a lead).
        article_rank = alternative - (past is not None)
        assessed = reusing  # the confidence of the draft offered first (the articles' where no past reply won)
        if alternative:
            past = None
            if article_rank:
                evidence, confidence = focus(assistant, evidence, policy, alternative=article_rank, timer=timer)
        else:
            confidence = reusing
        query, hits, selection = evidence.query, evidence.hits, evidence.selection
        triage = evidence.triage
        with timer.step("history"), session_scope(assistant.engine) as session:
            match = TopicMatch.of(
                session, ticket, embed=assistant.embedder.encode, known={evidence.query: evidence.vector}
            )
            history = contact_history(
                session, ticket=ticket, category=ticket.category or triage.category, intent=triage.intent, topic=match
            )
            match.remember(session)
        with timer.step("sentiment"):
            sentiment, trend = _sentiment(assistant, ticket, history)
            priority = priority_of(sentiment, history)
        with timer.step("escalate"):
            escalation = evaluate(
                sentiment=sentiment,
                history=history,
                priority=priority,
                confidence=assessed,
                settings=assistant.settings,
            )
        with timer.step("draft"):
            reply_plan = plan(
                sentiment=sentiment,
                escalation=escalation,
                answerable=confidence.answerable,
                specific=not confidence.vague,
                thread=evidence.thread,
                asks=evidence.thread.asks,
                answer_queue=queue_without(escalation, SOONER),
            )
            draft = assistant.drafter.draft(
                ticket=as_answered(ticket),  # the LLM reads the conversation the stance was planned for
                selection=selection,
                plan=reply_plan,
                level=sentiment.level,
                customer_summary=customer_summary(ticket),
                earlier_contacts=history.earlier_contacts_same_issue,
                confidence=confidence.shown(reply_plan.answers),
                agent_name=ticket.assignee_name,
                past=past,
            )
            draft = draft.model_copy(
                update={
                    "raw_confidence": confidence.recorded(reply_plan.answers),
                    "band": confidence.band(reply_plan.answers, closing=reply_plan.closing),
                    "notes": (*draft.notes, *([evidence.retrieval_note] if evidence.retrieval_note else [])),
                }
            )
        result = Assistance(
            ticket_id=ticket.id,
            ticket_version=ticket.version,
            run_id=0,
            draft_id=0,
            query=query,
            history=history,
            triage=triage,
            hits=tuple(hits),
            sentiment=sentiment,
            priority=priority,
            draft=draft,
            escalation=escalation,
            timings_ms={**timer.timings_ms, "total": timer.elapsed_ms()},
            created_at=utcnow(),
            sentiment_trend=trend,
            kb_generation=assistant.knowledge_base.generation(),
            owner=ticket.owner,
        )
        with timer.step("store"):  # a span of its own; the stored timings end where the store begins
            stored = save_run(assistant.engine, assistance=result)
    return stored


def weigh_past_reply(
    assistant: Assistant, *, ticket: TicketDetail, evidence: Evidence, policy: ConfidencePolicy, confidence: Confidence
) -> tuple[PastReply | None, Confidence]:
    """The answer of the closest earlier ticket (`similar.past_reply`), when that ticket asked the same question (also
    where the need model reads no article answering it, if the reply says what its article says) or the reply is
    likelier to be right than the articles' answer (`drafting.reuse`), with the confidence of the draft built on it;
    else (None, `confidence`)."""
    reuse = assistant.reuse
    if reuse is None or confidence.needs_lead:  # a lead's call is not the team's earlier answer
        return None, confidence
    selection = evidence.selection
    try:
        past = closest_past_reply(assistant, ticket=ticket, evidence=evidence)
    except SearchIndexError as e:  # the articles' draft stands; the similar-tickets panel says what to do
        log.warning("ticket #%s: no past replies weighed (%s)", ticket.id, e)
        return None, confidence
    if past is None or not reuse.weighs(past):  # read by the answer reader only when it may be used
        return None, confidence
    best = selection.best
    held: tuple[str, ...] | None = None  # looked up only where the reply may be used: it reads every article
    if past.asked_again:
        held = _held_articles(assistant, past)
        if not held:  # every article it cited is gone: a draft states its source
            return None, confidence
        # The same question, answered by the team on a ticket that ended well: their answer is the draft, shown
        # with the figure of the article it stands on (none among the candidates: the reuse model decides).
        same_article = best is not None and held[0] == best.article_id
        standing = confidence if same_article else _confidence_of(assistant, evidence, policy, article_id=held[0])
        if standing is not None:
            if standing.needs_lead:  # a lead's call, read on the article the reply stands on
                return None, confidence
            reusing = policy.answered_before(standing)
            # Where the need model reads no answer in that article, the reply stands for one only when it says what
            # the article says: an action taken for that customer ("I've extended your trial") is not an answer to
            # copy. Units the agent already said in this thread are not candidates: repeating them answers nothing.
            own = (c for c in selection.candidates if c.article_id == held[0])
            says = standing.need.answerable or restated(past, own) is not None
            return (replace(past, article_ids=held), reusing) if reusing.answerable and says else (None, confidence)
    if not confidence.answerable:
        # Where the articles hold no answer, only the same question answered before competes: an earlier reply
        # to a question that shares the words answered near misses (abstain recall on the repeats check half fell
        # from 0.33 to 0.17 when any could; docs/evaluation.md).
        return None, confidence
    selected = selection.articles[best.article_id].title if best else None
    reading = read_reply(assistant.selector.reader, selection, past)
    probability = reuse.probability(past, selected_title=selected, reading=reading)
    # Against the figure the articles' draft would show: the draft shown is never the one with the lower figure
    # (Regenerate, which gives the articles' draft, would otherwise raise it).
    if probability <= confidence.calibrated:
        return None, confidence
    held = _held_articles(assistant, past) if held is None else held
    if not held:
        return None, confidence
    same_article = best is not None and held[0] == best.article_id
    reusing = policy.reusing(probability, confidence, same_article=same_article)
    if not reusing.answerable:
        # A team's recalibration can show the articles' answer below the abstain threshold, which reads the
        # model's own figure: a past reply that beats the shown figure but not the threshold would turn an answer
        # into an abstention.
        return None, confidence
    return replace(past, article_ids=held), reusing


def _held_articles(assistant: Assistant, past: PastReply) -> tuple[str, ...]:
    """The ids of the articles the reply cites that the knowledge base still holds, in its order."""
    ids = {a.title.casefold(): a.id for a in assistant.knowledge_base.list_articles()}
    return tuple(dict.fromkeys(ids[t.casefold()] for t in past.article_titles if t.casefold() in ids))


def closest_past_reply(assistant: Assistant, *, ticket: TicketDetail, evidence: Evidence) -> PastReply | None:
    """`similar.past_reply` for this ticket, read with the newest words the evidence embedded, each earlier reply
    standing on the article it restates when it links none (`drafting.reuse.restated_article`).

    Raises:
        SearchIndexError: the similar-tickets index cannot be read.
    """
    return past_reply(
        assistant.engine,
        assistant.similar,
        ticket=ticket,
        vector=evidence.selection.question.newest_words_vector,
        region=assistant.settings.default_phone_region,
        read=lambda reply: restated_article(reply, evidence.selection),
    )


@dataclass(frozen=True)
class Evidence:
    """What the ticket asks and what the knowledge base says about it."""

    query: str  # what retrieval searched for: subject + unanswered words (+ first message as context)
    vector: npt.NDArray[np.float32]
    triage: Triage
    hits: list[Hit]
    retrieval_note: str | None
    selection: Selection
    thread: ThreadReading


def gather_evidence(assistant: Assistant, ticket: TicketDetail, *, timer: StepTimer | None = None) -> Evidence:
    """Read the thread, embed its texts once, triage the ticket, retrieve articles and select the answer units
    (`focus` then restricts the answer to another article, for Regenerate)."""
    timer = timer or StepTimer()
    reading = read_thread(ticket)
    query = retrieval_query(ticket)
    said, tried = reading.agent_said, reading.tried
    with timer.step("embed"):  # texts that coincide are embedded once; short ones batch apart from long ones (`passes`)
        texts = list(dict.fromkeys([query, reading.context, reading.asked, *said, *tried]))
        vectors = dict(zip(texts, assistant.embedder.encode(texts), strict=True))
        vector = vectors[query]
    with timer.step("triage"):
        triage = assistant.triager.classify(query, vector=vector)
    with timer.step("retrieve"):
        # Triage's category is shown, not used to filter: a confidently wrong category used to hide the right
        # article (fit-half top-1 0.84 with the filter, 0.90 without; docs/evaluation.md).
        hits, note = _retrieve(assistant.knowledge_base, query, vector)
        articles = {h.article_id: _article(assistant.knowledge_base, h) for h in hits[:CANDIDATE_ARTICLES]}
    with timer.step("select"):
        question = Question(
            reading.asked,
            vectors[reading.context],
            vector,
            agent_said=said,
            words_vector=vectors[reading.asked],
            said_vectors=np.stack([vectors[s] for s in said]) if said else None,
            reading=reading.question,
            tried_vectors=np.stack([vectors[t] for t in tried]) if tried else None,
        )
        selection = assistant.selector.select(question, hits, articles)
    return Evidence(query, vector, triage, hits, note, selection, reading)


def _confidence_of(
    assistant: Assistant, evidence: Evidence, policy: ConfidencePolicy, *, article_id: str
) -> Confidence | None:
    """The confidence that `article_id` answers the ticket: of the articles' draft restricted to it. None when it
    is not among the candidate articles.

    Read on that article alone, not against the article preferred (as Regenerate's figure is: `focus`): the
    team's answer to the same question on a ticket that ended well is the evidence for it that the competition
    would otherwise weigh. Read against it, the demo's figures fell (AUROC 0.936 → 0.931, ECE 0.151 → 0.168)
    where 27 of its 28 drafts on a team's reply stand on the gold article (docs/evaluation.md)."""
    if article_id not in evidence.selection.articles:  # the candidates', each one of the hits
        return None
    restricted = _restrict(assistant, evidence, next(h for h in evidence.hits if h.article_id == article_id))
    return policy.read(restricted.selection, restricted.thread.signals)


def focus(
    assistant: Assistant,
    evidence: Evidence,
    policy: ConfidencePolicy,
    *,
    alternative: int,
    timer: StepTimer | None = None,
) -> tuple[Evidence, Confidence]:
    """The evidence with the answer restricted to the `alternative`-th best article as the selector ranked them
    (1 = the runner-up; Regenerate), and the confidence of a draft on it (`ConfidencePolicy.read_chosen`).

    Raises:
        NoAlternativeError: no such article answers nearly as well as the best.
    """
    hits, selection = evidence.hits, evidence.selection
    by_id = {h.article_id: h for h in hits}
    ranked = [by_id[a] for a in dict.fromkeys(c.article_id for c in selection.candidates)]
    floor = max(MIN_ALTERNATIVE_SCORE, ALTERNATIVE_RELATIVE * max((h.score for h in hits), default=0.0))
    if alternative >= len(ranked) or ranked[alternative].score < floor:
        raise NoAlternativeError(
            "There is no other grounded candidate for this ticket: no other article answers it nearly as "
            "well as the one the draft uses. Edit the draft, or write the answer by hand."
        )
    with (timer or StepTimer()).step("select"):
        alone = _restrict(assistant, evidence, ranked[alternative])
        own = policy.read(alone.selection, alone.thread.signals)
        best = alone.selection.best
        if best is None or not own.answerable:  # it abstains as it would on its own: no figure to read
            return alone, own
        # The candidates selected again, the chosen article read first, so its units are read as fully as alone;
        # the figure is read on the unit the draft states.
        against = assistant.selector.select(
            alone.selection.question, alone.hits, evidence.selection.articles, lead=best.article_id
        )
    return alone, policy.read_chosen(own, against.led_by(best), alone.thread.signals)


def _restrict(assistant: Assistant, evidence: Evidence, chosen: Hit) -> Evidence:
    """The evidence with the answer selected from `chosen`'s article alone, ranked first."""
    hits = [chosen, *(h for h in evidence.hits if h.article_id != chosen.article_id)]
    only = {chosen.article_id: evidence.selection.articles[chosen.article_id]}
    return replace(evidence, hits=hits, selection=assistant.selector.select(evidence.selection.question, hits, only))


def _sentiment(
    assistant: Assistant, ticket: TicketDetail, history: ContactHistory
) -> tuple[Sentiment, tuple[MessageSentiment, ...]]:
    """The assessment of what is waiting for an answer, and the tone of every customer message before it,
    in one batched forward pass (the handoff shows the trend without running the model again)."""
    customer = [m for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER]
    probabilities = assistant.sentiment.predict([*(m.body for m in customer[:-1]), unanswered(ticket)])
    name = assistant.sentiment.name
    # The model reads the messages as written; the signals read them without signatures and quoted mail (a law
    # firm's name under a question is not a threat).
    words = unanswered_words(ticket)
    sentiment = analyze(probabilities[-1], text=words, history=history, model=name, earlier=probabilities[:-1])
    trend = [
        MessageSentiment(
            message_id=m.id,
            created_at=m.created_at,
            level=(s := analyze(p, text=without_signature(m.body), model=name)).level,
            score=s.score,
        )
        for m, p in zip(customer[:-1], probabilities[:-1], strict=True)
    ]
    if customer:
        last = customer[-1]
        trend.append(
            MessageSentiment(
                message_id=last.id, created_at=last.created_at, level=sentiment.level, score=sentiment.score
            )
        )
    return sentiment, tuple(trend)


def confidence_policy(assistant: Assistant) -> ConfidencePolicy:
    """The confidence policy in force: the shipped model, the team's newest recalibration (until the team has one,
    the mapping shipped with the model), the abstain threshold (Settings, on the figure shown; or the one fitted
    with the model, on the model's own figure) and the escalation threshold (Settings)."""
    configured = assistant.settings.draft_min_confidence
    teams = current_recalibration(assistant.engine)
    return ConfidencePolicy(
        model=assistant.confidence,
        recalibration=teams if teams.fitted else assistant.confidence.shown,
        abstain_below=assistant.confidence.threshold if configured is None else configured,
        escalate_below=assistant.settings.escalation_min_confidence,
        needs=assistant.needs,
        abstain_reads_raw=configured is None,
    )


def precompute_many(
    assistant: Assistant, *, ticket_ids: Sequence[int], progress: Callable[[int, int, str], None] | None = None
) -> dict[int, Assistance | str]:
    """Precompute assistance for many tickets; a failure on one ticket is reported, not raised.

    First the similar-tickets index takes in every sent reply it lacks: replies written without a send (a seeded
    demo, an import of old tickets) are otherwise added only when the server starts, after `make run` has
    prepared the inbox, and no stored draft would weigh them."""
    from assist.errors import AssistError

    if ticket_ids:
        catch_up_before_drafting(assistant.engine, assistant.similar)
    results: dict[int, Assistance | str] = {}
    for n, ticket_id in enumerate(ticket_ids, start=1):
        try:
            results[ticket_id] = compute_assistance(assistant, ticket_id=ticket_id)
        except AssistError as e:
            results[ticket_id] = str(e)
        if progress:
            progress(n, len(ticket_ids), f"Ticket #{ticket_id}")
    return results


def _retrieve(kb: KnowledgeBase, query: str, vector: npt.NDArray[np.float32]) -> tuple[list[Hit], str | None]:
    """Hybrid search. A broken vector index falls back to keyword search and says so: never silently worse."""
    try:
        return kb.search(query, k=ARTICLES, query_vector=vector), None
    except SearchIndexError as e:
        return kb.search(query, k=ARTICLES, mode=SearchMode.BM25), f"Articles found by keywords only. {e}"


def _article(kb: KnowledgeBase, hit: Hit) -> ArticleText:
    detail = kb.get_article(hit.article_id)
    return ArticleText(article_id=detail.id, title=detail.title, body=detail.body, url=hit.url)
