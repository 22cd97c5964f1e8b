"""The offline grounded drafter: a reply whose every fact is a unit of a help article.

The body is the selected answer (assist/drafting/answers.py): the best unit, a whole procedure only when
the customer asks how to do something (minus the steps the agent already gave), and at most two more
units of the same article that score close to the best. Greeting, opening, follow-up and closing lines
are fixed templates chosen by the plan (assist/drafting/stance.py); they state no facts. When the plan
abstains, the text is a clarifying question (CLARIFY) or nothing at all (ESCALATE), and the notes say
what no article covers.
"""

from __future__ import annotations

import time

from assist.domain import Draft, DraftMode
from assist.drafting.answers import Candidate, Question, Selection
from assist.drafting.links import citation
from assist.drafting.reuse import PastReply
from assist.drafting.stance import CLOSER, Plan, Stance
from assist.drafting.stated import answer_units, same_paragraph
from assist.drafting.units import STOPWORDS, step_number, unnumbered, words
from assist.stemming import STEMMER

MODEL_NAME = "offline-grounded"
TEAM = "Lumen Support"
# What a clarifying question may ask for; it asks only for what the customer has not given yet.
ASK_GOAL = "what you were trying to do"
ASK_RESULT = "what happened instead"
ASK_ERROR = "the exact wording of any error message you saw"
ASK_WHERE = "which page or screen this happens on, and since when"
DESCRIBED_WORDS = 8  # key words from which a message says what the customer is doing


def paragraphs(units: list[Candidate]) -> list[str]:
    """One line per unit, except that sentences of one article paragraph stay one paragraph. The steps of a
    procedure keep the article's numbers only when they are a whole run (2, 3, 4): a lone "6." or a list with a
    gap where the agent already gave a step ("1.", "2.", then "4.") reads as a stray or a broken list, so such
    steps are stated without their numbers."""
    numbered = _numbered_procedures(units)
    lines: list[str] = []
    for n, c in enumerate(units):
        if n and same_paragraph(units[n - 1], c):
            lines[-1] = f"{lines[-1]} {c.unit.text}"
        elif step_number(c.unit) is not None and (c.article_id, c.unit.group) not in numbered:
            lines.append(unnumbered(c.unit.text))
        else:
            lines.append(c.unit.text)
    return lines


def _numbered_procedures(units: list[Candidate]) -> set[tuple[str, int | None]]:
    """The (article, procedure) pairs whose stated steps are two or more consecutive numbers."""
    steps: dict[tuple[str, int | None], list[int]] = {}
    for c in units:
        number = step_number(c.unit)
        if number is not None:
            steps.setdefault((c.article_id, c.unit.group), []).append(number)
    return {
        key
        for key, numbers in steps.items()
        if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    }


def missing_note(selection: Selection) -> str:
    hits = selection.hits
    closest = f" The closest article is “{hits[0].title}” ({hits[0].score:.0%})." if hits else ""
    words = ", ".join(missing_words(selection)[:4])
    about = f" about “{words}”" if words else " for this question"
    return f"No article answers this{about}.{closest} Ask a clarifying question or escalate."


def missing_words(selection: Selection) -> list[str]:
    """The customer's own words (as written, not stemmed) that no candidate article mentions."""
    missing = set(selection.uncovered)
    out: list[str] = []
    for word in words(selection.question.text):
        if word not in STOPWORDS and STEMMER.stemWord(word) in missing and word not in out:
            out.append(word)
    return out


def first_name(name: str) -> str:
    """The first word of a person's name ("" for a blank one)."""
    parts = name.split()
    return parts[0] if parts else ""


def sign_off(agent_name: str | None) -> list[str]:
    return ["", "Best regards,", *([agent_name] if agent_name else []), TEAM]


def signed(text: str, agent_name: str) -> str:
    """A draft signed by the team alone, signed by `agent_name` too (the agent who opens or sends it)."""
    tail = f"Best regards,\n{TEAM}"
    if not agent_name or not text.endswith(tail):
        return text
    return f"{text[: -len(TEAM)]}{agent_name}\n{TEAM}"


def as_sent(text: str, *, agent_name: str, resolve: bool) -> str:
    """A draft as it goes out from this agent: signed with their name, and without "does this solve it?" when
    the same click resolves the ticket. Applied to the reply box's draft and to the draft a send is measured
    against, so an untouched draft still counts as sent as drafted."""
    text = signed(text, agent_name)
    if resolve:
        text = "\n".join(line for line in text.split("\n") if line.strip() != CLOSER)
    return text


def clarifying_question(question: Question) -> str:
    """Asks for what is missing, never for what the customer already gave (an error they quoted, what they
    were doing, what went wrong)."""
    key = question.key_words
    wanted = []
    if len(key) < DESCRIBED_WORDS and not question.how_to:
        wanted.append(ASK_GOAL)
    if len(key) < DESCRIBED_WORDS:
        wanted.append(ASK_RESULT)
    if not question.exact_phrases:
        wanted.append(ASK_ERROR)
    if not wanted:
        wanted.append(ASK_WHERE)
    listed = wanted[0] if len(wanted) == 1 else ", ".join(wanted[:-1]) + f" and {wanted[-1]}"
    return f"So that I can point you to the right fix, could you tell me {listed}?"


def clarifying_reply(
    customer_name: str, question: Question, opening: str = "Thanks for reaching out.", agent_name: str | None = None
) -> str:
    """A reply that asks for what is missing instead of guessing an answer."""
    first = first_name(customer_name) or "there"
    return "\n".join([f"Hi {first},", "", opening, "", clarifying_question(question), *sign_off(agent_name)])


class OfflineDrafter:
    def draft(
        self,
        *,
        customer_name: str,
        selection: Selection,
        plan: Plan,
        earlier_contacts: int,
        confidence: float,
        agent_name: str | None = None,
        past: PastReply | None = None,
    ) -> Draft:
        """`past`: the earlier reply whose body replaces the article units (`drafting.reuse` chose it)."""
        started = time.perf_counter()
        first = first_name(customer_name) or "there"
        greeting = [f"Hi {first},", ""]
        if plan.stance.abstains:
            asking = clarifying_reply(customer_name, selection.question, plan.opening, agent_name)
            return Draft(
                text=asking if plan.stance is Stance.CLARIFY else "",
                confidence=confidence,
                sources=(),
                mode=DraftMode.OFFLINE,
                model=MODEL_NAME,
                latency_ms=_ms(started),
                action=plan.stance,
                notes=(missing_note(selection),),
                clarifying=asking,
            )
        opening = [plan.opening] if plan.opening else []
        if earlier_contacts and plan.facts_allowed:
            opening.append("I can see you've contacted us about this before, so let's get it fully sorted this time.")
        units = answer_units(selection) if plan.facts_allowed and past is None else []
        body: list[str] = []
        sources: tuple[str, ...] = ()
        quoted: tuple[str, ...] = ()
        notes: tuple[str, ...] = ()
        reused = past if plan.facts_allowed else None
        asked: list[str] = []
        if reused is not None:
            asked = reused.closing_question
            body = ["", *reused.body[: len(reused.body) - len(asked)], *_citing(reused, selection)]
            sources = reused.article_ids
            notes = (reused_note(reused),)
        elif units:
            article = selection.articles[units[0].article_id]
            body = ["", *paragraphs(units), "", citation(article.title, article.url)]
            sources = (article.article_id,)
            quoted = tuple(c.unit.text for c in units)
        tail = [plan.follow_up] if plan.follow_up else []
        if asked:  # the team's own closing question stays last, a paragraph after who follows up
            tail.extend(["", *asked] if tail else asked)
        elif plan.closer:
            tail.append(plan.closer)
        lines = [*greeting, *opening, *body, *([""] if tail else []), *tail, *sign_off(agent_name)]
        return Draft(
            text="\n".join(line for n, line in enumerate(lines) if line or (n and lines[n - 1])),
            confidence=confidence,
            sources=sources,
            mode=DraftMode.OFFLINE,
            model=MODEL_NAME,
            latency_ms=_ms(started),
            action=plan.stance,
            quoted=quoted,
            reused_from=reused.ticket_id if reused is not None else None,
            notes=notes,
        )


def _citing(past: PastReply, selection: Selection) -> list[str]:
    """The citation of the article a past reply stands on, when the reply does not name it (it went out from a
    draft whose link the agent cut, or restates the article without a link): a draft states its source."""
    article = selection.articles.get(past.article_ids[0]) if past.article_ids else None
    text = "\n".join(past.body)
    if article is None or f'"{article.title}"' in text or (article.url and article.url in text):
        return []
    return ["", citation(article.title, article.url)]


def reused_note(past: PastReply) -> str:
    return (
        f"Built on the team's reply on ticket #{past.ticket_id} ({past.similarity:.0%} alike); "
        "check every [bracketed] placeholder."
    )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
