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
from assist.store.copy import copy_workspace
from assist.store.models import TicketRow
from assist.store.tickets import create_ticket, ticket_detail
from tests.factories import make_customer


def _details(engine: Engine) -> list[object]:
    with session_scope(engine) as session:
        ids = list(session.scalars(select(TicketRow.id).order_by(TicketRow.id)))
        return [ticket_detail(session, ticket_id=i) for i in ids]


def test_the_demo_workspace_moves_to_postgresql_whole_and_keeps_working(
    demo_workspace: Engine, postgres_engine: Engine
) -> None:
    copied = copy_workspace(demo_workspace, postgres_engine)
    assert copied["tickets"] > 300 and copied["messages"] > copied["tickets"]
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


def test_a_target_that_holds_data_is_refused_and_left_as_it_was(demo_workspace: Engine, tmp_path: Path) -> None:
    target = make_engine(f"sqlite:///{tmp_path / 'team.db'}")
    copy_workspace(demo_workspace, target)
    before = _details(target)
    with pytest.raises(ValidationError, match="already holds data"):
        copy_workspace(demo_workspace, target)
    assert _details(target) == before
    with pytest.raises(ValidationError, match="own database"):
        copy_workspace(demo_workspace, demo_workspace)


def test_db_copy_moves_the_configured_workspace(demo_workspace: Engine, tmp_path: Path) -> None:
    source = demo_workspace.url.render_as_string(hide_password=False)
    to = f"sqlite:///{tmp_path / 'moved.db'}"
    result = CliRunner().invoke(main, ["db", "copy", "--url", source, "--to", to])
    assert result.exit_code == 0, result.output
    assert "Copied" in result.output and "DATABASE_URL" in result.output
    assert _details(make_engine(to)) == _details(demo_workspace)
