"""Similar resolved tickets: the earlier tickets whose question is closest to this one's, how they ended and
the reply the team sent, made fit to reuse for this customer.

The index holds one vector per sent reply: the customer words that reply answered (the thread module's
`asked`, read on the thread as it stood before the reply). It lives in the knowledge base's vector store (a
second collection, embedded Chroma or the server) and is kept on write: `send_reply` indexes the ticket after
its transaction (a failure is logged and never fails the send), and every read first adds any reply the index
lacks (sends from other paths, the demo seeder, a failed write), so `python -m assist similar reindex` is only
needed to rebuild. How a ticket ended (resolved, reopened, CSAT) is read from SQL when the panel asks, so a
reopen or a survey answer shows at once without touching the index.

Nothing of the other customer reaches this one: their names (row and signature), e-mail addresses, phones,
cards, IBANs, order, invoice and ticket references, and the amounts and dates of their thread are replaced by
placeholders (`drafting.redaction.Redaction`, the prompt redactor's one rule), and the greeting is addressed
to this ticket's customer.

The reply shown or reused is the one that answered the question a later ticket matched (`_answers`), not the
thread's newest. `past_reply` reads the same index for the pipeline: that reply of the closest earlier ticket that
ended well, with the same removal, which `drafting.reuse` weighs against the articles' answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from chromadb.api.models.Collection import Collection
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assist.domain import AuthorRole, LinkedArticle, SimilarTicket, TicketDetail
from assist.drafting.message_text import content
from assist.drafting.offline import first_name
from assist.drafting.redaction import Redaction
from assist.drafting.reuse import PastReply, ReuseModel, reply_body
from assist.drafting.thread import read_thread
from assist.edits import LIGHT_EDIT
from assist.embeddings import Embedder
from assist.errors import SearchIndexError
from assist.kb.vectors import fatal
from assist.store import answered
from assist.store.db import session_scope
from assist.store.tickets import ticket_detail

log = logging.getLogger(__name__)

SHOWN = 3
CANDIDATES = 30  # replies read from the index: several can belong to one ticket, some tickets never resolved
MAX_CHARS = 2000
BAD_CSAT = 2  # a CSAT score this low or lower: the reply did not help, so it is not reused
BATCH = 64
_GREETING = re.compile(r"^(\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b)[^,\n!]{0,60}([,!])", re.I)
# A reply that says less than this share of its ticket's fullest reply is a courtesy or a question back ("Great to
# hear it's working now", "Could you send a screenshot?"), not the answer to the question.
SAYS_LITTLE = 0.5
WEIGHED_TICKETS = 3  # the closest tickets that ended well whose replies a draft may be built on (`past_reply`)
_CITATION = re.compile(r'help article "([^"\n]{1,200})"(?::\s*(https?://\S+))?')
_SIGNATURE_NAME = re.compile(r"^[^\W\d_][\w'’.-]*(?:\s[^\W\d_][\w'’.-]*){0,2}$")
_NOT_NAMES = re.compile(r"^(thanks|thank you|best|regards|cheers|kind regards|best regards|sent from.*|--)$", re.I)


@dataclass(frozen=True)
class SimilarIndex:
    """The answered-questions collection and the encoder that fills it (built by `factories`)."""

    collection: Collection
    embedder: Embedder


def question_answered(ticket: TicketDetail, message_id: int) -> str:
    """The customer words the reply in `message_id` answered: the thread read as it stood just before it."""
    at = next((n for n, m in enumerate(ticket.messages) if m.id == message_id), len(ticket.messages))
    before = ticket.model_copy(update={"messages": ticket.messages[:at]})
    return (read_thread(before).asked or ticket.subject)[:MAX_CHARS]


def index_ticket(engine: Engine, index: SimilarIndex, *, ticket_id: int) -> int:
    """Index every sent reply of the ticket (again: an upsert); returns how many."""
    with session_scope(engine) as session:
        replies = answered.sent_replies(session, ticket_ids=[ticket_id])
    return _add(engine, index, replies)


def index_after_send(engine: Engine, index: SimilarIndex | None, *, ticket_id: int) -> None:
    """What a send calls once its transaction is committed: a failure is logged, never raised (the reply is
    sent; the next read of the index adds what is missing)."""
    if index is None:
        return
    try:
        index_ticket(engine, index, ticket_id=ticket_id)
    except BaseException as e:
        if fatal(e):
            raise
        log.warning("ticket #%s was not added to the similar-tickets index (%s); the next read adds it", ticket_id, e)


def catch_up_similar(engine: Engine, index: SimilarIndex, *, rebuild: bool = False) -> int:
    """Add the replies the index lacks and drop what no longer exists (`rebuild`: every vector again).
    Returns how many replies were indexed. Cheap when nothing is missing: two counts."""
    with session_scope(engine) as session:
        if not rebuild and answered.reply_count(session) == index.collection.count():
            return 0
        stored = answered.reply_ids(session)
    held = {int(i) for i in index.collection.get(include=[])["ids"]}
    gone = [str(i) for i in held - stored]
    if gone:
        index.collection.delete(ids=gone)
    missing = sorted(stored if rebuild else stored - held)
    total = 0
    for start in range(0, len(missing), BATCH):
        with session_scope(engine) as session:
            replies = answered.sent_replies(session, reply_ids=missing[start : start + BATCH])
        total += _add(engine, index, replies)
    return total


def catch_up_before_drafting(engine: Engine, index: SimilarIndex | None) -> None:
    """What bulk drafting calls first (`pipeline.precompute_many`): `catch_up_similar`, with a failure logged,
    never raised (the drafts then come from the articles; `python -m assist similar reindex` repairs)."""
    if index is None:
        return
    try:
        catch_up_similar(engine, index)
    except BaseException as e:
        if fatal(e):
            raise
        log.warning("the similar-tickets index was not caught up before drafting (%s)", e)


def _add(engine: Engine, index: SimilarIndex, replies: list[answered.SentReply]) -> int:
    if not replies:
        return 0
    with session_scope(engine) as session:
        tickets = {t: ticket_detail(session, ticket_id=t) for t in {r.ticket_id for r in replies}}
    questions = [question_answered(tickets[r.ticket_id], r.message_id) for r in replies]
    vectors = index.embedder.encode(questions)
    index.collection.upsert(
        ids=[str(r.reply_id) for r in replies],
        embeddings=[v.tolist() for v in vectors],
        metadatas=[{"ticket_id": r.ticket_id} for r in replies],
    )
    return len(replies)


def similar_tickets(
    engine: Engine, index: SimilarIndex | None, *, ticket: TicketDetail, k: int = SHOWN, region: str = "US"
) -> tuple[SimilarTicket, ...]:
    """The `k` earlier resolved tickets (any customer) whose answered question is closest to this ticket's
    newest customer words, with the reply that answered it (`_answers`) ready to reuse for this customer.

    Raises:
        SearchIndexError: the vector store cannot be read; re-index.
    """
    if index is None or ticket.held_out:  # no vector store (a bare pipeline); the team's replies are assistance
        return ()
    asked = read_thread(ticket).asked or ticket.subject
    best = _nearest(index, index.embedder.encode_one(asked[:MAX_CHARS]), ticket_id=ticket.id)
    with session_scope(engine) as session:
        ends = answered.endings(session, ticket_ids=list(best))
        chosen = [t for t in best if t in ends and ends[t].resolved][:k]
        found = _reusable(session, ticket, _answers(session, {t: best[t].reply_id for t in chosen}), region=region)
    return tuple(
        SimilarTicket(
            ticket_id=t,
            subject=r.removal.redact(ends[t].subject),
            similarity=round(best[t].similarity, 3),
            status=ends[t].status,
            resolved=ends[t].resolved,
            reopened=ends[t].reopened,
            csat_score=ends[t].csat_score,
            reply=r.text,
            articles=r.articles,
        )
        for t, r in found.items()
    )


def past_reply(
    engine: Engine,
    index: SimilarIndex | None,
    *,
    ticket: TicketDetail,
    vector: npt.NDArray[np.float32],
    region: str,
    read: Callable[[PastReply], PastReply] = lambda reply: reply,
) -> PastReply | None:
    """The answer (`_answers`) of the closest earlier ticket that ended well (resolved, never reopened, no CSAT of
    `BAD_CSAT` or less), with the other customer removed: what `drafting.reuse` weighs. Of the `WEIGHED_TICKETS`
    closest such tickets, the first whose reply could be built on (`ReuseModel.weighs`: one that cites no article
    must not hide the next, which answered the same question and cites one) once `read` as the caller reads it (the
    pipeline: the article it restates, `drafting.reuse.restated_article`); else the closest. `vector` is this
    ticket's newest customer words, embedded (the pipeline has it already). None when no such ticket exists.

    Raises:
        SearchIndexError: the vector store cannot be read; re-index.
    """
    if index is None or ticket.held_out:
        return None
    best = _nearest(index, vector, ticket_id=ticket.id)
    with session_scope(engine) as session:
        ends = answered.endings(session, ticket_ids=list(best))
        good = [t for t in best if t in ends and _ended_well(ends[t])][:WEIGHED_TICKETS]
        closest: PastReply | None = None
        for t in good:  # one at a time: removing a customer's details is the costly part, and the first usually does
            for r in _reusable(session, ticket, _answers(session, {t: best[t].reply_id}), region=region).values():
                reply = read(
                    PastReply(
                        ticket_id=t,
                        similarity=round(best[t].similarity, 4),
                        text=r.text,
                        article_titles=tuple(a.title for a in r.articles),
                    )
                )
                if ReuseModel.weighs(reply):
                    return reply
                closest = closest or reply
    return closest


def _answers(session: Session, matched: dict[int, int]) -> dict[int, int]:
    """Each ticket's answer to the question a later ticket matched (`matched`: ticket -> the reply whose question
    matched best, in the order given): from that reply on, the first sent reply that says at least `SAYS_LITTLE` of
    what the ticket's fullest reply says (words between greeting and sign-off). Not the matched reply when it says
    little (an agent's first reply is often a question back, "could you send a screenshot?", to the very words a
    later ticket repeats), nor the newest: the "glad it works now" after the customer's thanks, or the answer to a
    follow-up about something else ("and where do I add a PO number?")."""
    by_ticket: dict[int, list[answered.SentReply]] = {}
    for reply in answered.sent_replies(session, ticket_ids=list(matched)):  # oldest first
        by_ticket.setdefault(reply.ticket_id, []).append(reply)
    out: dict[int, int] = {}
    for t, reply_id in matched.items():
        replies = by_ticket.get(t, [])
        says = [len(" ".join(reply_body(r.text)).split()) for r in replies]
        start = next((n for n, r in enumerate(replies) if r.reply_id == reply_id), 0)  # 0: deleted since indexed
        for reply, words in zip(replies[start:], says[start:], strict=True):
            if words >= SAYS_LITTLE * max(says):
                out[t] = reply.reply_id
                break
    return out


def _ended_well(end: answered.Ending) -> bool:
    return end.resolved and not end.reopened and (end.csat_score is None or end.csat_score > BAD_CSAT)


@dataclass(frozen=True)
class _Match:
    similarity: float  # the cosine of the ticket's best-matching answered question
    reply_id: int  # the reply that answered it


def _nearest(index: SimilarIndex, vector: npt.NDArray[np.float32], *, ticket_id: int) -> dict[int, _Match]:
    """Other tickets by how close their answered questions are to `vector`, closest first."""
    try:
        # No catch-up here: embedding a workspace's missed replies (300 in the demo) would stall the ticket an
        # agent just opened. Sends index on write; the server catches up before it says it is ready (ui/serve.py),
        # precomputing before it drafts (pipeline.precompute_many), and `python -m assist similar reindex` rebuilds.
        found = index.collection.query(  # an index holding fewer (none, in a new workspace) gives what it holds
            query_embeddings=[vector.tolist()],
            n_results=CANDIDATES,
            where={"ticket_id": {"$ne": ticket_id}},  # type: ignore[dict-item]  # chroma's Where is too narrow
            include=["metadatas", "distances"],
        )
    except BaseException as e:
        if fatal(e):
            raise
        raise SearchIndexError(
            f"The similar-tickets index cannot be read ({type(e).__name__}: {str(e)[:120]}). "
            "Rebuild it: `python -m assist similar reindex`."
        ) from e
    best: dict[int, _Match] = {}
    rows = zip(found["ids"][0], (found["metadatas"] or [[]])[0], (found["distances"] or [[]])[0], strict=True)
    for reply_id, meta, distance in rows:  # the index holds one entry per reply, under the reply's id
        best.setdefault(int(str(meta["ticket_id"])), _Match(1.0 - float(distance), int(reply_id)))
    return best


@dataclass(frozen=True)
class _Reusable:
    text: str  # the reply, everything of its customer removed, greeting addressed to this ticket's customer
    removal: Redaction
    articles: tuple[LinkedArticle, ...]  # the help articles it cites, read before the removal


def _reusable(session: Session, ticket: TicketDetail, chosen: dict[int, int], *, region: str) -> dict[int, _Reusable]:
    """For each chosen ticket (in order) and reply of it: that reply made fit to show or reuse for `ticket`'s
    customer. A reply deleted since it was indexed is left out."""
    replies = {r.reply_id: r for r in answered.sent_replies(session, reply_ids=list(chosen.values()))}
    drafted = answered.draft_articles(session, reply_ids=list(replies), light=LIGHT_EDIT)
    out: dict[int, _Reusable] = {}
    for t, reply_id in chosen.items():
        if reply_id not in replies:
            continue
        reply = replies[reply_id]
        removal = _removal(ticket_detail(session, ticket_id=t), reply_id=reply.message_id, region=region)
        text = readdressed(removal.redact(reply.text), ticket.customer.name)
        # The articles it links; else those of the draft it went out from with light edits at most (an agent who
        # sends a draft and cuts its "read more" line still answered from that article).
        cited = linked_articles(reply.text) or tuple(
            LinkedArticle(title=a, url=u) for a, u in drafted.get(reply_id, [])
        )
        out[t] = _Reusable(text, removal, cited)
    return out


def _removal(other: TicketDetail, *, reply_id: int, region: str) -> Redaction:
    """The redaction of everything of `other`'s customer: names, invoices, references, their thread's amounts
    and dates (the reply itself is not their thread: an amount an article gives stays)."""
    customer = other.customer
    thread = "\n".join([other.subject, *(m.body for m in other.messages if m.id != reply_id)])
    return Redaction(
        region=region,
        names=tuple(_names(customer.name, other)),
        values=tuple(i.number for i in customer.invoices),
        references=True,
        thread=thread,
        label="OTHER_",
    )


def _names(name: str, ticket: TicketDetail) -> Iterable[str]:
    """The customer's name, each part of it, and the names they signed with."""
    yield name
    yield from (part for part in name.split() if len(part) >= 2)
    for m in ticket.messages:
        if m.author_role is not AuthorRole.CUSTOMER:
            continue
        kept = content(m.body)
        for line in [line.strip() for line in m.body.strip().splitlines()][-3:]:
            if line and line not in kept and _SIGNATURE_NAME.match(line) and not _NOT_NAMES.match(line):
                yield line
                yield from (part for part in line.split() if len(part) >= 2)


def readdressed(reply: str, customer_name: str) -> str:
    """The reply's greeting addressed to `customer_name` by first name ("Hi there," without one); a reply
    without a greeting is left as it is."""
    first = first_name(customer_name) or "there"
    return _GREETING.sub(lambda m: f"{m.group(1)} {first}{m.group(2)}", reply, count=1)


def linked_articles(reply: str) -> tuple[LinkedArticle, ...]:
    """The help articles the reply cites (`drafting.links.citation`), in order, each once."""
    seen: dict[str, LinkedArticle] = {}
    for m in _CITATION.finditer(reply):
        seen.setdefault(m.group(1), LinkedArticle(title=m.group(1), url=m.group(2)))
    return tuple(seen.values())
