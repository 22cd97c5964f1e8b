"""The thread, read once: what the reply must answer and what the thread already holds.

`read_thread(ticket)` is computed once per assist run; retrieval, answer selection, stance and wording,
sentiment and the handoff read the `ThreadReading` it returns, and nothing recomputes its parts:

    asked       the customer's words since the team last replied, without greetings, pleasantries,
                sign-offs, signatures and quoted mail (assist/drafting/message_text.py); where the team replied
                last (the ticket waits for the customer), the words that reply answered (`as_answered`)
    question    what the answer reader scores passages against: `asked`, cut to the sentences that ask when
                a long message buries its question, and led by the first question when a short follow-up
                ("still nothing, when will it show?") leans on it
    context     `asked` read after the agent's reply before it (its "it" is what the agent said)
    agent_said  what the agents wrote before those words (a draft never repeats it); `promised` their promises,
                the last reply's too
    tried       what the customer says they already tried (the answer is the next step, not that)
    deadline    a time the customer asked for ("within the hour", "by Friday")
    owner       who owns the ticket now: the team, a lead's queue (`waiting_in`: which), a lead who took it over, or
                tier 1 again after a lead returned it
Whether the customer wrote before *about the same issue* needs the store: assist/history.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assist.domain import AuthorRole, Owner, Queue, TicketDetail
from assist.drafting.confidence import ThreadSignals
from assist.drafting.message_text import content, sentences, without_signature

SHORT_FOLLOW_UP = 25  # words: a follow-up this short leans on what came before it
MIN_WORDS = 4  # greetings and sign-offs ("Hi Dana,", "Best regards,") say nothing worth remembering
MAX_SENTENCES = 6  # the agents' most recent sentences; each is embedded on every run
QUESTION_WORDS = 60  # about what the reader reads of a question (assist/drafting/reader.py)
LEAD_WORDS = 25  # of the first question, in front of a short follow-up

_ASKS = re.compile(
    r"\?|^\s*(how|where|what|why|when|which|who|can|could|would|will|is|are|do|does|did|should|may)\b|"
    r"\b(please|i need|we need|i('d| would) like|we('d| would) like|i want|we want|help me|let me know|"
    r"tell me|any (idea|way)|is there a way)\b|"
    # Someone else's request, passed on: "Legal also wants the list of your sub-processors."
    r"\b(wants|needs|asks for|would like)\s+(the|a|an|your|to)\b",
    re.I,
)
_TRIED = re.compile(
    r"\b(i|we)\s*(('ve|'d|\s+have|\s+had)\s+)?(already\s+|also\s+|even\s+)?(tried|attempted|followed|"
    r"checked|cleared|restarted|reinstalled|re-?installed|reset|updated|re-?entered|rebooted|logged out|"
    r"signed out|turned (it )?off|switched)\b|\balready (tried|did|done)\b",
    re.I,
)
_PROMISE = re.compile(r"\b(i'll|i will|we'll|we will|i'm going to|we're going to|i am going to)\b", re.I)
_DEADLINE = re.compile(
    r"\b(within (the|an|one|a|\d+|two|three|few) (next )?(minutes?|hours?|hrs?|days?)|"
    r"(by|before) (end of (the )?(day|week)|eod|cob|tonight|tomorrow|(this |next )?(monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|noon|midday|\d{1,2}(:\d\d)?\s?(am|pm))|"
    r"(in the )?next (hour|\d+ (minutes|hours))|asap|as soon as possible|right away|immediately|today|urgently)\b",
    re.I,
)


@dataclass(frozen=True)
class Deadline:
    text: str  # as the customer wrote it
    hours: float  # how soon that is, at most


@dataclass(frozen=True)
class ThreadReading:
    asked: str
    question: str
    context: str
    agent_said: tuple[str, ...]
    promised: tuple[str, ...]
    tried: tuple[str, ...]
    deadline: Deadline | None
    owner: Owner
    waiting_in: Queue | None  # the lead's queue the ticket waits in (`Owner.ESCALATED`); None: it waits in none
    follow_up: bool  # the customer is answering an agent: no fresh welcome
    asks: bool  # the newest words ask or request something (not a plain "that worked, thanks")

    @property
    def signals(self) -> ThreadSignals:
        return ThreadSignals(follow_up=self.follow_up, tried=bool(self.tried), buried=self.buried)

    @property
    def buried(self) -> bool:
        """The question is a part of a longer message (the reader saw only the asking sentences)."""
        return len(self.asked.split()) > QUESTION_WORDS


def read_thread(ticket: TicketDetail) -> ThreadReading:
    whole, ticket = ticket, as_answered(ticket)
    pending = _pending(ticket)
    asked = "\n\n".join(content(body) for body in pending)
    last_reply = last_agent_reply(ticket)
    follow_up = any(m.author_role is AuthorRole.AGENT for m in ticket.messages)
    question = asking_part(asked)
    if follow_up and len(asked.split()) < SHORT_FOLLOW_UP:
        first = next((m.body for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER), "")
        lead = " ".join(asking_part(content(first)).split()[:LEAD_WORDS])
        if lead and lead not in asked:
            question = f"{lead}\n{question}"
    said_by_agent = agent_sentences(ticket)
    customer_words = [content(m.body) for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER]
    return ThreadReading(
        asked=asked,
        question=question,
        context=reply_context(asked, last_reply),
        agent_said=said_by_agent,
        promised=tuple(s for s in _agent_lines(whole) if _PROMISE.search(s)),  # a promise in the last reply stands
        tried=tuple(dict.fromkeys(s for words in customer_words for s in sentences(words) if _TRIED.search(s))),
        deadline=deadline_in(asked),
        owner=ticket.owner,
        waiting_in=ticket.escalation.queue if ticket.owner is Owner.ESCALATED and ticket.escalation else None,
        follow_up=follow_up,
        asks=bool(_ASKS.search(asked)),
    )


def asking_part(text: str, *, words: int = QUESTION_WORDS) -> str:
    """A long message's sentences that ask (and the one before the first of them, which usually says what
    went wrong), in their order, up to `words`; the whole text when it is short or asks nothing."""
    if len(text.split()) <= words:
        return text
    parts = sentences(text)
    asking = [n for n, s in enumerate(parts) if _ASKS.search(s)]
    if not asking:
        return " ".join(text.split()[:words])
    keep = sorted({max(asking[0] - 1, 0), *asking})
    out: list[str] = []
    for n in keep:
        if out and len(" ".join([*out, parts[n]]).split()) > words:
            break
        out.append(parts[n])
    return " ".join(out)


def deadline_in(text: str) -> Deadline | None:
    match = _DEADLINE.search(text)
    if match is None:
        return None
    said = match.group(0).lower()
    if re.search(r"minute|hour|hr|asap|as soon|right away|immediately|urgently", said):
        number = re.search(r"\d+", said)
        hours = float(number.group(0)) if number and "hour" in said else 1.0
        return Deadline(match.group(0), hours)
    if re.search(r"today|tonight|end of (the )?day|eod|cob|noon|midday|am|pm", said):
        return Deadline(match.group(0), 8.0)
    if "tomorrow" in said:
        return Deadline(match.group(0), 24.0)
    return Deadline(match.group(0), 72.0)  # a weekday, a week


def unanswered(ticket: TicketDetail, *, max_chars: int = 2000) -> str:
    """The customer's newest words (`_pending` of `as_answered`), as written (the tone model reads all of them)."""
    return "\n\n".join(_pending(as_answered(ticket)))[-max_chars:]


def unanswered_words(ticket: TicketDetail, *, max_chars: int = 2000) -> str:
    """The customer's newest words (`_pending` of `as_answered`) without signatures, disclaimers or quoted mail
    (`message_text.without_signature` of each message), for what the words say rather than how they read:
    "Oyelaran & Co Solicitors" under a calm question is a law firm's name, not a legal threat."""
    return "\n\n".join(without_signature(body) for body in _pending(as_answered(ticket)))[-max_chars:]


def as_answered(ticket: TicketDetail) -> TicketDetail:
    """The thread up to the customer's newest words. Where the team replied after them (the ticket waits for the
    customer), a reply still answers those words, as the team's last reply found them: read with that reply, the
    customer would seem to be answering it ("Thanks for getting back to me", or "I'll mark this as solved" on a
    problem they reported) and the draft would skip the answer the team gave as already said."""
    roles = [m.author_role for m in ticket.messages]
    last = max((n for n, role in enumerate(roles) if role is AuthorRole.CUSTOMER), default=None)
    if last is None or AuthorRole.AGENT not in roles[last + 1 :]:
        return ticket
    return ticket.model_copy(update={"messages": ticket.messages[: last + 1]})


def _pending(ticket: TicketDetail) -> list[str]:
    """The customer's words since the team last replied to them; `ticket` read `as_answered` (by the caller, which
    reads the rest of the thread from the same messages)."""
    pending: list[str] = []
    for message in ticket.messages:
        if message.author_role is AuthorRole.AGENT:
            pending = []
        elif message.author_role is AuthorRole.CUSTOMER:
            pending.append(message.body)
    return pending


def last_agent_reply(ticket: TicketDetail) -> str:
    return next((m.body for m in reversed(ticket.messages) if m.author_role is AuthorRole.AGENT), "")


def _agent_lines(ticket: TicketDetail) -> list[str]:
    out: list[str] = []
    for m in ticket.messages:
        if m.author_role is AuthorRole.AGENT:
            out.extend(s for s in sentences(content(m.body)) if len(s.split()) >= MIN_WORDS)
    return out


def agent_sentences(ticket: TicketDetail) -> tuple[str, ...]:
    """The most recent substantive sentences the agents sent on this ticket (a draft never repeats them)."""
    return tuple(dict.fromkeys(_agent_lines(ticket)[-MAX_SENTENCES:]))


def reply_context(asked: str, last_reply: str) -> str:
    """What the newest words mean: a short follow-up ("how long until it shows up?") is read after the agent's
    last reply, which is what its "it" refers to."""
    if len(asked.split()) >= SHORT_FOLLOW_UP:
        return asked
    said = " ".join(s for s in sentences(content(last_reply)) if len(s.split()) >= MIN_WORDS)
    return f"{said}\n{asked}" if said else asked


def retrieval_query(ticket: TicketDetail, *, max_chars: int = 1000) -> str:
    """Subject + the customer's newest words (`as_answered`). A short follow-up ("still nothing, when will it
    arrive?") gets the first message and the agent's reply before it as context: its "it" is what they were about."""
    ticket = as_answered(ticket)
    text = "\n\n".join(content(body) for body in _pending(ticket))
    if len(text.split()) < SHORT_FOLLOW_UP:
        first = next((content(m.body) for m in ticket.messages if m.author_role is AuthorRole.CUSTOMER), "")
        reply = content(last_agent_reply(ticket)) if last_agent_reply(ticket) else ""
        context = [part for part in (first, reply) if part and part not in text]
        text = "\n".join([*context, text])
    return f"{ticket.subject}\n{text}"[:max_chars]
