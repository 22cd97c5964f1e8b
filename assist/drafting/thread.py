"""What the thread already holds: the sentences the agents wrote, and whether the customer is answering us."""

from __future__ import annotations

import re

from assist.domain import AuthorRole, TicketDetail
from assist.history import SHORT_FOLLOW_UP, last_agent_reply

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
MIN_WORDS = 4  # greetings and sign-offs ("Hi Dana,", "Best regards,") say nothing worth remembering


MAX_SENTENCES = 6  # the most recent ones; each is embedded on every run


def agent_sentences(ticket: TicketDetail) -> tuple[str, ...]:
    """The most recent substantive sentences the agents sent on this ticket (a draft never repeats them)."""
    out: list[str] = []
    for m in ticket.messages:
        if m.author_role is AuthorRole.AGENT:
            out.extend(s.strip() for s in _SENTENCE.split(m.body) if len(s.split()) >= MIN_WORDS)
    return tuple(dict.fromkeys(out[-MAX_SENTENCES:]))


def is_follow_up(ticket: TicketDetail) -> bool:
    """The customer is answering an agent (a fresh welcome would read as if nobody listened)."""
    return any(m.author_role is AuthorRole.AGENT for m in ticket.messages)


def reply_context(ticket: TicketDetail, asked: str) -> str:
    """What the newest words mean: a short follow-up ("how long until it shows up?") is read after the agent's
    last reply, which is what its "it" refers to."""
    if len(asked.split()) >= SHORT_FOLLOW_UP:
        return asked
    said = " ".join(s for s in _SENTENCE.split(last_agent_reply(ticket)) if len(s.split()) >= MIN_WORDS)
    return f"{said}\n{asked}" if said else asked
