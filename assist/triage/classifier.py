"""A text classifier over two views of the text: MiniLM sentence embeddings (meaning) and TF-IDF
word and character n-grams (exact wording, product names, error codes), with one logistic
regression on top. Persisted with skops (no pickle), so loading a model file runs no code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

EMBEDDING_WEIGHT = 2.0  # puts the dense block on a footing with the (many) sparse features


class TextClassifier:
    def __init__(self, *, c: float = 10.0) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion

        self.tfidf = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True)),
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
            ]
        )
        self.model = LogisticRegression(C=c, max_iter=2000)
        self.labels: list[str] = []

    def _features(self, texts: Sequence[str], vectors: npt.NDArray[np.float32]) -> Any:
        return sparse.hstack([sparse.csr_matrix(vectors * EMBEDDING_WEIGHT), self.tfidf.transform(texts)]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[str], vectors: npt.NDArray[np.float32]) -> TextClassifier:
        self.tfidf.fit(texts)
        self.model.fit(self._features(texts, vectors), labels)
        self.labels = [str(label) for label in self.model.classes_]
        return self

    def predict_proba(self, texts: Sequence[str], vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        probabilities: npt.NDArray[np.float64] = self.model.predict_proba(self._features(texts, vectors))
        return probabilities

    def save(self, path: Path) -> None:
        import skops.io as sio

        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump({"tfidf": self.tfidf, "model": self.model, "labels": self.labels}, path)

    @classmethod
    def load(cls, path: Path) -> TextClassifier:
        import skops.io as sio

        # Only types skops trusts by default (scikit-learn, numpy, scipy): a tampered file fails to load.
        state = sio.load(path)
        classifier = cls.__new__(cls)
        classifier.tfidf, classifier.model, classifier.labels = state["tfidf"], state["model"], list(state["labels"])
        return classifier
