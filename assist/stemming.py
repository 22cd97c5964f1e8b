"""The one English stemmer every word comparison in the product uses: BM25 retrieval (`assist.kb.lexical`) and
key-term coverage in answer selection (`assist.drafting.units`). A leaf module, so both can import it."""

from __future__ import annotations

import re
from collections.abc import Sequence

import Stemmer

# "429s", "500s": customers write an error code in the plural, and Snowball keeps the "s" of a word without a vowel,
# so "hundreds of 429s" shared no word with an article about 429 responses.
_PLURAL_NUMBER = re.compile(r"^(\d+)s$")


class EnglishStemmer:
    """Snowball's English stemmer, with the plural of a number read as the number. `stemWords` is the method
    bm25s and PyStemmer callers use."""

    def __init__(self) -> None:
        self._snowball = Stemmer.Stemmer("english")

    def stemWords(self, words: Sequence[str]) -> list[str]:  # noqa: N802 (PyStemmer's name, which bm25s calls)
        return list(self._snowball.stemWords([_PLURAL_NUMBER.sub(r"\1", w) for w in words]))

    def stemWord(self, word: str) -> str:  # noqa: N802
        return self.stemWords([word])[0]


STEMMER = EnglishStemmer()
