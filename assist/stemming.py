"""The one English stemmer every word comparison in the product uses: BM25 retrieval (`assist.kb.lexical`) and
key-term coverage in answer selection (`assist.drafting.units`). A leaf module, so both can import it."""

from __future__ import annotations

import Stemmer

STEMMER = Stemmer.Stemmer("english")
