"""Issue 31, finding 1: a session whose account was disabled, demoted or given a new password changes nothing.

Every state-changing core function is called with a `User` read before an admin changed the account (the
way a panel's callback holds it) and must refuse with `SessionEndedError` and leave every table as it
was; the same call with a current `User` succeeds, so the refusal is the session check and nothing else.
A completeness test finds every public function that takes an actor, so a new one cannot skip the table.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import chromadb
import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

import assist
from assist import users
from assist.audit import audit_events
from assist.authentication import targeted_accounts
from assist.config import Settings
from assist.csat import import_csat
from assist.devices import issue_unlock_link
from assist.domain import (
    Assistance,
    Category,
    ContactHistory,
    Draft,
    DraftMode,
    Escalation,
    EscalationPriority,
    ImportField,
    Queue,
    Role,
    TicketStatus,
    Triage,
    TriageMethod,
    User,
)
from assist.errors import SessionEndedError
from assist.experiments import start_experiment, stop_experiment
from assist.intake import import_rows
from assist.kb import KnowledgeBase, chunk_collection
from assist.kb.sources import add_source, remove_source, sync_source
from assist.kb.vectors import chroma_settings
from assist.lifecycle import change_status
from assist.macros import save_macro, set_macro_active, use_macro
from assist.mail_in import quarantined, retry_quarantined
from assist.ownership import claim
from assist.presence import here
from assist.queue import reassign, resolve, return_to_tier1, take_over
from assist.store import mail as mail_store
from assist.store import session_scope
from assist.store.actors import current_actor
from assist.store.models import Base, EscalationRow, MacroRow, TicketRow, UserRow
from assist.store.runs import save_run
from assist.ticket_actions import add_note, escalate, regenerate, reopen, send_reply
from assist.unsent_replies import keep_unsent_reply, unsent_reply
from assist.users import OPERATOR, change_role, create_user, current_user, reset_password, set_user_active
from tests.conftest import article
from tests.factories import make_customer, make_ticket, sentiment

SETTINGS = Settings(smtp_host=None, webhook_url=None)
MAIL = (
    b"From: Ann <ann@example.com>\r\nTo: support@lumen.app\r\nSubject: Refund\r\n"
    b"Message-ID: <q1@example.com>\r\n\r\nWhere is it?\r\n"
)
PASSWORD = "p" * 12


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts are created and reset many times here; the hash's strength is not what these tests are about."""
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@dataclass
class World:
    """One small workspace: tickets in the states each action needs, an open escalation, a stored run,
    a macro, another team member, and (for the knowledge-base actions) a knowledge base with one article."""

    engine: Engine
    ticket: int
    resolved: int
    escalated: int
    escalation: int
    run: int
    macro: int
    other: int
    quarantined: int
    kb: Any
    experiment: int | None = None  # a running one, for the action that stops it

    def version(self, ticket_id: int) -> int:
        with session_scope(self.engine) as session:
            return session.get_one(TicketRow, ticket_id).version


def _assistance(ticket_id: int, version: int) -> Assistance:
    return Assistance(
        ticket_id=ticket_id,
        ticket_version=version,
        run_id=0,
        draft_id=0,
        query="where is my refund",
        history=ContactHistory(),
        triage=Triage(
            category=Category.BILLING,
            category_confidence=0.9,
            intent=None,
            intent_confidence=0.0,
            alternatives=(),
            method=TriageMethod.ZERO_SHOT,
        ),
        hits=(),
        sentiment=sentiment(),
        priority=3,
        draft=Draft(
            text="Hi, the refund is on its way.", confidence=0.5, sources=(), mode=DraftMode.OFFLINE, model="t"
        ),
        escalation=Escalation(
            suggest=True,
            reasons=("refund",),
            priority=EscalationPriority.MEDIUM,
            queue=Queue.TIER2,
            suggested_action="x",
        ),
        timings_ms={},
        created_at=datetime.now(UTC),
    )


def _world(engine: Engine, kb: Any = None, *, experiment: bool = False) -> World:
    with session_scope(engine) as session:
        customer = make_customer(session)
        ticket = make_ticket(session, customer=customer, status="processing")
        resolved = make_ticket(session, customer=customer, status="resolved")
        escalated = make_ticket(session, customer=customer, status="escalated")
        to_escalate = make_ticket(session, customer=customer)
        session.add(EscalationRow(ticket_id=escalated.id, reasons=["x"], priority="high", queue="tier2", state="open"))
        session.add(MacroRow(title="Thanks", body="Thanks, {customer_first_name}!", updated_by="admin@lumen.app"))
        session.flush()
        ids = (ticket.id, resolved.id, escalated.id, to_escalate.id)
        escalation = session.scalars(select(EscalationRow.id)).one()
        macro = session.scalars(select(MacroRow.id)).one()
        quarantined = mail_store.quarantine(
            session, digest="d1", mailbox="INBOX", uid=1, sender="a@example.com", subject="Hi", reason="r", raw=MAIL
        )
    run = save_run(engine, assistance=_assistance(ids[3], 1)).run_id
    other = create_user(
        engine, email="other@lumen.app", name="Other", role=Role.AGENT, password=PASSWORD, actor=OPERATOR
    )
    running = start_experiment(engine, percent=10, actor=OPERATOR).id if experiment else None
    return World(engine, ids[0], ids[1], ids[2], escalation, run, macro, other.id, quarantined, kb, running)


def _kb(engine: Engine, embedder: Any, tmp_path: Path) -> KnowledgeBase:
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=chroma_settings())
    kb = KnowledgeBase(
        engine=engine,
        collection=chunk_collection(client, embedder),
        embedder=embedder,
        max_upload_bytes=1_000_000,
        checkouts=tmp_path / "sources",
    )
    kb.ingest_files([("refunds.md", article("refunds", "Refunds", "Refunds take five days."))], actor=OPERATOR)
    handbook = tmp_path / "handbook"
    handbook.mkdir()
    (handbook / "vat.md").write_bytes(article("vat", "VAT", "Add your VAT number under Billing details."))
    add_source(kb, name="handbook", kind="folder", location=str(handbook), actor=OPERATOR)
    return kb


Call = Callable[[World, User], object]
CALLS: dict[str, Call] = {
    "assist.experiments.start_experiment": lambda w, u: start_experiment(w.engine, percent=10, actor=u),
    "assist.experiments.stop_experiment": lambda w, u: stop_experiment(
        w.engine, experiment_id=w.experiment or 0, actor=u
    ),
    "assist.ticket_actions.send_reply": lambda w, u: send_reply(
        w.engine,
        ticket_id=w.ticket,
        expected_version=w.version(w.ticket),
        text="Here you go.",
        draft_id=None,
        actor=u,
        resolve=True,
        settings=SETTINGS,
    ),
    "assist.unsent_replies.keep_unsent_reply": lambda w, u: keep_unsent_reply(
        w.engine, ticket_id=w.ticket, text="Half a reply", actor=u, settings=SETTINGS
    ),
    # A read, but of text the agent wrote for a customer: a stale tab gets none of it back.
    "assist.unsent_replies.unsent_reply": lambda w, u: unsent_reply(w.engine, ticket_id=w.ticket, actor=u),
    "assist.ticket_actions.add_note": lambda w, u: add_note(
        w.engine, ticket_id=w.ticket, expected_version=w.version(w.ticket), text="n", actor=u, settings=SETTINGS
    ),
    "assist.ticket_actions.reopen": lambda w, u: reopen(
        w.engine, ticket_id=w.resolved, expected_version=w.version(w.resolved), actor=u
    ),
    "assist.ticket_actions.escalate": lambda w, u: escalate(w.engine, run_id=w.run, expected_version=1, actor=u),
    "assist.ticket_actions.regenerate": lambda w, u: regenerate(
        SimpleNamespace(engine=w.engine),  # type: ignore[arg-type]  # refused before any model runs
        ticket_id=w.ticket,
        alternative=1,
        actor=u,
    ),
    "assist.ownership.claim": lambda w, u: claim(
        w.engine, ticket_id=w.ticket, expected_version=w.version(w.ticket), actor=u
    ),
    "assist.lifecycle.change_status": lambda w, u: change_status(
        w.engine, ticket_id=w.ticket, to=TicketStatus.RESOLVED, actor=u, expected_version=w.version(w.ticket)
    ),
    "assist.queue.take_over": lambda w, u: take_over(
        w.engine, escalation_id=w.escalation, expected_version=w.version(w.escalated), actor=u
    ),
    "assist.queue.reassign": lambda w, u: reassign(
        w.engine, escalation_id=w.escalation, expected_version=w.version(w.escalated), to_user_id=w.other, actor=u
    ),
    "assist.queue.return_to_tier1": lambda w, u: return_to_tier1(
        w.engine, escalation_id=w.escalation, expected_version=w.version(w.escalated), note="do x", actor=u
    ),
    "assist.queue.resolve": lambda w, u: resolve(
        w.engine, escalation_id=w.escalation, expected_version=w.version(w.escalated), actor=u
    ),
    "assist.presence.here": lambda w, u: here(w.engine, ticket_id=w.ticket, viewer=u),
    "assist.macros.save_macro": lambda w, u: save_macro(w.engine, title="New", body="Hello", actor=u),
    "assist.macros.set_macro_active": lambda w, u: set_macro_active(w.engine, macro_id=w.macro, active=False, actor=u),
    "assist.macros.use_macro": lambda w, u: use_macro(
        w.engine, macro_id=w.macro, ticket_id=w.ticket, actor=u, reply=""
    ),
    "assist.csat.import_csat": lambda w, u: import_csat(w.engine, [{"ticket": f"#{w.ticket}", "score": "5"}], actor=u),
    "assist.intake.import_rows": lambda w, u: import_rows(
        w.engine,
        [{"email": "new@example.com", "body": "Hello there"}],
        mapping={ImportField.CUSTOMER_EMAIL: "email", ImportField.BODY: "body"},
        actor=u,
        max_chars=1000,
    ),
    "assist.users.create_user": lambda w, u: create_user(
        w.engine, email="new@lumen.app", name="New", role=Role.AGENT, password=PASSWORD, actor=u
    ),
    "assist.users.set_user_active": lambda w, u: set_user_active(w.engine, user_id=w.other, active=False, actor=u),
    "assist.users.reset_password": lambda w, u: reset_password(w.engine, user_id=w.other, password=PASSWORD, actor=u),
    "assist.users.change_role": lambda w, u: change_role(w.engine, user_id=w.other, role=Role.LEAD, actor=u),
    "assist.mail_in.retry_quarantined": lambda w, u: retry_quarantined(
        w.engine, quarantine_id=w.quarantined, actor=u, max_chars=5000
    ),
    "assist.devices.issue_unlock_link": lambda w, u: issue_unlock_link(
        w.engine, user_id=w.other, actor=u, settings=SETTINGS
    ),
    "assist.kb.knowledge_base.KnowledgeBase.ingest_files": lambda w, u: w.kb.ingest_files(
        [("new.md", article("new", "New", "Something new."))], actor=u
    ),
    "assist.kb.knowledge_base.KnowledgeBase.ingest_paths": lambda w, u: w.kb.ingest_paths([], actor=u),
    "assist.kb.knowledge_base.KnowledgeBase.reindex": lambda w, u: w.kb.reindex(actor=u),
    # Admin-only reads: a demoted, disabled or reset admin's open tab reads nothing (re-probe of finding 1).
    "assist.audit.audit_events": lambda w, u: audit_events(
        w.engine, actor=u, start=date(2026, 1, 1), end=date(2026, 12, 31)
    ),
    "assist.authentication.targeted_accounts": lambda w, u: targeted_accounts(w.engine, actor=u, settings=SETTINGS),
    "assist.mail_in.quarantined": lambda w, u: quarantined(w.engine, actor=u),
    "assist.kb.knowledge_base.KnowledgeBase.delete": lambda w, u: w.kb.delete("refunds", actor=u),
    "assist.kb.sources.add_source": lambda w, u: add_source(
        w.kb, name="manual", kind="folder", location=str(w.kb.checkouts.parent / "handbook"), actor=u
    ),
    "assist.kb.sources.remove_source": lambda w, u: remove_source(w.kb, "handbook", actor=u),
    "assist.kb.sources.sync_source": lambda w, u: sync_source(w.kb, "handbook", actor=u),
}
NEEDS_MODELS = {"assist.ticket_actions.regenerate"}  # its positive case is tests/test_ticket_actions.py (models)
# Public functions that take a `User` but change nothing a stale session could abuse.
EXEMPT = {
    "assist.ticket_actions.open_ticket": "a read",
    "assist.inbox.views_for": "a read",
    "assist.inbox.inbox_views": "a read",
    "assist.presence.leave": "removes only the caller's own presence: what a signed-out tab should do",
    "assist.store.actors.require": "the role check itself",
    "assist.store.versioned.edit_ticket": "the version guard: it re-checks the actor for every caller above",
    "assist.store.actors.check_session": "the session check itself",
    "assist.users.require_current": "the session and role check itself",
    "assist.store.actors.current_actor": "the session check itself",
    "assist.store.actors.stored_actor": "the session check itself",
    "assist.store.accounts.account_change": "the transaction of every account change above: it re-checks the admin",
    "assist.store.escalations.edit_escalation": "every queue action's version guard: edit_ticket re-checks the lead",
    # Checked before anything is fetched (tests/kb/test_git_source.py, test_sitemap_source.py), and they write only
    # through KnowledgeBase.ingest_paths / ingest_files, which are checked above.
    "assist.kb.git_source.sync_git": "checks the session first; writes only through ingest_paths",
    "assist.kb.sitemap_source.sync_sitemap": "checks the session first; writes only through ingest_files",
    # A source's sync is called by sync_source, checked above, and writes only through the functions above.
    "assist.kb.article_source.ArticleSource.sync": "the protocol every source's sync follows",
    "assist.kb.folder_source.FolderSource.sync": "writes only through ingest_paths",
    "assist.kb.git_source.GitSource.sync": "writes only through sync_git",
    "assist.kb.sitemap_source.SitemapSource.sync": "writes only through sync_sitemap",
}
STALE = {
    "disabled": lambda engine, user: set_user_active(engine, user_id=user.id, active=False, actor=OPERATOR),
    "demoted": lambda engine, user: change_role(engine, user_id=user.id, role=Role.AGENT, actor=OPERATOR),
    "password reset": lambda engine, user: reset_password(
        engine, user_id=user.id, password="another password", actor=OPERATOR
    ),
}


def _actor_functions() -> set[str]:
    """Every public function (and KnowledgeBase method) in `assist` that takes a `User` as actor or viewer."""
    found: set[str] = set()
    skip = ("assist.dev", "assist.demo", "assist.cli", "assist.__main__")
    for info in pkgutil.walk_packages(assist.__path__, "assist."):
        if any(info.name == s or info.name.startswith(s + ".") for s in skip):
            continue
        module = importlib.import_module(info.name)
        owners: list[tuple[str, Any]] = [(info.name, module)]
        owners += [(f"{info.name}.{n}", c) for n, c in vars(module).items() if inspect.isclass(c)]
        for prefix, owner in owners:
            for name, fn in vars(owner).items():
                if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != info.name:
                    continue
                params = inspect.signature(fn).parameters.values()
                if any(p.name in ("actor", "viewer") and p.annotation in ("User", "User | None") for p in params):
                    found.add(f"{prefix}.{name}")
    return found


def test_every_function_that_takes_an_actor_is_checked_or_exempt_for_a_reason() -> None:
    assert _actor_functions() == set(CALLS) | set(EXEMPT)


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: a refused call leaves all of them as they were."""
    with session_scope(engine) as session:
        return {
            table.name: sorted(
                (tuple(map(repr, row)) for row in session.execute(table.select())), key=lambda r: tuple(map(str, r))
            )
            for table in Base.metadata.sorted_tables
        }


def _admin(engine: Engine, n: str) -> User:
    return create_user(engine, email=f"admin-{n}@lumen.app", name=n, role=Role.ADMIN, password=PASSWORD, actor=OPERATOR)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_stale_session_changes_nothing_and_a_current_one_acts(
    engine: Engine, name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    kb = _kb(engine, request.getfixturevalue("embedder"), tmp_path) if name.startswith("assist.kb.") else None
    world = _world(engine, kb, experiment=name == "assist.experiments.stop_experiment")
    call = CALLS[name]
    for kind, make_stale in STALE.items():
        held = _admin(engine, kind.replace(" ", "-"))  # read at sign-in, kept by the page
        make_stale(engine, held)
        before = _snapshot(engine)
        with pytest.raises(SessionEndedError, match="you were signed out; nothing was changed"):
            call(world, held)
        assert _snapshot(engine) == before, f"{name} changed data for a {kind} session"
    if name not in NEEDS_MODELS:
        call(world, _admin(engine, "current"))  # the same call by a current session goes through


def test_the_message_says_why_the_session_ended(sqlite_engine: Engine) -> None:
    world = _world(sqlite_engine)
    disabled, reset = _admin(sqlite_engine, "d"), _admin(sqlite_engine, "r")
    STALE["disabled"](sqlite_engine, disabled)
    STALE["password reset"](sqlite_engine, reset)
    with pytest.raises(SessionEndedError, match=r"^Your account was disabled, .* Ask an admin"):
        CALLS["assist.ticket_actions.add_note"](world, disabled)
    with pytest.raises(SessionEndedError, match=r"a new role or a new password\), .* Sign in again"):
        CALLS["assist.ticket_actions.add_note"](world, reset)


def test_the_user_carries_the_generation_it_was_read_with(sqlite_engine: Engine) -> None:
    user = _admin(sqlite_engine, "g")
    reset_password(sqlite_engine, user_id=user.id, password="another password", actor=OPERATOR)
    now = current_user(sqlite_engine, user_id=user.id)
    assert now is not None and now.session_generation == user.session_generation + 1
    CALLS["assist.ticket_actions.add_note"](_world(sqlite_engine), now)  # the re-read session acts


CHANGES = st.lists(st.sampled_from(["disable", "enable", "reset", "to agent", "to lead", "to admin"]), max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=CHANGES, after=CHANGES)
def test_a_user_read_before_any_real_change_to_the_account_is_refused(
    sqlite_engine: Engine, before: list[str], after: list[str]
) -> None:
    """Generated histories of admin changes: a `User` read between two runs of them may act exactly when the
    account is active now and none of the later changes really changed its status, role or password."""
    with session_scope(sqlite_engine) as session:
        row = UserRow(email=f"u{next(_emails)}@x.io", name="U", role="agent")
        session.add(row)
        session.flush()
        user_id = row.id

    def apply(change: str) -> bool:
        """Make the change; whether it really changed the account (the model of what ends sessions)."""
        now = current_user(sqlite_engine, user_id=user_id)
        assert now is not None
        if change in ("disable", "enable"):
            set_user_active(sqlite_engine, user_id=user_id, active=change == "enable", actor=OPERATOR)
            return now.active != (change == "enable")
        if change == "reset":
            reset_password(sqlite_engine, user_id=user_id, password=PASSWORD, actor=OPERATOR)
            return True
        role = Role(change.removeprefix("to "))
        change_role(sqlite_engine, user_id=user_id, role=role, actor=OPERATOR)
        return role is not now.role

    for change in before:
        apply(change)
    held = current_user(sqlite_engine, user_id=user_id)
    changed = [apply(change) for change in after]
    stored = current_user(sqlite_engine, user_id=user_id)
    assert held is not None and stored is not None
    with session_scope(sqlite_engine) as session:
        if stored.active and not any(changed):
            assert current_actor(session, held) == held
        else:
            with pytest.raises(SessionEndedError):
                current_actor(session, held)


_emails = itertools.count()


def test_two_admins_resetting_each_other_at_once_one_wins_and_the_other_is_signed_out(engine: Engine) -> None:
    """Each change re-reads its admin in its own transaction: whichever commits first ends the other's session,
    so the second is refused (not a deadlock, not both)."""
    first, second = _admin(engine, "first"), _admin(engine, "second")
    barrier, outcomes = threading.Barrier(2), []

    def reset(actor: User, target: User) -> None:
        barrier.wait()
        try:
            reset_password(engine, user_id=target.id, password="another password", actor=actor)
            outcomes.append("reset")
        except SessionEndedError:
            outcomes.append("signed out")

    threads = [threading.Thread(target=reset, args=pair) for pair in ((first, second), (second, first))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["reset", "signed out"]
