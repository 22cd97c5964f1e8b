"""The one guard every knowledge-base file parser runs under: `run_parser`.

An upload may be hostile or simply broken: nested thousands of levels deep (recursive parsers overflow
the stack), ten thousand pages long, or slow to decode. Each parser checks the limits of a `Budget` before
its heavy work (pages before extracting, element depth before converting, the clock between steps), and
`run_parser` turns anything else that goes wrong into that file's own `ValidationError`: one bad file is
reported, and the other files of the upload are ingested.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from assist.errors import ValidationError

T = TypeVar("T")
Clock = Callable[[], float]


@dataclass(frozen=True)
class ParseLimits:
    """What one file may cost. The defaults leave real help-center documents far inside every limit."""

    max_depth: int = 100  # nested HTML elements; markdownify recurses about three frames per level
    max_pages: int = 500  # PDF pages (the probe's 10,000-page PDF took 539 s to extract)
    max_chars: int = 5_000_000  # extracted text (a compressed PDF can inflate far beyond its size)
    max_seconds: float = 60.0  # checked between steps (PDF pages, parse stages), not by interrupting one


class Budget:
    """The limits of one file, checked by its parser before the expensive steps."""

    def __init__(self, name: str, limits: ParseLimits, clock: Clock) -> None:
        self.name, self.limits, self._clock = name, limits, clock
        self._started = clock()

    def tick(self) -> None:
        """Refuse the file once it has taken longer than the time limit."""
        if self._clock() - self._started > self.limits.max_seconds:
            raise ValidationError(
                f"{self.name}: reading it took longer than {self.limits.max_seconds:g} s, so it was skipped. "
                "Split the document or export it again (a PDF printed from the source reads faster)."
            )

    def pages(self, count: int) -> None:
        if count > self.limits.max_pages:
            raise ValidationError(
                f"{self.name}: the document has {count:,} pages; at most {self.limits.max_pages:,} are read. "
                "Split it into one file per topic."
            )

    def depth(self, levels: int) -> None:
        if levels > self.limits.max_depth:
            raise ValidationError(
                f"{self.name}: elements are nested {levels:,} levels deep (at most {self.limits.max_depth}). "
                "Save the page as simpler HTML or upload its text."
            )

    def chars(self, count: int) -> None:
        if count > self.limits.max_chars:
            raise ValidationError(
                f"{self.name}: the document holds more than {self.limits.max_chars:,} characters of text. "
                "Split it into smaller documents."
            )


def run_parser(name: str, parse: Callable[[Budget], T], *, limits: ParseLimits, clock: Clock = time.monotonic) -> T:
    """Run `parse` for the file `name` within `limits`; any failure becomes the file's ValidationError.

    Raises:
        ValidationError: the parser refused the file, a limit was reached, or the parser failed in any way.
    """
    budget = Budget(name, limits, clock)
    try:
        return parse(budget)
    except ValidationError:
        raise
    except RecursionError as e:  # a structure nested deeper than any check above foresaw
        raise ValidationError(
            f"{name}: the file is nested too deeply to read. Save it as a simpler document and upload it again."
        ) from e
    except Exception as e:  # parsers raise many kinds (and MemoryError is one too): each is this file's problem
        raise ValidationError(
            f"{name}: the file could not be read ({type(e).__name__}: {str(e)[:120]}). "
            "Check that it opens correctly, or export it again."
        ) from e
