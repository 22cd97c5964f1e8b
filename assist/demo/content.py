"""Words for the demo workspace: the support topics of the fictional SaaS "Lumen" and every question
(wording) customers ask about them. `assist.demo.seed` combines them deterministically.

Each wording names the knowledge-base article (in `kb_docs/`) that answers it, the plans that have the
feature it is about, and the replies a good agent sent to it and to what customers wrote next.
"""

from __future__ import annotations

from assist.demo.topics import account, billing, general, technical
from assist.demo.wording import FollowUp, Topic, Wording

TOPICS: tuple[Topic, ...] = account.TOPICS + billing.TOPICS + technical.TOPICS + general.TOPICS
WORDINGS: dict[str, Wording] = {w.key: w for t in TOPICS for w in t.wordings}


def eligible(wording: Wording, *, plan: str, past_due: bool) -> bool:
    """A customer on `plan` can ask it: the plan has the feature (and the account is overdue where that's the topic)."""
    return plan in wording.plans and (past_due or not wording.past_due)


def wording_of(message: str) -> Wording | None:
    """The wording a ticket's first message was written from (every phrasing is unique to one wording)."""
    found = [w for w in WORDINGS.values() if any(text in message for text in w.all_texts())]
    return found[0] if len(found) == 1 else None


def follow_up_of(wording: Wording, message: str) -> FollowUp | None:
    """The wording's follow-up a customer message was written from."""
    return next((f for f in wording.follow_ups if f.text in message), None)
