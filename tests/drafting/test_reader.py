"""The shipped answer reader, loaded for real from the repository over the packaged MiniLM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assist.drafting.reader import MAX_TOKENS, QUESTION_TOKENS, SHIPPED, WEIGHTS, AnswerReader, encode_pairs
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


RATE_LIMITS = "API rate limits"
ON_429 = (
    f"{RATE_LIMITS}: The limit applies per workspace across all your keys, so more clients in one sync means more "
    "429s.",
    f"{RATE_LIMITS}: The API answers 429 rate_limited with a Retry-After header in seconds.",
    f"{RATE_LIMITS}: Wait for Retry-After and retry with exponential backoff and jitter; do not retry immediately in "
    "a loop.",
    f"{RATE_LIMITS}: Use bulk endpoints and updated_since filters to fetch only what changed.",
)


@pytest.mark.xfail(
    strict=True,
    reason="int8 products quantise a batch's activations with one scale; float32 and bfloat16 were measured and "
    "not yet shipped (docs/evaluation.md, 'The answer reader's int8 products')",
)
def test_a_pair_scores_the_same_alone_and_among_the_other_passages_it_is_read_with(reader: AnswerReader) -> None:
    """Open defect: run with int8 products the reader gives the Retry-After sentence -0.43 alone and 2.58 among
    these four (2.77 in float32, alone and together), and on the realistic check half's 158 readings its best
    passage is another than the stored weights' in 60."""
    question = "hundreds of 429s on nightly sync. help"
    together = reader.scores(question, list(ON_429))
    alone = np.array([reader.scores(question, [p])[0] for p in ON_429])
    np.testing.assert_allclose(together, alone, atol=1e-3)


def test_a_long_question_is_cut_to_its_first_word_pieces_in_every_pair_and_each_pair_reads_as_it_would_alone(
    reader: AnswerReader,
) -> None:
    question = "Hello, our approved week has a wrong entry and I cannot find how to change it. " * 6
    short = "Where is the Unlock option?"
    tokens = encode_pairs(reader.tokenizer, [question, short, question], [LOCKED, UNLOCK, SET_UP])
    asked = [ids[1 : ids.index(reader.tokenizer.sep_token_id)] for ids in tokens["input_ids"].tolist()]
    assert len(asked[0]) == QUESTION_TOKENS and asked[0] == asked[2]
    assert asked[1] == reader.tokenizer(short, add_special_tokens=False)["input_ids"]
    assert tokens["input_ids"].shape[1] <= MAX_TOKENS
    # Batched with other pairs, a pair holds the same word pieces as alone (short passages keep all of theirs).
    alone = encode_pairs(reader.tokenizer, [question], [SET_UP])["input_ids"][0].tolist()
    assert [i for i in tokens["input_ids"][2].tolist() if i != reader.tokenizer.pad_token_id] == alone


def test_the_artifact_stays_under_the_25_mb_limit() -> None:
    assert (SHIPPED / WEIGHTS).stat().st_size <= 25 * 1024 * 1024


def test_a_missing_artifact_says_how_to_restore_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="train answers"):
        AnswerReader(tmp_path / "nowhere")
