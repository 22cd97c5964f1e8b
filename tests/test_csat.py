from __future__ import annotations

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from pydantic import SecretStr
from sqlalchemy import Engine, func, select

from assist.config import Settings
from assist.csat import SALT, import_csat, issue_token, submit_rating, survey_subject
from assist.errors import ConfigError, SurveyError
from assist.store import session_scope
from assist.store.models import CsatRow
from assist.users import OPERATOR
from tests.factories import make_ticket

SETTINGS = Settings(secret_key=SecretStr("k" * 32), survey_valid_days=14)


def _ticket(engine: Engine) -> int:
    with session_scope(engine) as session:
        return make_ticket(session, subject="Refund missing", external_id="Z-9").id


def _scores(engine: Engine) -> list[int]:
    with session_scope(engine) as session:
        return list(session.scalars(select(CsatRow.score)))


def test_a_token_records_one_rating_and_refuses_a_replay(engine: Engine) -> None:
    ticket_id = _ticket(engine)
    token = issue_token(engine, ticket_id=ticket_id, settings=SETTINGS)
    assert survey_subject(engine, token=token, settings=SETTINGS) == "Refund missing"
    submit_rating(engine, token=token, score=4, comment="quick, thanks", settings=SETTINGS)
    with pytest.raises(SurveyError, match="already have your rating"):
        submit_rating(engine, token=token, score=1, comment="", settings=SETTINGS)
    with pytest.raises(SurveyError, match="already have your rating"):
        survey_subject(engine, token=token, settings=SETTINGS)
    assert _scores(engine) == [4]


def test_no_rating_chosen_records_nothing_and_keeps_the_link(engine: Engine) -> None:
    """Defect (issue 34): the survey preselected 5 stars, so sending without a choice recorded a 5."""
    token = issue_token(engine, ticket_id=_ticket(engine), settings=SETTINGS)
    with pytest.raises(SurveyError, match="choose a rating"):
        submit_rating(engine, token=token, score=None, comment="", settings=SETTINGS)
    assert _scores(engine) == []
    submit_rating(engine, token=token, score=2, comment="", settings=SETTINGS)  # the link still works
    assert _scores(engine) == [2]


@pytest.mark.parametrize("score", [0, 6, -1])
def test_scores_outside_one_to_five_are_refused(engine: Engine, score: int) -> None:
    token = issue_token(engine, ticket_id=_ticket(engine), settings=SETTINGS)
    with pytest.raises(SurveyError, match="1 to 5"):
        submit_rating(engine, token=token, score=score, comment="", settings=SETTINGS)


def test_forged_tokens_are_refused(engine: Engine) -> None:
    ticket_id = _ticket(engine)
    real = issue_token(engine, ticket_id=ticket_id, settings=SETTINGS)
    forged_with_other_key = URLSafeTimedSerializer("attacker", salt=SALT).dumps({"t": ticket_id, "n": "x"})
    unknown_nonce = URLSafeTimedSerializer("k" * 32, salt=SALT).dumps({"t": ticket_id, "n": "never-issued"})
    for token in (real[:-3] + "abc", forged_with_other_key, "garbage", unknown_nonce):
        with pytest.raises(SurveyError, match="not valid"):
            submit_rating(engine, token=token, score=5, comment="", settings=SETTINGS)
    assert _scores(engine) == []


def test_expired_tokens_are_refused(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    token = issue_token(engine, ticket_id=_ticket(engine), settings=SETTINGS)
    import itsdangerous.timed

    later = itsdangerous.timed.time.time() + timedelta(days=15).total_seconds()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    with pytest.raises(SurveyError, match="expired"):
        submit_rating(engine, token=token, score=5, comment="", settings=SETTINGS)


def test_secret_key_is_required_outside_demo_mode(engine: Engine) -> None:
    """The settings themselves refuse (issue 31, finding 11), so no link is ever signed without a key; and
    settings built around the check still do not sign with the demo key."""
    with pytest.raises(ValueError, match="SECRET_KEY is not set"):
        Settings(secret_key=None, demo_mode=False)
    unchecked = Settings.model_construct(secret_key=None, demo_mode=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        issue_token(engine, ticket_id=_ticket(engine), settings=unchecked)


def test_csat_import_reports_bad_rows(engine: Engine) -> None:
    ticket_id = _ticket(engine)
    rows = [
        {"ticket": "Z-9", "score": "5", "comment": "great", "date": "2026-10-01"},
        {"ticket": f"#{ticket_id}", "score": "3", "comment": "", "date": ""},
        {"ticket": "Z-404", "score": "4"},
        {"ticket": "Z-9", "score": "ten"},
        {"ticket": "Z-9", "score": "4", "date": "not a date"},
    ]
    report = import_csat(engine, rows, actor=OPERATOR)
    assert report.created == (ticket_id, ticket_id)
    assert [(e.row, e.error[:12]) for e in report.errors] == [
        (3, "no ticket 'Z"),
        (4, "score 'ten' "),
        (5, "'not a date'"),
    ]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(CsatRow).where(CsatRow.source == "import")) == 2


def test_a_card_number_in_a_survey_or_imported_comment_is_stored_masked(engine: Engine) -> None:
    ticket_id = _ticket(engine)
    token = issue_token(engine, ticket_id=ticket_id, settings=SETTINGS)
    submit_rating(engine, token=token, score=2, comment="refund to 4242 4242 4242 4242!", settings=SETTINGS)
    rows = [{"ticket": "Z-9", "score": "3", "comment": "card 5555-5555-5555-4444", "date": "2026-10-01"}]
    assert import_csat(engine, rows, actor=OPERATOR).created == (ticket_id,)
    assert import_csat(engine, rows, actor=OPERATOR).unchanged == (ticket_id,)  # the same rating, once
    with session_scope(engine) as session:
        comments = list(session.scalars(select(CsatRow.comment).order_by(CsatRow.id)))
    assert comments == ["refund to [card ending 4242]!", "card [card ending 4444]"]
