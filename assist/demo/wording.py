"""The shape of the demo's support content: a topic groups the questions customers ask about one part of
Lumen; each question (a *wording*) carries its own subjects, the ways customers put it, the article
sentences that answer it, the reply a good agent sent, and what customers wrote next.

Every reply is grounded: `answer` holds the article's own sentences (verbatim, markdown removed) that the
reply is built on, and `tests/test_demo_coherence.py` checks them against `kb_docs/`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

FREE, STARTER, PRO, ENTERPRISE = "free", "starter", "pro", "enterprise"
PLANS = (FREE, STARTER, PRO, ENTERPRISE)
PAID = (STARTER, PRO, ENTERPRISE)  # billing questions need a subscription (Free has no invoices)
TIME_TRACKING = PAID  # "Starter: unlimited projects, time tracking, client portal" (pricing-plans)
PRO_FEATURES = (PRO, ENTERPRISE)  # "Pro: approvals, API and webhooks, 2FA enforcement, integrations"
ENTERPRISE_FEATURES = (ENTERPRISE,)  # "Enterprise: SSO (SAML), audit log, data residency, 99.9% SLA"


@dataclass(frozen=True)
class FollowUp:
    """What a customer wrote after the agent's answer, and the next step that answers it."""

    text: str
    answer: tuple[str, ...]  # the article's sentences that answer the follow-up (not the first question)
    reply: str
    article: str = ""  # "" = the wording's article
    rewrite: str = ""  # an agent's own rewrite; "" = the reply, personalised
    plans: tuple[str, ...] = ()  # () = every plan of the wording; else only customers on these plans write it


@dataclass(frozen=True)
class Wording:
    """One question: every ticket about it has one of `subjects` and one of its texts as the first message."""

    key: str  # the issue; stored as the ticket's intent, so "the same issue" means the same wording
    subjects: tuple[str, ...]
    texts: tuple[str, ...]  # how customers put it (plain phrasings)
    answer: tuple[str, ...]
    reply: str  # what a good agent answered, in their own words
    follow_ups: tuple[FollowUp, ...]
    article: str = ""  # "" = the topic's
    plans: tuple[str, ...] = ()  # the plans that have what the question is about; () = the topic's
    past_due: bool = False  # only a customer with an overdue invoice asks it
    howto: bool = False  # a question about how to do something, not a report that something broke
    fixable: bool = False  # the answer makes it work again (so "works now, thanks" can follow)
    terse: str = ""  # a clipped version, sent as the whole message
    non_native: str = ""  # the same question from someone writing in a second language
    rewrite: str = ""  # an agent's own rewrite of the answer; "" = built from `answer`
    category: str = ""  # set from the topic

    def all_texts(self) -> tuple[str, ...]:
        return self.texts + tuple(t for t in (self.terse, self.non_native) if t)

    def follow_ups_for(self, plan: str) -> tuple[FollowUp, ...]:
        """What a customer on `plan` may write next (a follow-up can be about a feature of a higher plan)."""
        return tuple(f for f in self.follow_ups if not f.plans or plan in f.plans)


@dataclass(frozen=True)
class Topic:
    key: str
    category: str
    article: str
    wordings: tuple[Wording, ...]
    also: tuple[str, ...] = ()  # other articles that answer it as well (used when scoring retrieval)

    @property
    def subjects(self) -> tuple[str, ...]:
        return tuple(s for w in self.wordings for s in w.subjects)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(t for w in self.wordings for t in w.texts)


def topic(
    key: str,
    category: str,
    article: str,
    *wordings: Wording,
    plans: tuple[str, ...] = PLANS,
    also: tuple[str, ...] = (),
) -> Topic:
    """A topic whose wordings inherit its article, category and plans unless they name their own."""
    resolved = tuple(
        replace(w, article=w.article or article, plans=w.plans or plans, category=category) for w in wordings
    )
    return Topic(key, category, article, resolved, also)
