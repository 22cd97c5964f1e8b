"""Train the answer reader (assist/drafting/reader.py): which passage answers the customer's question.

Two stages, each a listwise ranking task (one question, its answer and seven passages that do not answer
it; the loss is the cross-entropy of the answer's place among the eight):

1. *Public relevance data* (`../shared/data/relevance`, never read by the product). DSTC9's customer-service
   FAQs: the negatives are the same hotel's or restaurant's other answers ("parking costs £10" against
   "parking must be booked"), so the network learns to read what is asked, not what it is about. MedQuAD:
   the negatives are the other sections of the same help page (symptoms against treatment). A third of
   the questions are dressed as tickets (a greeting, context around the question, a signature, typos), so
   the network reads the question inside the noise a real message carries.
2. *Our fit half* (tests/data/*_fit.jsonl): the gold sentence against the article's other sentences and the
   other retrieved articles' best ones, so "restates the symptom" ranks below "gives the fix". This stage adds
   a fixed "no passage answers" option (logit 0) to each group, and the fit halves' unanswerable tickets train
   it to win over their closest passages (as SQuAD 2.0 readers learn a null answer), so a score above 0 means
   "answers" whatever the other candidates are: the confidence needs that, a ranking alone cannot give it.

Held out and reported: DSTC9 entities and MedQuAD topics never trained on (precision at 1 among an
entity's or topic's own passages), against the packaged sentence encoder's cosine on the same sets.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Log = Callable[[str], None]
NEGATIVES = 7


@dataclass(frozen=True)
class Group:
    """A question, the passage that answers it (None: none does) and passages that do not."""

    question: str
    positive: str | None
    negatives: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Candidates:
    """A held-out question and every passage it must be told apart from; `answer` indexes the right one."""

    question: str
    passages: tuple[str, ...]
    answer: int
    source: str


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dstc9(path: Path, *, rng: random.Random, held_share: float = 0.15) -> tuple[list[Group], list[Candidates]]:
    """Training groups from most entities; the rest held out whole (their questions rank all their FAQs)."""
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in read_jsonl(path):
        by_entity[row["entity_id"]].append(row)
    entities = sorted(e for e, rows in by_entity.items() if len(rows) >= 4)
    rng.shuffle(entities)
    held = set(entities[: int(len(entities) * held_share)])
    every = [r for e in entities for r in by_entity[e]]

    def passage(row: dict[str, Any]) -> str:
        return f"{row['entity'].title()}: {row['answer']}"

    groups, checks = [], []
    for entity in entities:
        rows = by_entity[entity]
        for row in rows:
            siblings = [passage(r) for r in rows if r["faq_id"] != row["faq_id"] and r["answer"] != row["answer"]]
            if entity in held:
                passages = [passage(row), *siblings]
                checks.append(Candidates(row["question"], tuple(passages), 0, "dstc9"))
                continue
            rng.shuffle(siblings)
            far = [passage(r) for r in rng.sample(every, 4) if r["entity_id"] != entity]
            negatives = (siblings[: NEGATIVES - 2] + far)[:NEGATIVES]
            if len(negatives) == NEGATIVES:
                groups.append(Group(row["question"], passage(row), tuple(negatives), "dstc9"))
    return groups, checks


def medquad(
    path: Path, *, rng: random.Random, held_share: float = 0.1, words: int = 45
) -> tuple[list[Group], list[Candidates]]:
    """Sections of one topic's help pages (symptoms, treatment, outlook...) as siblings; whole topics held out."""
    by_focus: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in read_jsonl(path):
        if row["answer"].strip():
            by_focus[row["focus"]].append(row)
    foci = sorted(f for f, rows in by_focus.items() if len({r["qtype"] for r in rows}) >= 3)
    rng.shuffle(foci)
    held = set(foci[: int(len(foci) * held_share)])
    every = [r for f in foci for r in by_focus[f]]

    def passage(row: dict[str, Any]) -> str:
        return f"{row['focus']}: {' '.join(row['answer'].split()[:words])}"

    groups, checks = [], []
    for focus in foci:
        rows = by_focus[focus]
        for row in rows:
            siblings = [passage(r) for r in rows if r["qtype"] != row["qtype"]]
            if focus in held:
                checks.append(Candidates(row["question"], (passage(row), *siblings), 0, "medquad"))
                continue
            rng.shuffle(siblings)
            far = [passage(r) for r in rng.sample(every, 4) if r["focus"] != focus]
            negatives = (siblings[: NEGATIVES - 2] + far)[:NEGATIVES]
            if len(negatives) == NEGATIVES:
                groups.append(Group(row["question"], passage(row), tuple(negatives), "medquad"))
    return groups, checks


# Training-time dressing only: tickets wrap the question in pleasantries and context, and the network must
# read the question through them. (The product never matches these phrases; they only make examples.)
_GREETINGS = ("Hi,", "Hello team,", "Hi there!", "Good morning,", "Dear support,", "Hey,", "Hi Sam,", "")
_CONTEXT = (
    "I hope you're doing well.",
    "We've been customers for a couple of years now.",
    "Sorry if this was asked before.",
    "I looked around but couldn't find it.",
    "Quick question for you.",
    "My manager asked me to check this with you.",
    "This came up in our team meeting today.",
    "I'm writing on behalf of my colleague.",
    "",
)
_CLOSINGS = (
    "Thanks in advance!",
    "Thanks,\nAlex",
    "Best regards,\nMaria Lopez\nOperations Manager",
    "Cheers",
    "Kind regards,\nJ. Smith\nSent from my iPhone",
    "Thank you for your help.",
    "Regards,\nTom\n+44 20 7946 0000",
    "",
)


def dressed(question: str, rng: random.Random) -> str:
    """The question as a ticket might carry it: greeting, context, the question, a sign-off; sometimes typos."""
    text = question
    if rng.random() < 0.35:
        parts = [rng.choice(_GREETINGS), rng.choice(_CONTEXT), question, rng.choice(_CLOSINGS)]
        text = "\n".join(p for p in parts if p)
    if rng.random() < 0.15:
        text = text.lower()
    if rng.random() < 0.15:
        text = typos(text, rng)
    return text


def typos(text: str, rng: random.Random, *, rate: float = 0.06) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and rng.random() < rate:
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # two letters swapped
    return " ".join(words)


def train(
    network: Any,
    tokenizer: Any,
    groups: Sequence[Group],
    *,
    rng: random.Random,
    epochs: float = 1.0,
    batch_groups: int = 4,
    learning_rate: float = 3e-5,
    dress: bool = True,
    null_option: bool = False,
    log: Log = print,
) -> None:
    """Listwise training: each group's answer should outscore its negatives. With `null_option` a constant
    logit 0 joins every group as "no passage answers": the answer must score above it, and a group without an
    answer (NEGATIVES + 1 negatives) is right when every passage scores below it."""
    import torch

    from assist.drafting.reader import encode_pairs

    order = list(groups)
    steps = max(1, math.ceil(len(order) * epochs / batch_groups))
    optimiser = torch.optim.AdamW(network.parameters(), lr=learning_rate, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    network.train()
    started, seen, loss_sum = time.perf_counter(), 0, 0.0
    batches = _batches(order, batch_groups, steps, rng)
    for step, batch in enumerate(batches):
        questions, passages, targets = [], [], []
        for g in batch:
            q = dressed(g.question, rng) if dress else g.question
            group = (g.positive, *g.negatives) if g.positive is not None else g.negatives
            assert len(group) == 1 + NEGATIVES, "a group is one answer and its negatives, or NEGATIVES + 1 negatives"
            for p in group:
                questions.append(q)
                passages.append(p)
            targets.append(0 if g.positive is not None else 1 + NEGATIVES)
        tokens = encode_pairs(tokenizer, questions, passages)
        logits = network(**tokens).view(len(batch), 1 + NEGATIVES)
        if null_option:
            logits = torch.cat([logits, logits.new_zeros(len(batch), 1)], dim=1)
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor(targets, dtype=torch.long))
        optimiser.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        seen += len(questions)
        loss_sum += loss.item()
        if (step + 1) % 50 == 0 or step + 1 == steps:
            rate = seen / (time.perf_counter() - started)
            log(f"step {step + 1}/{steps} loss {loss_sum / 50:.4f} {rate:.0f} pairs/s")
            loss_sum = 0.0
    network.eval()


def _batches(groups: Sequence[Group], size: int, steps: int, rng: random.Random) -> list[list[Group]]:
    """`steps` batches of `size` groups, each from one source: FAQ pairs are short and help-page sections
    long, and a mixed batch pads every short pair to the longest one."""
    by_source: dict[str, list[Group]] = defaultdict(list)
    for g in groups:
        by_source[g.source].append(g)
    out: list[list[Group]] = []
    while len(out) < steps:
        epoch: list[list[Group]] = []
        for members in by_source.values():
            members = list(members)
            rng.shuffle(members)
            epoch.extend(members[i : i + size] for i in range(0, len(members), size))
        rng.shuffle(epoch)
        out.extend(epoch)
    return out[:steps]


def precision_at_1(score: Callable[[str, Sequence[str]], Sequence[float]], checks: Sequence[Candidates]) -> float:
    hits = 0
    for c in checks:
        values = list(score(c.question, c.passages))
        hits += max(range(len(values)), key=values.__getitem__) == c.answer
    return round(hits / len(checks), 4) if checks else 0.0


def network_scorer(network: Any, tokenizer: Any) -> Callable[[str, Sequence[str]], Sequence[float]]:
    import torch

    from assist.drafting.reader import encode_pairs

    def score(question: str, passages: Sequence[str]) -> Sequence[float]:
        with torch.inference_mode():
            return [float(v) for v in network(**encode_pairs(tokenizer, [question] * len(passages), passages))]

    return score


def cosine_scorer(embed: Callable[[list[str]], Any]) -> Callable[[str, Sequence[str]], Sequence[float]]:
    def score(question: str, passages: Sequence[str]) -> Sequence[float]:
        vectors = embed([question, *passages])
        return [float(v) for v in vectors[1:] @ vectors[0]]

    return score


def public_stage(
    relevance: Path,
    *,
    checkpoint: Path,
    seed: int = 13,
    dstc9_groups: int = 6000,
    medquad_groups: int = 2500,
    checks: int = 400,
    threads: int | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """Stage 1 on the public data; saves the full-precision state to `checkpoint` and returns the report."""
    import torch

    from assist.drafting.reader import fresh_network
    from assist.embeddings import Embedder

    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    d_groups, d_checks = dstc9(relevance / "dstc9_faq.jsonl", rng=rng)
    m_groups, m_checks = medquad(relevance / "medquad.jsonl", rng=rng)
    rng.shuffle(d_groups)
    rng.shuffle(m_groups)
    rng.shuffle(d_checks)
    rng.shuffle(m_checks)
    groups = d_groups[:dstc9_groups] + m_groups[:medquad_groups]
    held = {"dstc9": d_checks[:checks], "medquad": m_checks[:checks]}
    network, tokenizer = fresh_network()
    embedder = Embedder()
    report: dict[str, Any] = {
        "data": {"dstc9_groups": len(d_groups[:dstc9_groups]), "medquad_groups": len(m_groups[:medquad_groups])},
        "before": {k: precision_at_1(cosine_scorer(embedder.encode), v) for k, v in held.items()},
    }
    log(f"sentence-encoder cosine p@1 on held-out: {report['before']}")
    started = time.perf_counter()
    train(network, tokenizer, groups, rng=rng, log=log)
    report["minutes"] = round((time.perf_counter() - started) / 60, 1)
    report["after"] = {k: precision_at_1(network_scorer(network, tokenizer), v) for k, v in held.items()}
    log(f"reader p@1 on held-out: {report['after']}")
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    torch.save(network.state_dict(), checkpoint)
    return report


def ticket_groups(queries: Sequence[Path], kb_dir: Path, *, rng: random.Random) -> list[tuple[int, Group]]:
    """Stage 2 groups from labelled tickets: the question as the product reads it (assist/drafting/thread.py),
    each gold sentence against the candidate articles' other units, hardest first (the gold article's own
    sentences and the units the sentence encoder ranks highest). An unanswerable ticket's group is its
    NEGATIVES + 1 closest units, none of which answers."""
    from assist.dev.evaluation.drafts import load_labelled, open_ticket_for, temporary_assistant
    from assist.dev.training.confidence import is_gold_unit
    from assist.drafting.answers import passage
    from assist.pipeline import gather_evidence
    from assist.store.db import session_scope
    from assist.store.tickets import ticket_detail

    rows = [row for path in queries for row in load_labelled(path)]
    groups = []
    with temporary_assistant(kb_dir) as assistant:
        for n, row in enumerate(rows):  # n: the line's place in the fit halves, as `fit` numbers them
            if row.gold is not None and not row.answer:
                continue  # answerable, but no gold sentence to rank first
            ticket_id = open_ticket_for(assistant, row, n)
            with session_scope(assistant.engine) as session:
                ticket = ticket_detail(session, ticket_id=ticket_id)
            evidence = gather_evidence(assistant, ticket)
            selection = evidence.selection
            if row.gold is None:
                closest = sorted(selection.candidates, key=lambda c: -c.features[0])
                texts = list(dict.fromkeys(passage(selection.articles[c.article_id], c.unit) for c in closest))
                if len(texts) > NEGATIVES:
                    groups.append((n, Group(evidence.thread.question, None, tuple(texts[: 1 + NEGATIVES]), "tickets")))
                continue
            gold = [c for c in selection.candidates if is_gold_unit(c, row)]
            others = [c for c in selection.candidates if not is_gold_unit(c, row)]
            if not gold or len(others) < NEGATIVES:
                continue
            same = [c for c in others if c.article_id == row.gold]
            near = sorted((c for c in others if c.article_id != row.gold), key=lambda c: -c.features[0])
            rng.shuffle(same)
            pool = list(dict.fromkeys([*same[:4], *near[:8], *others]))
            for g in gold:
                chosen = pool[:NEGATIVES]
                group = Group(
                    evidence.thread.question,
                    passage(selection.articles[g.article_id], g.unit),
                    tuple(passage(selection.articles[c.article_id], c.unit) for c in chosen),
                    "tickets",
                )
                groups.append((n, group))
    return groups


def ticket_stage(
    groups: Sequence[Group],
    *,
    start: Path,
    checkpoint: Path,
    seed: int = 13,
    epochs: float = 3.0,
    threads: int | None = None,
    log: Log = print,
) -> None:
    """Stage 2: continue from the public stage on the fit halves' tickets (never dressed: they are tickets)."""
    import torch

    from assist.drafting.reader import fresh_network

    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    network, tokenizer = fresh_network()
    network.load_state_dict(torch.load(start))
    train(
        network,
        tokenizer,
        groups,
        rng=random.Random(seed),
        epochs=epochs,
        learning_rate=2e-5,
        dress=False,
        null_option=True,
        log=log,
    )
    torch.save(network.state_dict(), checkpoint)


FOLDS = 2


def train_answers(
    relevance: Path,
    *,
    work: Path,
    out: Path,
    queries: Sequence[Path],
    kb_dir: Path,
    threads: int | None = None,
    tickets: bool = True,
    log: Log = print,
) -> dict[str, Any]:
    """Both stages, then the answer selector and the confidence model refitted over the new reader's scores.

    The refit must not see the reader's scores on lines it trained on (they are better than on new tickets, and
    the confidence would learn to trust them too much): each fit line is scored by a reader trained on the
    other fold (cross-fitting); the shipped reader is trained on both folds."""
    from assist.dev.training.confidence import fit
    from assist.drafting.reader import AnswerReader

    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(13)
    report: dict[str, Any] = {"command": "python -m assist train answers"}
    public = work / "public.pt"
    if public.exists():
        log(f"public stage: reusing {public}")
    else:
        report["public"] = public_stage(relevance, checkpoint=public, threads=threads, log=log)
    if not tickets:
        save_reader(public, out, report=report)
        report["refit"] = fit(queries=tuple(queries))
        return report
    cached = work / "ticket_groups.json"
    if cached.exists():  # the candidates depend on the articles and the fit halves, not on the reader
        stored = json.loads(cached.read_text(encoding="utf-8"))
        groups = [(n, Group(g["question"], g["positive"], tuple(g["negatives"]), g["source"])) for n, g in stored]
    else:
        groups = ticket_groups(queries, kb_dir, rng=rng)
        cached.write_text(json.dumps([(n, g.__dict__) for n, g in groups]), encoding="utf-8")
    report["tickets"] = {"groups": len(groups), "folds": FOLDS}
    readers = []
    for k in range(FOLDS):
        state = work / f"fold{k}.pt"
        ticket_stage([g for n, g in groups if n % FOLDS != k], start=public, checkpoint=state, threads=threads, log=log)
        save_reader(state, work / f"fold{k}", report={"fold": k})
        readers.append(AnswerReader(work / f"fold{k}"))
    final = work / "tickets.pt"
    ticket_stage([g for _, g in groups], start=public, checkpoint=final, threads=threads, log=log)
    size = save_reader(final, out, report=report)
    report["refit"] = fit(queries=tuple(queries), reader_for=lambda n: readers[n % FOLDS])
    report["bytes"] = size
    save_reader(final, out, report=report)
    return report


def save_reader(state_path: Path, target: Path, *, report: dict[str, Any]) -> int:
    """The trained network in 8 bits (assist/quantised.py) with its config and training report; returns bytes."""
    import torch
    from safetensors.torch import save_file

    from assist.drafting.reader import CONFIG, WEIGHTS
    from assist.quantised import quantise

    target.mkdir(parents=True, exist_ok=True)
    save_file(quantise(torch.load(state_path)), str(target / WEIGHTS))
    config = {"base": "all-MiniLM-L6-v2", "max_tokens": 128, "trained": "python -m assist train answers"}
    (target / CONFIG).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    (target / "training_report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return (target / WEIGHTS).stat().st_size
