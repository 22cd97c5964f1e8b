"""Moving a workspace from SQLite to PostgreSQL (issue 37): a team that outgrows one file keeps its data."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select

from assist.cli import main
from assist.domain import Channel, MetricsFilter, TicketQuery
from assist.errors import ValidationError
from assist.inbox import list_inbox
from assist.metrics import dashboard
from assist.store import make_engine, session_scope
from assist.store.copy import TableCopy, checksum, copy_workspace
from assist.store.models import Base, SurveyTokenRow, TicketRow
from assist.store.tickets import create_ticket, ticket_detail
from tests.factories import make_customer


def _details(engine: Engine) -> list[object]:
    with session_scope(engine) as session:
        ids = list(session.scalars(select(TicketRow.id).order_by(TicketRow.id)))
        return [ticket_detail(session, ticket_id=i) for i in ids]


def _checksums(engine: Engine) -> dict[str, tuple[int, str]]:
    return {t.name: checksum(engine, t) for t in Base.metadata.sorted_tables}


def test_the_demo_workspace_moves_to_postgresql_whole_and_keeps_working(
    demo_workspace: Engine, postgres_engine: Engine
) -> None:
    with session_scope(demo_workspace) as session:  # text keys SQLite and PostgreSQL sort differently
        for key in ("Zeta", "_beta", "alpha"):
            session.add(SurveyTokenRow(nonce=key, ticket_id=1))
    copied = copy_workspace(demo_workspace, postgres_engine)
    assert copied["tickets"].rows > 300 and copied["messages"].rows > copied["tickets"].rows
    assert _checksums(postgres_engine) == _checksums(demo_workspace)  # the same on both databases
    assert _details(postgres_engine) == _details(demo_workspace)  # every ticket, message, owner and status
    window = MetricsFilter.last_days(400)
    assert dashboard(postgres_engine, window).kpis == dashboard(demo_workspace, window).kpis  # facts came along
    first_page = [r.id for r in list_inbox(postgres_engine, query=TicketQuery()).rows]
    assert first_page == [r.id for r in list_inbox(demo_workspace, query=TicketQuery()).rows]
    # The id sequences moved past the copied rows: the next ticket gets the next number, not a taken one.
    with session_scope(postgres_engine) as session:
        ticket = create_ticket(
            session,
            customer=make_customer(session),
            subject="After the move",
            body="Still works?",
            actor="test",
            channel=Channel.EMAIL,
        )
        session.flush()
        assert ticket.id == max(session.scalars(select(TicketRow.id)))  # above every copied id


def test_a_copy_interrupted_half_way_resumes_to_the_same_checksums(
    demo_workspace: Engine, postgres_engine: Engine
) -> None:
    seen: list[str] = []

    def power_cut(table: str, _copy: TableCopy) -> None:
        seen.append(table)
        if len(seen) == len(Base.metadata.sorted_tables) // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        copy_workspace(demo_workspace, postgres_engine, progress=power_cut)
    resumed = copy_workspace(demo_workspace, postgres_engine)
    done_before = [name for name in seen if resumed[name].rows]  # an empty table is simply copied again
    assert [name for name, c in resumed.items() if c.kept] == done_before  # what was done is kept, the rest copied
    assert done_before and len(done_before) < len(resumed)
    assert _checksums(postgres_engine) == _checksums(demo_workspace)


def test_a_target_that_holds_other_data_is_refused_unless_forced(demo_workspace: Engine, tmp_path: Path) -> None:
    target = make_engine(f"sqlite:///{tmp_path / 'team.db'}")
    copy_workspace(demo_workspace, target)
    with session_scope(target) as session:
        create_ticket(session, customer=make_customer(session), subject="Other", body="Data", actor="test")
    before = _checksums(target)
    with pytest.raises(ValidationError, match="already holds other data"):
        copy_workspace(demo_workspace, target)
    assert _checksums(target) == before  # nothing written
    copy_workspace(demo_workspace, target, force=True)
    assert _checksums(target) == _checksums(demo_workspace)
    with pytest.raises(ValidationError, match="own database"):
        copy_workspace(demo_workspace, demo_workspace)


def test_db_copy_moves_the_configured_workspace(demo_workspace: Engine, tmp_path: Path) -> None:
    source = demo_workspace.url.render_as_string(hide_password=False)
    to = f"sqlite:///{tmp_path / 'moved.db'}"
    result = CliRunner().invoke(main, ["db", "copy", "--url", source, "--to", to])
    assert result.exit_code == 0, result.output
    assert "checksums match" in result.output and "DATABASE_URL" in result.output
    assert _details(make_engine(to)) == _details(demo_workspace)
