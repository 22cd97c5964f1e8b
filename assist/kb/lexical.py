"""BM25 over the live chunks (bm25s with a Snowball stemmer), rebuilt whenever the KB changes."""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np
import numpy.typing as npt

from assist.stemming import STEMMER


class LexicalIndex:
    def __init__(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        self.ids = list(ids)
        self._retriever = bm25s.BM25()
        if self.ids:
            tokens = bm25s.tokenize(list(texts), stemmer=STEMMER, show_progress=False)
            self._retriever.index(tokens, show_progress=False)

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every chunk, in `ids` order."""
        if not self.ids:
            return np.zeros(0, dtype=np.float32)
        tokens = bm25s.tokenize([query], stemmer=STEMMER, return_ids=False, show_progress=False)[0]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
