"""The team's history for `eval drafts --history F.jsonl`, and the history split of a labelled set.

Each history line `{"id": ..., "query": ..., "thread": optional, "article": id or null, "reply": ..., "label":
optional}` becomes a resolved ticket of its own customer before any query is drafted: an agent sends `reply`
(greeted, citing `article` as the product's citation line does, signed) through the product's own send, which
indexes it for the similar tickets as every send does, and resolves the ticket.

The history split (`python -m assist eval split-history`) turns one labelled file into a history and the
queries drafted after it: of each article's answerable lines, in file order, every other one is resolved first
with its gold answer as the reply; the rest, and every line no article answers, are the queries. Each line's
label is its gold answer, so `reuse_label_at_1` says whether a reused reply answered the same thing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assist.config import Settings
from assist.dev.evaluation.drafts import LabelledDraft, open_ticket_for, read_lines, read_thread_lines
from assist.domain import AuthorRole, Role, User
from assist.drafting.links import citation
from assist.errors import ValidationError
from assist.pipeline import Assistant
from assist.store.db import session_scope
from assist.store.tickets import ticket_detail
from assist.ticket_actions import send_reply
from assist.users import OPERATOR, create_user

AGENT_PASSWORD = "history-agent-password"  # a scratch workspace's only agent; the workspace is deleted after


@dataclass(frozen=True)
class HistoryLine:
    id: str
    query: str
    reply: str
    article: str | None = None
    thread: tuple[tuple[AuthorRole, str], ...] = ()
    label: str | None = None


def load_history(path: Path) -> list[HistoryLine]:
    return read_lines(path, '{"query": ..., "reply": ...}', _history_line)


def _history_line(data: dict[str, Any], n: int) -> HistoryLine:
    article = data.get("article")
    return HistoryLine(
        id=str(data.get("id", n)),
        query=str(data["query"]),
        reply=str(data["reply"]),
        article=None if article is None else str(article),
        thread=read_thread_lines(data),
        label=data.get("label"),
    )


def seed_history(assistant: Assistant, lines: list[HistoryLine], *, settings: Settings) -> dict[int, HistoryLine]:
    """Each line as a resolved ticket whose agent sent its reply (through the product's send, which indexes
    it). Returns the tickets made, by id."""
    agent = _agent(assistant)
    articles = {a.id: a for a in assistant.knowledge_base.list_articles()}
    made: dict[int, HistoryLine] = {}
    for n, line in enumerate(lines):
        row = LabelledDraft(line.query, line.article, line.reply, line.thread)
        ticket_id = open_ticket_for(assistant, row, n, name="Alex Morgan", key="history")
        text = f"Hi Alex,\n\n{line.reply.strip()}"
        if line.article is not None:
            if line.article not in articles:
                raise ValidationError(f"History line {line.id} links {line.article!r}, which no article has.")
            text += "\n\n" + citation(articles[line.article].title, articles[line.article].url)
        with session_scope(assistant.engine) as session:
            version = ticket_detail(session, ticket_id=ticket_id).version
        send_reply(
            assistant.engine,
            ticket_id=ticket_id,
            expected_version=version,
            text=f"{text}\n\nBest regards,\nRiley, Lumen Support",
            draft_id=None,
            actor=agent,
            resolve=True,
            settings=settings,
            similar=assistant.similar,
        )
        made[ticket_id] = line
    return made


def _agent(assistant: Assistant) -> User:
    return create_user(
        assistant.engine,
        email="history-agent@eval.example",
        name="Riley",
        role=Role.AGENT,
        password=AGENT_PASSWORD,
        actor=OPERATOR,
    )


def split_history(lines: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(history, queries) of one labelled file's lines (see the module's docstring)."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for n, line in enumerate(lines):
        if line.get("gold") is not None and line.get("answer"):
            by_article[str(line["gold"])].append(n)
    first = {n for members in by_article.values() for n in members[::2]}
    history, queries = [], []
    for n, line in enumerate(lines):
        if n in first:
            history.append(
                {
                    "id": f"h{n}",
                    "query": line["query"],
                    "thread": line.get("thread", []),
                    "article": line["gold"],
                    "reply": line["answer"],
                    "label": line["answer"],
                }
            )
        else:
            queries.append({**line, **({"label": line["answer"]} if line.get("answer") else {})})
    return history, queries


def write_split(source: Path, history: Path, queries: Path) -> tuple[int, int]:
    lines = [json.loads(t) for t in source.read_text(encoding="utf-8").splitlines() if t.strip()]
    past, asked = split_history(lines)
    for path, rows in ((history, past), (queries, asked)):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(past), len(asked)
