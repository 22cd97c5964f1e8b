"""The shipped answer reader, loaded for real from the repository over the packaged MiniLM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assist.drafting.reader import SHIPPED, WEIGHTS, AnswerReader
from assist.errors import ConfigError

pytestmark = pytest.mark.model

ARTICLE = "Timesheet approvals"
LOCKED = f"{ARTICLE}: Only approved time can be added to invoices."
UNLOCK = (
    f"{ARTICLE}: Approved entries are locked; an admin can unlock a week from Approvals → ⋯ → Unlock if a "
    "correction is needed."
)
SET_UP = f"{ARTICLE}: Turn on Settings → Time → Require approval and choose approvers per project."


@pytest.fixture(scope="module")
def reader() -> AnswerReader:
    return AnswerReader()


def test_the_sentence_that_answers_outscores_the_one_that_restates_the_problem(reader: AnswerReader) -> None:
    scores = reader.scores("Where is the Unlock option? My approved week has a wrong entry.", [LOCKED, UNLOCK, SET_UP])
    assert int(np.argmax(scores)) == 1


def test_the_question_decides_not_the_shared_words(reader: AnswerReader) -> None:
    setup = reader.scores("How do we turn on timesheet approval for our projects?", [LOCKED, UNLOCK, SET_UP])
    assert int(np.argmax(setup)) == 2


def test_int8_products_rank_passages_as_the_stored_weights_do(reader: AnswerReader) -> None:
    exact = AnswerReader(int8=False)
    question = "Can an admin fix an approved timesheet?"
    fast, slow = reader.scores(question, [LOCKED, UNLOCK, SET_UP]), exact.scores(question, [LOCKED, UNLOCK, SET_UP])
    # The order is what selection uses (answer selection and confidence were fitted on the int8 scores).
    assert list(np.argsort(fast)) == list(np.argsort(slow))


def test_the_artifact_stays_under_the_25_mb_limit() -> None:
    assert (SHIPPED / WEIGHTS).stat().st_size <= 25 * 1024 * 1024


def test_a_missing_artifact_says_how_to_restore_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="train answers"):
        AnswerReader(tmp_path / "nowhere")
