"""`python -m assist ...`: thin commands over the core. Core errors become friendly messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click
from sqlalchemy import Engine

from assist.config import get_settings
from assist.domain import IngestReport, Role, SearchMode, User
from assist.errors import AssistError

if TYPE_CHECKING:
    from datetime import datetime

    from assist.kb import KnowledgeBase

P = ParamSpec("P")
R = TypeVar("R")
INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)  # a file a command reads


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn an AssistError into a one-line message and exit status 1 instead of a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AssistError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


def _knowledge_base(*, repair_index: bool = False) -> KnowledgeBase:
    from assist.factories import build_embedder, build_engine, build_knowledge_base

    click.echo("Opening the knowledge base…", err=True)  # the encoder loads only when something needs embedding
    settings = get_settings()
    return build_knowledge_base(
        settings, engine=build_engine(settings), embedder=build_embedder(settings), repair_index=repair_index
    )


class _ProgressBar:
    """Adapts the core's progress callback to a terminal progress bar counting `unit`s."""

    def __init__(self, *, unit: str, desc: str) -> None:
        self._bar: Any = None
        self.unit, self.desc = unit, desc

    def __call__(self, done: int, total: int, message: str) -> None:
        from tqdm import tqdm

        if self._bar is not None and (total != self._bar.total or done < self._bar.n):  # the next stage
            self.close()
        if self._bar is None and total:
            self._bar = tqdm(total=total, unit=f" {self.unit}", desc=self.desc)
        if self._bar is not None:
            self._bar.n = done
            self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _print_report(report: IngestReport) -> None:
    click.echo(
        f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"removed {len(report.removed)}, failed {len(report.failed)}; {report.chunks_embedded} passages embedded"
    )
    for failure in report.failed:
        click.echo(f"  failed: {failure.error}", err=True)


def _finish(report: IngestReport) -> None:
    """Say what an ingest did; exit 1 when a file failed (scripts and CI see it)."""
    _print_report(report)
    if report.failed:
        raise SystemExit(1)


def _operator(name: str) -> User:
    """Whoever runs the command line has shell access to the server: an admin, recorded under `name`."""
    from assist.users import OPERATOR

    return OPERATOR.model_copy(update={"email": name})


def _engine(url: str | None) -> Engine:
    from assist.store import make_engine, upgrade

    engine = make_engine(url or get_settings().database_url)
    upgrade(engine)
    return engine


@click.group()
@friendly_errors
def main() -> None:
    """Assist Console: agent-assist workspace for customer support teams."""
    get_settings()  # every command refuses invalid settings at start, as the app and `ui.serve` do


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--url", help="Database URL (default: DATABASE_URL).")
@friendly_errors
def db_upgrade(url: str | None) -> None:
    """Create the schema or upgrade it to the latest version, keeping data."""
    engine = _engine(url)
    click.echo(f"Schema is up to date at {engine.url.render_as_string(hide_password=True)}")


@db.command("copy")
@click.option("--to", "to_url", required=True, help="An empty database to move the workspace to (postgresql://...).")
@click.option("--url", help="The workspace's database (default: DATABASE_URL).")
@click.option("--force", is_flag=True, help="Replace whatever the target holds (it is emptied first).")
@friendly_errors
def db_copy(to_url: str, url: str | None, force: bool) -> None:
    """Copy the whole workspace into another, empty database (SQLite to PostgreSQL), ids kept, every table
    verified by count and checksum; run it again to resume an interrupted copy. Stop the app first, then point
    DATABASE_URL at the new one."""
    from assist.store import make_engine
    from assist.store.copy import TableCopy, copy_workspace

    def said(table: str, copy: TableCopy) -> None:
        click.echo(f"  {table}: {copy.rows:,} rows{' (already there)' if copy.kept else ''}", err=True)

    target = make_engine(to_url)
    copied = copy_workspace(make_engine(url or get_settings().database_url), target, force=force, progress=said)
    click.echo(
        f"Copied {sum(c.rows for c in copied.values()):,} rows in {len(copied)} tables (checksums match) to "
        f"{target.url.render_as_string(hide_password=True)}. Set DATABASE_URL to it and start the app; the vectors "
        "stay where CHROMA_PATH or CHROMA_HOST says (`kb reindex` and `similar reindex` rebuild them)."
    )


@main.command("seed-demo")
@click.option("--url", help="Database URL (default: DATABASE_URL).")
@click.option("--reset", is_flag=True, help="Delete everything in the database first.")
@click.option("--seed", default=7, show_default=True, help="Random seed; the same seed gives the same workspace.")
@friendly_errors
def seed_demo(url: str | None, reset: bool, seed: int) -> None:
    """Create the demo workspace (skipped when the database already holds tickets)."""
    from assist.demo import seed_demo as seed_workspace

    if not get_settings().demo_mode:
        raise click.ClickException(
            "DEMO_MODE is off: the demo workspace (and its known demo passwords) is refused. "
            "Create real users with `python -m assist users add`."
        )
    if reset:
        click.confirm("This deletes every ticket, customer and user in the database. Continue?", abort=True)
    summary = seed_workspace(_engine(url), seed=seed, reset=reset)
    verb = "Created" if summary.created else "Already present (use --reset to recreate):"
    click.echo(
        f"{verb} demo workspace: {summary.customers} customers, {summary.tickets} tickets, {summary.users} users"
    )
    if get_settings().demo_mode:
        from assist.demo import DEMO_PASSWORDS
        from assist.demo.people import AGENTS

        click.echo("Demo sign-ins (demo mode only):")
        for email, _name, role in AGENTS:
            click.echo(f"  {email:28} {role:6} {DEMO_PASSWORDS[role]}")


@main.command("bench")
@click.argument("names", nargs=-1)
@click.option("--tickets", type=int, help="Workspace size for inbox-style benchmarks.")
@click.option("--database", help="An empty database to fill (inbox, metrics); default: a temporary SQLite file.")
@click.option("--days", type=int, help="The dashboard window for `metrics` (default 90; the year is timed too).")
@friendly_errors
def bench(names: tuple[str, ...], tickets: int | None, database: str | None, days: int | None) -> None:
    """Run benchmarks and print one JSON object per line. With no NAME: all of them, also written to
    reports/bench.json and reports/bench.md."""
    from assist.dev.bench import BENCHMARKS
    from assist.dev.reports import write

    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        raise click.BadParameter(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    rows = []
    for name in names or tuple(BENCHMARKS):
        given = {"tickets": tickets, "database": database, "days": days}
        options: dict[str, Any] = {k: v for k, v in given.items() if v}
        row = {"bench": name, **BENCHMARKS[name](**options)}
        rows.append(row)
        click.echo(json.dumps(row))
    if not names:
        json_path, md_path = write("bench", "Benchmarks (`python -m assist bench`)", rows)
        click.echo(f"wrote {json_path} and {md_path}", err=True)


@main.group()
def users() -> None:
    """Local users."""


@users.command("add")
@click.option("--email", required=True)
@click.option("--name", default="", help="Display name (default: the email).")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.password_option(help="At least 12 characters; asked for when omitted.")
@friendly_errors
def users_add(email: str, name: str, role: str, password: str) -> None:
    """Create a user (for example the first admin)."""
    from assist.factories import build_engine
    from assist.users import create_user

    user = create_user(
        build_engine(get_settings()),
        email=email,
        name=name or email,
        role=Role(role),
        password=password,
        actor=_operator("cli"),
    )
    click.echo(f"Created {user.email} ({user.role.value})")


@main.group()
def kb() -> None:
    """Knowledge base: ingest, search, list, delete, re-index."""


@kb.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--sync", is_flag=True, help="Also delete the source's articles that are not among PATHS.")
@click.option(
    "--source", default="files", show_default=True, help="The knowledge source they belong to; a sync touches no other."
)
@click.option("--actor", default="cli", show_default=True, help="Who is recorded in the audit log.")
@friendly_errors
def kb_ingest(paths: tuple[Path, ...], sync: bool, source: str, actor: str) -> None:
    """Ingest files or folders (md, txt, html, pdf). Unchanged articles are skipped."""
    with _ProgressBar(unit="passage", desc="Embedding passages") as bar:
        report = _knowledge_base().ingest_paths(
            list(paths), actor=_operator(actor), remove_missing=sync, progress=bar, source=source
        )
    _finish(report)


@kb.command("search")
@click.argument("text")
@click.option("--category", help="Only articles of this category.")
@click.option("--product", help="Only articles of this product (and 'all').")
@click.option("--k", default=5, show_default=True, help="How many articles.")
@click.option("--mode", type=click.Choice([m.value for m in SearchMode]), default="hybrid", show_default=True)
@friendly_errors
def kb_search(text: str, category: str | None, product: str | None, k: int, mode: str) -> None:
    """Search the knowledge base and show articles with their best passages."""
    hits = _knowledge_base().search(text, k=k, category=category, product=product, mode=SearchMode(mode))
    if not hits:
        click.echo("No matching articles.")
    for n, hit in enumerate(hits, start=1):
        click.echo(f"{n}. [{hit.score:.2f}] {hit.title} ({hit.article_id}, {hit.category})")
        for passage in hit.passages:
            click.echo(f"     {passage.heading or hit.title}: {passage.text[:160].replace(chr(10), ' ')}")


@kb.command("list")
@friendly_errors
def kb_list() -> None:
    """List ingested articles with chunk counts."""
    articles = _knowledge_base().list_articles()
    for a in articles:
        click.echo(f"{a.id:32} {a.category:10} {a.chunk_count:3} chunks  updated {a.updated}  {a.title}")
    click.echo(f"{len(articles)} articles")


def _sync(kb: KnowledgeBase, name: str, actor: str) -> IngestReport:
    """Sync one configured source with a progress bar and say what it did."""
    from assist.kb.sources import sync_source

    with _ProgressBar(unit="step", desc=f"Syncing {name}") as bar:
        synced = sync_source(kb, name, actor=_operator(actor), progress=bar)
    if synced.version:
        click.echo(f"{name}: at {synced.version}")
    _print_report(synced.report)
    return synced.report


def _add_and_sync(name: str, kind: str, location: str, actor: str, branch: str | None = None) -> None:
    from assist.kb.sources import add_source

    kb = _knowledge_base()
    add_source(kb, name=name, kind=kind, location=location, branch=branch, actor=_operator(actor))
    if _sync(kb, name, actor).failed:
        raise SystemExit(1)


@kb.command("pull")
@click.argument("repository")
@click.option("--source", required=True, help="The knowledge source's name (its articles, and only they, are synced).")
@click.option("--branch", help="The branch to follow (default: the repository's default branch).")
@click.option("--actor", default="cli", show_default=True, help="Who is recorded in the audit log.")
@friendly_errors
def kb_pull(repository: str, source: str, branch: str | None, actor: str) -> None:
    """Configure a knowledge source kept in a Git repository of docs and sync it: clone or pull it (next to
    CHROMA_PATH, in sources/), ingest its files, and remove the articles of files deleted there. The same as
    `kb sources add SOURCE git REPOSITORY` then `kb sync SOURCE`."""
    _add_and_sync(source, "git", repository, actor, branch)


@kb.command("crawl")
@click.argument("sitemap")
@click.option("--source", required=True, help="The knowledge source's name (its articles, and only they, are synced).")
@click.option("--actor", default="cli", show_default=True, help="Who is recorded in the audit log.")
@friendly_errors
def kb_crawl(sitemap: str, source: str, actor: str) -> None:
    """Configure a knowledge source that is a website, by its sitemap, and sync it: fetch every page it lists
    (main content and headings, no navigation), ingest them, and remove the articles of pages it no longer
    lists. The same as `kb sources add SOURCE sitemap SITEMAP` then `kb sync SOURCE`."""
    _add_and_sync(source, "sitemap", sitemap, actor)


@kb.group("sources", invoke_without_command=True)
@click.pass_context
@friendly_errors
def kb_sources(context: click.Context) -> None:
    """The knowledge sources: what each syncs from, its articles and passages, its last sync and its last error.
    `kb sources add` and `kb sources remove` configure them; `kb sync NAME` syncs one."""
    if context.invoked_subcommand is not None:
        return
    sources = _knowledge_base().sources()
    if not sources:
        click.echo("No knowledge sources yet: `kb ingest PATH`, or `kb sources add NAME KIND LOCATION`.")
    for s in sources:
        where = f"{s.kind} {s.location}" + (f" ({s.branch})" if s.branch else "") if s.configured else "by hand"
        click.echo(f"{s.name:24} {s.articles:4} articles {s.passages:5} passages  {where}")
        if s.configured:
            synced = f"{s.last_sync_at:%Y-%m-%d %H:%M}: {s.last_outcome or '-'}" if s.last_sync_at else "never"
            click.echo(f"{'':24} last sync {synced}")
        if s.last_error:
            click.echo(f"{'':24} last error: {s.last_error}")


@kb_sources.command("add")
@click.argument("name")
@click.argument("kind")
@click.argument("location")
@click.option("--branch", help="A Git source's branch (default: the repository's default branch).")
@click.option("--actor", default="cli", show_default=True, help="Who is recorded in the audit log.")
@friendly_errors
def kb_sources_add(name: str, kind: str, location: str, branch: str | None, actor: str) -> None:
    """Configure the knowledge source NAME of KIND folder (a folder on this machine), git (a repository's path or
    address) or sitemap (a website's sitemap address). Nothing is fetched until `kb sync NAME`. An existing NAME
    is pointed at LOCATION."""
    from assist.kb.sources import add_source

    source = add_source(
        _knowledge_base(), name=name, kind=kind, location=location, branch=branch, actor=_operator(actor)
    )
    click.echo(f"{source.name}: {source.kind} {source.location}. Sync it with `python -m assist kb sync {name}`.")


@kb_sources.command("remove")
@click.argument("name")
@click.option("--actor", default="cli", show_default=True, help="Who is recorded in the audit log.")
@friendly_errors
def kb_sources_remove(name: str, actor: str) -> None:
    """Forget NAME's configuration; its articles stay searchable (delete them with `kb delete`)."""
    from assist.kb.sources import remove_source

    remove_source(_knowledge_base(), name, actor=_operator(actor))
    click.echo(f"{name} is no longer synced; its articles stay until you delete them.")


@kb.command("sync")
@click.argument("names", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Sync every configured source, one after the other.")
@click.option("--actor", default="cli", show_default=True, help="Who is recorded in the audit log.")
@friendly_errors
def kb_sync(names: tuple[str, ...], every: bool, actor: str) -> None:
    """Sync configured knowledge sources by name (or --all): each brings in what changed and removes its own
    articles that are gone; a source that fails is recorded (`kb sources` shows it) and the next still runs."""
    if not names and not every:
        raise click.UsageError("Name the sources to sync, or --all (`kb sources` lists them).")
    kb = _knowledge_base()
    if every:
        names = tuple(s.name for s in kb.sources() if s.configured)
    from assist.kb.sources import failure

    failed = False
    for name in names:
        try:
            failed |= bool(_sync(kb, name, actor).failed)
        except Exception as e:  # recorded on the source, a defect included; the next one still runs
            click.echo(f"{name}: {failure(e)}", err=True)
            failed = True
    if failed:
        raise SystemExit(1)


@kb.command("status")
@friendly_errors
def kb_status() -> None:
    """Compare the vector index with the stored passages, and a sample of its vectors with fresh embeddings of
    their passages (exit 1 when they differ)."""
    status = _knowledge_base().index_status()
    click.echo(json.dumps(status.model_dump() | {"healthy": status.healthy}))
    if status.problem:
        raise click.ClickException(status.problem)


@kb.command("delete")
@click.argument("article_id")
@click.option("--actor", default="cli", show_default=True)
@friendly_errors
def kb_delete(article_id: str, actor: str) -> None:
    """Delete one article and its passages."""
    _knowledge_base().delete(article_id, actor=_operator(actor))
    click.echo(f"Deleted {article_id}")


@kb.command("reindex")
@click.option("--actor", default="cli", show_default=True)
@friendly_errors
def kb_reindex(actor: str) -> None:
    """Re-chunk and re-embed every article from its stored text (a damaged embedded index is set aside)."""
    with _ProgressBar(unit="passage", desc="Embedding passages") as bar:
        report = _knowledge_base(repair_index=True).reindex(actor=_operator(actor), progress=bar)
    _print_report(report)


@main.group()
def similar() -> None:
    """Similar resolved tickets: the index of the team's sent replies."""


@similar.command("reindex")
@friendly_errors
def similar_reindex() -> None:
    """Embed every sent reply's question again (a damaged embedded store is set aside); sends keep it current."""
    from assist.factories import build_embedder, build_engine, build_similar_index
    from assist.similar import catch_up_similar

    settings = get_settings()
    index = build_similar_index(settings, embedder=build_embedder(settings), repair_index=True)
    click.echo(f"Indexed {catch_up_similar(build_engine(settings), index, rebuild=True)} sent replies")


@main.group("eval")
def evaluate() -> None:
    """Quality evaluations; each prints JSON lines."""


@evaluate.command("retrieval")
@click.option("--kb", "kb_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--queries", required=True, type=INPUT_FILE)
@click.option("--mode", type=click.Choice([*(m.value for m in SearchMode), "all"]), default="hybrid", show_default=True)
@click.option("--k", default=10, show_default=True)
@friendly_errors
def eval_retrieval(kb_dir: Path, queries: Path, mode: str, k: int) -> None:
    """Ingest KB_DIR into a fresh temporary index and score labelled questions."""
    from assist.dev.evaluation.retrieval import evaluate as run

    modes = list(SearchMode) if mode == "all" else [SearchMode(mode)]
    for result in run(kb_dir=kb_dir, queries_file=queries, modes=modes, k=k):
        click.echo(json.dumps({"eval": "retrieval", **result}))


@evaluate.command("drafts")
@click.option("--kb", "kb_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--queries", required=True, type=INPUT_FILE)
@click.option("--mode", type=click.Choice(["offline", "llm"]), default="offline", show_default=True)
@click.option(
    "--from-db",
    is_flag=True,
    help="Score the drafts stored in this workspace (DATABASE_URL) for the tickets the file names by "
    '"ticket" (external id), instead of drafting each line over a fresh index.',
)
@click.option(
    "--history",
    type=INPUT_FILE,
    help="Resolve these tickets first, each with the reply the team sent (JSON lines: query, reply, article, "
    "thread, label), so drafts can be built on past replies.",
)
@click.option(
    "--regenerate",
    is_flag=True,
    help="Also draft every alternative Regenerate offers after each draft, and report how honest their figure is.",
)
@friendly_errors
def eval_drafts(
    kb_dir: Path | None, queries: Path, mode: str, from_db: bool, history: Path | None, regenerate: bool
) -> None:
    """Draft every labelled question as a ticket over a fresh index of KB_DIR (or score the workspace's stored
    drafts with --from-db); print grounding, answer recall, abstention, stance and confidence calibration as one
    JSON line."""
    from assist.dev.evaluation.drafts import evaluate as run
    from assist.dev.evaluation.drafts import evaluate_stored
    from assist.errors import ValidationError
    from assist.factories import build_engine

    if from_db and (history is not None or regenerate):
        raise ValidationError(
            "--history and --regenerate draft over a fresh index; --from-db scores stored drafts: give one."
        )
    if from_db:
        report = evaluate_stored(build_engine(get_settings()), queries)
    elif kb_dir is None:
        raise ValidationError("Give --kb DIR (the articles to index), or --from-db to score a workspace's drafts.")
    else:
        report = run(kb_dir, queries, mode=mode, history=history, regenerate=regenerate)
    click.echo(json.dumps({"eval": "drafts", "data": queries.name, **report}))


@evaluate.command("split-history")
@click.option("--queries", "source", required=True, type=INPUT_FILE)
@click.option("--history-out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--queries-out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def eval_split_history(source: Path, history_out: Path, queries_out: Path) -> None:
    """Split a labelled file into a history (every other answerable line of each article, resolved first with
    its gold answer as the reply) and the queries drafted after it, for `eval drafts --history`."""
    from assist.dev.evaluation.history import write_split

    past, asked = write_split(source, history_out, queries_out)
    click.echo(json.dumps({"history": past, "queries": asked}))


@evaluate.command("same-question")
@click.option("--data", required=True, type=INPUT_FILE, help="text,label CSV of customer questions by intent.")
@friendly_errors
def eval_same_question(data: Path) -> None:
    """How often a question's nearest other question has its label, by cosine: the evidence for the similarity
    from which an earlier ticket counts as the same question asked again (drafting.reuse.SAME_QUESTION)."""
    from assist.dev.evaluation.same_question import evaluate as run
    from assist.factories import build_embedder

    click.echo(json.dumps({"eval": "same-question", "data": data.name, **run(data, build_embedder(get_settings()))}))


@evaluate.command("replay")
@click.option("--from-db", is_flag=True, required=True, help="Replay this workspace's history (DATABASE_URL).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only tickets created on or after DATE.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the newest N resolved tickets.")
@friendly_errors
def eval_replay(from_db: bool, since: datetime | None, limit: int | None) -> None:
    """Recompute each resolved ticket's assistance as it was at the agent's first reply, on a copy of the
    workspace, and score it against what the agent sent; print one JSON line."""
    from assist.dev.evaluation.replay import replay
    from assist.factories import build_engine

    report = replay(build_engine(get_settings()), since=since.date() if since else None, limit=limit)
    click.echo(json.dumps({"eval": "replay", **report}))


@evaluate.command("topics")
@friendly_errors
def eval_topics() -> None:
    """How "the same issue" separates tickets asking the same question (same intent label) from the rest, on
    this workspace (DATABASE_URL; the demo workspace labels each ticket with its question)."""
    from assist.dev.evaluation.topics import evaluate as run
    from assist.factories import build_embedder, build_engine

    settings = get_settings()
    click.echo(json.dumps({"eval": "topics", **run(build_engine(settings), build_embedder(settings))}))


@evaluate.command("sentiment")
@click.option("--data", required=True, type=INPUT_FILE)
@click.option("--baseline", type=click.Choice(["vader"]), help="Also score a lexicon baseline on the same data.")
@click.option(
    "--positive",
    help="Read the file as LABEL vs the rest (any labels) and rank by P(negative or complaint): auroc, "
    "average_precision, best f1.",
)
@friendly_errors
def eval_sentiment(data: Path, baseline: str | None, positive: str | None) -> None:
    """Score the sentiment model on a text,label CSV (3-class or binary, or LABEL vs the rest with --positive), or on
    a text,tone,frustration CSV (both readings: per-class recall, ECE, frustration AUROC)."""
    from assist.dev.evaluation.sentiment import evaluate as run
    from assist.factories import build_sentiment_model

    result = run(data=data, model=build_sentiment_model(get_settings()), baseline=baseline, positive=positive)
    click.echo(json.dumps({"eval": "sentiment", **result}))


@main.group()
def train() -> None:
    """Train the models the product ships (scripts, not tests)."""


@train.command("sentiment")
@click.option(
    "--data",
    "data",
    multiple=True,
    required=True,
    type=INPUT_FILE,
    help="text,label CSV; repeat for several files. Part of each is held out.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("assist/sentiment/model"),
    show_default=True,
    help="Where the artifact goes (the shipped model by default).",
)
@click.option(
    "--holdout-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/eval"),
    show_default=True,
    help="Where the held-out rows are written for `eval sentiment`.",
)
@click.option(
    "--banking77",
    type=INPUT_FILE,
    help="BANKING77 text,label CSV: complaint labels for the complaint head, derived from its intents.",
)
@click.option("--goemotions", type=INPUT_FILE, help="GoEmotions text,sentiment,emotions CSV (tone, frustration).")
@click.option(
    "--support",
    type=INPUT_FILE,
    multiple=True,
    help="text,tone,frustration CSV to learn from (a quarter is dev); repeatable.",
)
@click.option("--support-check", type=INPUT_FILE, help="The same kind of CSV, only scored in the report.")
@click.option("--epochs", default=2, show_default=True)
@click.option("--learning-rate", default=5e-5, show_default=True)
@click.option("--seed", default=13, show_default=True)
@click.option("--threads", type=int, help="torch CPU threads.")
@click.option(
    "--calibrate-only",
    is_flag=True,
    help="Keep the network in --out and refit only its calibration on the same dev rows (a few minutes).",
)
@friendly_errors
def train_sentiment(
    data: tuple[Path, ...],
    out: Path,
    holdout_dir: Path,
    banking77: Path | None,
    goemotions: Path | None,
    support: tuple[Path, ...],
    support_check: Path | None,
    epochs: int,
    learning_rate: float,
    seed: int,
    threads: int | None,
    calibrate_only: bool,
) -> None:
    """Fine-tune the whole packaged MiniLM into the tone + complaint + frustration network (about 25 min per epoch
    on 2 cores with every source)."""
    from assist.dev.training.sentiment import TrainingOptions, recalibrate
    from assist.dev.training.sentiment import train as run

    options = TrainingOptions(
        data=data,
        out=out,
        holdout_dir=holdout_dir,
        banking77=banking77,
        goemotions=goemotions,
        support=support,
        support_check=support_check,
        epochs=epochs,
        learning_rate=learning_rate,
        seed=seed,
        threads=threads,
    )
    report = (recalibrate if calibrate_only else run)(options, log=click.echo)
    click.echo(json.dumps({"train": "sentiment", "check": report["check"], "out": str(out)}))


@train.command("triage")
@click.option("--from-db", "from_db", is_flag=True, help="Learn from the workspace's resolved tickets.")
@click.option("--data", type=INPUT_FILE, help="text,label[,category] CSV instead.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Default: TRIAGE_MODEL_PATH.")
@friendly_errors
def train_triage(from_db: bool, data: Path | None, out: Path | None) -> None:
    """Train the triage classifier (category and intent)."""
    from assist.factories import build_embedder, build_engine
    from assist.triage import examples_from_csv, examples_from_store
    from assist.triage import train as run

    if from_db == (data is not None):
        raise click.UsageError("Give exactly one of --from-db or --data FILE.csv.")
    settings = get_settings()
    click.echo("Reading labelled tickets…", err=True)
    examples = examples_from_store(build_engine(settings)) if from_db else examples_from_csv(data)  # type: ignore[arg-type]
    target = out or settings.triage_model_path
    click.echo(f"Loading the embedding model to learn from {len(examples)} examples…", err=True)
    bar = _ProgressBar(unit="example", desc="Embedding examples")
    try:
        summary = run(examples, embedder=build_embedder(settings), target=target, progress=bar)
    finally:
        bar.close()
    click.echo(json.dumps({"train": "triage", **summary, "out": str(target)}))


@evaluate.command("triage")
@click.option("--train", "train_file", type=INPUT_FILE)
@click.option(
    "--test",
    "test_file",
    type=INPUT_FILE,
    help="Held-out CSV; without it, --holdout of TRAIN is held out.",
)
@click.option("--holdout", default=0.2, show_default=True, help="Stratified share of TRAIN to test on.")
@click.option("--baseline", type=click.Choice(["tfidf"]))
@click.option("--seed", default=13, show_default=True)
@click.option(
    "--from-db",
    "from_db",
    is_flag=True,
    help="Instead of --train: intent precision and coverage by intent confidence on this workspace "
    "(DATABASE_URL; the demo workspace labels each ticket with its question), k-fold over resolved tickets "
    "and on the open ones.",
)
@friendly_errors
def eval_triage(
    train_file: Path | None, test_file: Path | None, holdout: float, baseline: str | None, seed: int, from_db: bool
) -> None:
    """Accuracy and macro-F1 of the triage classifier (and a TF-IDF baseline), or with --from-db how often a
    shown intent is right at each confidence threshold."""
    from assist.dev.evaluation.triage import evaluate as run
    from assist.dev.evaluation.triage import read_examples, split
    from assist.factories import build_embedder, build_engine

    if from_db == (train_file is not None):
        raise click.UsageError("Give exactly one of --train FILE.csv or --from-db.")
    settings = get_settings()
    if train_file is None:  # --from-db
        from assist.dev.evaluation.intents import evaluate as intents

        result = intents(build_engine(settings), build_embedder(settings), seed=seed)
        click.echo(json.dumps({"eval": "triage", "data": "workspace", **result}))
        return
    frame = read_examples(train_file)
    if test_file is None:
        train_rows, test_rows = split(frame, test_fraction=holdout, seed=seed)
    else:
        train_rows, test_rows = frame, read_examples(test_file)
    result = run(train=train_rows, test=test_rows, embedder=build_embedder(settings), baseline=baseline)
    click.echo(json.dumps({"eval": "triage", "data": train_file.name, **result}))


@train.command("answers")
@click.option(
    "--relevance",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("../shared/data/relevance"),
    show_default=True,
    help="DSTC9 FAQ and MedQuAD (dstc9_faq.jsonl, medquad.jsonl); read only here, never by the product.",
)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/training/answers"),
    show_default=True,
    help="Checkpoints; a finished public stage found here is reused.",
)
@click.option("--threads", type=int, help="Torch threads (default: torch's).")
@click.option("--public-only", is_flag=True, help="Skip the second stage (the fit halves' tickets).")
@friendly_errors
def train_answers(relevance: Path, work: Path, threads: int | None, public_only: bool) -> None:
    """Train the answer reader (a cross-encoder from the packaged MiniLM) on public relevance data, then on the fit
    halves' tickets; write assist/drafting/reader/ and refit answer selection and confidence over it."""
    from assist.dev.training.answers import train_answers as run
    from assist.dev.training.confidence import FIT, KB_DOCS
    from assist.drafting.reader import SHIPPED

    report = run(
        relevance,
        work=work,
        out=SHIPPED,
        queries=FIT,
        kb_dir=KB_DOCS,
        threads=threads,
        tickets=not public_only,
        log=lambda line: click.echo(line, err=True),
    )
    click.echo(json.dumps({"train": "answers", **report}))


@train.command("confidence")
@click.option(
    "--from-db",
    "from_db",
    is_flag=True,
    help="Recalibrate on this team's own sends (DATABASE_URL) instead of refitting on the labelled questions.",
)
@click.option("--url", help="Database URL for --from-db (default: DATABASE_URL).")
@friendly_errors
def train_confidence(from_db: bool, url: str | None) -> None:
    """Fit answer selection, draft confidence and the need model on the fit halves in tests/data (writes
    assist/drafting/answers.json, confidence.json and needs.json), or with --from-db recalibrate confidence on the
    team's sends."""
    if from_db:
        from assist.recalibration import fit as recalibrate
        from assist.store.calibrations import recorded_sends, save_recalibration

        engine = _engine(url)
        raw, light = recorded_sends(engine)
        saved = save_recalibration(engine, recalibrate(raw, light))
        click.echo(
            json.dumps(
                {
                    "train": "confidence",
                    "from": "db",
                    "sends": saved.sends,
                    "light_edit_rate": round(sum(light) / len(light), 4),
                    "slope": saved.slope,
                    "intercept": saved.intercept,
                }
            )
        )
        return
    from assist.dev.training.confidence import fit

    click.echo(json.dumps({"train": "confidence", **fit()}))


@train.command("reuse")
@friendly_errors
def train_reuse() -> None:
    """Fit when a draft is built on a reply the team sent before, on the history splits of the fit halves in
    tests/data (writes assist/drafting/reuse.json)."""
    from assist.dev.training.reuse import fit

    click.echo(json.dumps({"train": "reuse", **fit(progress=lambda line: click.echo(line, err=True))}))


@main.command("precompute")
@click.argument("ticket_ids", nargs=-1, type=int)
@click.option("--open", "open_only", is_flag=True, help="Open tickets whose stored assistance is not current.")
@click.option("--all", "every", is_flag=True, help="Every ticket whose stored assistance is not current.")
@click.option("--quiet", is_flag=True, help="Only the progress bar, no JSON line per ticket.")
@friendly_errors
def precompute(ticket_ids: tuple[int, ...], open_only: bool, every: bool, quiet: bool) -> None:
    """Compute and store assistance for tickets ahead of time; prints one JSON summary per ticket."""
    from assist.domain import Assistance
    from assist.factories import build_assistant, build_engine
    from assist.pipeline import precompute_many
    from assist.store.runs import lacking_assistance

    settings = get_settings()
    engine = build_engine(settings)
    ids = list(ticket_ids)
    if open_only or every:
        ids = lacking_assistance(engine, open_only=not every)[::-1]  # the newest first: the top of the inbox
        if not ids:  # a restart with nothing new: no reason to load the models (`make run` calls this each time)
            click.echo("Every ticket's assistance is current; nothing to prepare.", err=True)
            return
    click.echo("Loading the models…", err=True)
    assistant = build_assistant(settings, engine=engine)
    bar = _ProgressBar(unit="ticket", desc="Preparing assistance")
    try:
        results = precompute_many(assistant, ticket_ids=ids, progress=bar)
    finally:
        bar.close()
    for ticket_id, result in results.items():
        if isinstance(result, Assistance):
            if quiet:
                continue
            click.echo(
                json.dumps(
                    {
                        "ticket": ticket_id,
                        "category": result.triage.category.value,
                        "priority": result.priority,
                        "sentiment": result.sentiment.level.value,
                        "confidence": result.draft.confidence,
                        "escalate": result.escalation.suggest,
                        "queue": result.escalation.queue.value,
                        "articles": [h.article_id for h in result.hits[:3]],
                        "ms": result.timings_ms.get("total"),
                    }
                )
            )
        else:
            click.echo(json.dumps({"ticket": ticket_id, "error": result}), err=True)


@main.group()
def mail() -> None:
    """Email in: a support mailbox read over IMAP."""


@mail.command("poll")
@click.option("--watch", is_flag=True, help="Keep polling every MAIL_POLL_SECONDS (Ctrl+C stops).")
@friendly_errors
def mail_poll(watch: bool) -> None:
    """Turn new mail into tickets and follow-ups; prints one JSON line per poll."""
    from assist.factories import build_engine
    from assist.mail_in import PollReport, poll
    from assist.mail_in import watch as keep_polling

    settings = get_settings()
    engine = build_engine(settings)

    def show(report: PollReport) -> None:
        click.echo(json.dumps({"mail": "poll", **report.__dict__}))

    if watch:
        keep_polling(engine, settings, report=show, stop=lambda: False)
    else:
        show(poll(engine, settings))


@mail.command("quarantine")
@friendly_errors
def mail_quarantine() -> None:
    """List mail the poll could not store (kept whole, with the reason); one JSON line each."""
    from assist.factories import build_engine
    from assist.mail_in import quarantined

    for held in quarantined(build_engine(get_settings()), actor=_operator("cli:mail")):
        click.echo(held.model_dump_json())


@mail.command("retry")
@click.argument("quarantine_id", type=int)
@friendly_errors
def mail_retry(quarantine_id: int) -> None:
    """Try a quarantined mail again: it becomes a ticket, or stays quarantined with the new reason."""
    from assist.factories import build_engine
    from assist.mail_in import retry_quarantined
    from assist.masking import MaskRules

    settings = get_settings()
    result = retry_quarantined(
        build_engine(settings),
        quarantine_id=quarantine_id,
        actor=_operator("cli:mail"),
        max_chars=settings.max_message_chars,
        masking=MaskRules.from_settings(settings),
        holdout_percent=settings.assist_holdout_percent,
    )
    click.echo(json.dumps(result.__dict__))
    if result.ticket_id is None:
        raise click.exceptions.Exit(1)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8700, show_default=True)
@click.option("--workers", type=int, help="Assistance worker threads in this process (default: WORKERS, 1).")
@friendly_errors
def serve(host: str, port: int, workers: int | None) -> None:
    """The HTTP intake (POST /api/tickets, /api/tickets/{id}/messages, GET /healthz, docs at /docs) with
    embedded workers that prepare assistance for every ticket that arrives."""
    import uvicorn

    from assist.factories import build_assistant, warm_up
    from assist.intake_api import create_app
    from assist.pipeline import compute_assistance
    from assist.preparation import EmbeddedWorker

    settings = get_settings()
    if settings.queue_url:  # the workers are `python -m assist worker` processes: hand them the arrivals
        from assist.factories import build_engine
        from assist.work_queue import announcer, connect

        engine = build_engine(settings)
        app = create_app(engine, settings, announce=announcer(connect(settings.queue_url)))
        click.echo(f"Intake on http://{host}:{port} (docs at /docs), preparing on the queue workers", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    click.echo("Loading the models…", err=True)
    assistant = build_assistant(settings)
    warm_up(assistant)  # before /healthz answers: the first ticket must not pay the first-use costs
    threads = settings.workers if workers is None else workers
    worker = EmbeddedWorker(
        assistant.engine, lambda ticket_id: compute_assistance(assistant, ticket_id=ticket_id), threads=threads
    ).start()
    app = create_app(assistant.engine, settings, announce=worker.notify)
    click.echo(f"Intake on http://{host}:{port} (docs at /docs), {threads} worker thread(s)", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        worker.stop()


@main.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, one-off catch-up).")
@friendly_errors
def worker(burst: bool) -> None:
    """Prepare assistance from the queue (QUEUE_URL) and deliver queued replies; run any number, on any
    machine sharing the database, the Chroma server and Redis."""
    from assist.factories import build_assistant, build_courier, warm_up
    from assist.work_queue import connect, serve_jobs

    settings = get_settings()
    queue = connect(settings.queue_url)
    click.echo("Loading the models…", err=True)
    assistant = build_assistant(settings)
    warm_up(assistant)
    courier = build_courier(settings, engine=assistant.engine).start()  # claims keep each reply to one sender
    click.echo("Worker ready", err=True)
    try:
        serve_jobs(assistant, queue, burst=burst)
    finally:
        courier.stop()


@main.group()
def tickets() -> None:
    """Ticket intake."""


@tickets.command("import")
@click.argument("path", type=INPUT_FILE)
@click.option("--no-assist", is_flag=True, help="Skip computing assistance for the imported tickets.")
@click.option("--actor", default="import", show_default=True)
@friendly_errors
def tickets_import(path: Path, no_assist: bool, actor: str) -> None:
    """Import tickets and follow-ups from a helpdesk CSV or JSON export (columns are recognised by name)."""
    from assist.factories import build_engine
    from assist.intake import guess_mapping, import_rows, read_rows
    from assist.masking import MaskRules

    settings = get_settings()
    engine = build_engine(settings)
    rows = read_rows(path.name, path.read_bytes(), max_bytes=settings.kb_upload_max_mb * 1_000_000)
    mapping = guess_mapping(list(rows[0]))
    click.echo("columns: " + ", ".join(f"{field.value} <- {column}" for field, column in mapping.items()))
    report = import_rows(
        engine,
        rows,
        mapping=mapping,
        actor=_operator(actor),
        max_chars=settings.max_message_chars,
        masking=MaskRules.from_settings(settings),
        holdout_percent=settings.assist_holdout_percent,
    )
    click.echo(
        f"created {len(report.created)} tickets, appended {len(report.appended)} follow-ups, "
        f"{len(report.unchanged)} already imported, {len(report.errors)} rows with errors"
    )
    for error in report.errors:
        click.echo(f"  row {error.row}: {error.error}", err=True)
    for warning in report.warnings:
        click.echo(f"  row {warning.row} (imported): {warning.error}", err=True)
    if not no_assist and (report.created or report.appended):
        from assist.factories import build_assistant
        from assist.pipeline import precompute_many

        click.echo("Loading the models to prepare assistance…", err=True)
        assistant = build_assistant(settings, engine=engine)
        bar = _ProgressBar(unit="ticket", desc="Preparing assistance")
        try:
            precompute_many(assistant, ticket_ids=[*report.created, *report.appended], progress=bar)
        finally:
            bar.close()
    if report.errors:
        raise SystemExit(1)


@main.group()
def csat() -> None:
    """Customer satisfaction."""


@csat.command("import")
@click.argument("path", type=INPUT_FILE)
@click.option("--actor", default="import", show_default=True)
@friendly_errors
def csat_import(path: Path, actor: str) -> None:
    """Import ratings from CSV: ticket (helpdesk reference or #id), score 1-5, comment, date."""
    from assist.csat import import_csat
    from assist.factories import build_engine
    from assist.intake import read_rows

    settings = get_settings()
    rows = read_rows(path.name, path.read_bytes(), max_bytes=settings.kb_upload_max_mb * 1_000_000)
    report = import_csat(build_engine(settings), rows, actor=_operator(actor))
    click.echo(
        f"imported {len(report.created)} ratings, {len(report.unchanged)} already imported, "
        f"{len(report.errors)} rows with errors"
    )
    for error in report.errors:
        click.echo(f"  row {error.row}: {error.error}", err=True)
    for warning in report.warnings:
        click.echo(f"  row {warning.row} (imported): {warning.error}", err=True)
    if report.errors:
        raise SystemExit(1)


@evaluate.command("all")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/data"),
    show_default=True,
    help="Where the public development data sets are, if present.",
)
@friendly_errors
def eval_all(shared: Path) -> None:
    """Every evaluation whose data is present; writes reports/eval.json and reports/eval.md."""
    from assist.dev.evaluation.drafts import evaluate as drafts
    from assist.dev.evaluation.retrieval import evaluate as retrieval
    from assist.dev.evaluation.sentiment import evaluate as sentiment
    from assist.dev.evaluation.triage import evaluate as triage
    from assist.dev.evaluation.triage import read_examples, split
    from assist.dev.reports import write
    from assist.domain import SearchMode
    from assist.factories import build_embedder, build_sentiment_model

    settings = get_settings()
    embedder = build_embedder(settings)
    rows: list[dict[str, Any]] = []
    queries = Path("tests/data/drafts_check.jsonl")
    if queries.exists():
        for result in retrieval(
            kb_dir=Path("kb_docs"), queries_file=queries, modes=list(SearchMode), embedder=embedder
        ):
            rows.append({"eval": "retrieval", "data": queries.name, **result})
        rows.append({"eval": "drafts", "data": queries.name, **drafts(Path("kb_docs"), queries)})
    model = build_sentiment_model(settings)
    held = sorted(Path("data/eval").glob("sentiment_holdout_*.csv"))
    support = [Path("tests/data/support_sentiment_check.csv"), Path("tests/data/support_sentiment_check_more.csv")]
    for data in [*held, *support, shared / "sentiment" / "sst2_dev.csv"]:
        if data.exists() and "sst2_train" not in data.name:
            rows.append({"eval": "sentiment", **sentiment(data=data, model=model, baseline="vader")})
    banking = shared / "intent" / "banking77_train.csv"
    if banking.exists():
        train_rows, test_rows = split(read_examples(banking), test_fraction=0.2, seed=13)
        rows.append(
            {
                "eval": "triage",
                "data": f"{banking.name} (held-out 20%)",
                **triage(train=train_rows, test=test_rows, embedder=embedder, baseline="tfidf"),
            }
        )
    for row in rows:
        click.echo(json.dumps(row))
    json_path, md_path = write("eval", "Evaluations (`python -m assist eval all`)", rows)
    click.echo(f"wrote {json_path} and {md_path}", err=True)
