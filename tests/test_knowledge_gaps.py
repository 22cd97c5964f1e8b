from __future__ import annotations

import pandas as pd
import pytest

from assist.embeddings import Embedder
from assist.knowledge_gaps import gap_topics

pytestmark = pytest.mark.model

ROWS = [
    (1, "Dark mode", "Do you have a dark mode for the web app?"),
    (2, "Dark theme", "Is there a dark theme? The white screen hurts my eyes at night."),
    (3, "Night mode please", "Please add a night mode to the dashboard."),
    (4, "Gantt charts", "Can I see my projects as a Gantt chart?"),
    (5, "Timeline view", "Is there a timeline or Gantt view for projects?"),
    (6, "Export a Gantt", "How do I export a Gantt chart of the project plan?"),
    (7, "Gantt for clients", "Can clients see the Gantt timeline in the portal?"),
]


def test_two_obvious_topics_are_found_largest_first(embedder: Embedder) -> None:
    found = gap_topics(pd.DataFrame(ROWS, columns=["ticket_id", "subject", "preview"]), embedder=embedder)
    assert [sorted(t.ticket_ids) for t in found] == [[4, 5, 6, 7], [1, 2, 3]]
    assert found[0].tickets == 4 and len(found[0].examples) == 3
    assert ("Gantt" in found[0].label and "ark" in found[1].label) or "ight" in found[1].label


def test_no_candidates_no_topics(embedder: Embedder) -> None:
    assert gap_topics(pd.DataFrame(columns=["ticket_id", "subject", "preview"]), embedder=embedder) == []


class _Counting:
    """Stands in for the encoder to count what is embedded (the real one is used above)."""

    def __init__(self, real: Embedder) -> None:
        self.real, self.texts = real, []  # type: list[str]

    def encode(self, texts: list[str]) -> object:
        self.texts.extend(texts)
        return self.real.encode(texts)


def test_stored_ticket_vectors_are_used_and_only_the_rest_embedded(embedder: Embedder) -> None:
    """Defect (issue 34): each date change on Metrics embedded up to 300 tickets again (3-11 s)."""
    frame = pd.DataFrame(ROWS, columns=["ticket_id", "subject", "preview"])
    stored = embedder.encode([f"{s}\n{p}" for _, s, p in ROWS])
    frame["vector"] = [v.tobytes() for v in stored]
    frame.loc[0, "vector"] = None  # one ticket not prepared yet
    counting = _Counting(embedder)
    found = gap_topics(frame, embedder=counting)  # type: ignore[arg-type]
    assert counting.texts == ["Dark mode\nDo you have a dark mode for the web app?"]
    assert [sorted(t.ticket_ids) for t in found] == [[4, 5, 6, 7], [1, 2, 3]]
