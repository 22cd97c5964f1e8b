from __future__ import annotations

import pytest

from tools.bench_ticket_page import run

pytestmark = pytest.mark.model


def test_workspace_bench_opens_signed_in_tickets_and_reports_percentiles() -> None:
    figures = run(tickets=2)
    assert figures["tickets"] == 2
    assert 0 < figures["open_p50_ms"] <= figures["open_p95_ms"]
