"""Load the models when the server starts, not when the first agent opens a ticket.

The process-wide resources are built once, in a background thread started by the launcher
(`python -m ui.serve`, which `make run` uses) or by the first page view; pages that need the
models ask `ready()` and show a "warming up" state instead of a 30-second spinner.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from assist import (
    Assistant,
    Courier,
    Embedder,
    SentimentModel,
    Settings,
    build_answer_reader,
    build_assistant,
    build_courier,
    build_embedder,
    build_engine,
    build_sentiment_model,
    warm_up,
)

if TYPE_CHECKING:
    from assist import AnswerReader

log = logging.getLogger("assist.ui")
_lock = threading.Lock()
_done = threading.Event()
_thread: threading.Thread | None = None
_engine: Engine | None = None
_assistant: Assistant | None = None
_error: BaseException | None = None
_courier: Courier | None = None
_seconds = 0.0


def engine(settings: Settings) -> Engine:
    """The process's one Engine (the database is needed long before the models)."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = build_engine(settings)
        return _engine


def courier(settings: Settings) -> Courier:
    """The process's delivery worker, started on first use (a Send wakes it with `notify`)."""
    global _courier
    built = engine(settings)
    with _lock:
        if _courier is None:
            _courier = build_courier(settings, engine=built).start()
        return _courier


def start(settings: Settings, *, on_ready: Callable[[float], None] | None = None) -> None:
    """Begin loading the models in the background (once per process), and start delivering replies."""
    global _thread
    courier(settings)  # replies queued before a restart go out without waiting for the next Send
    with _lock:
        if _thread is not None:
            return
        _thread = threading.Thread(target=_load, args=(settings, on_ready), name="assist-warm-up", daemon=True)
        _thread.start()


@dataclass(frozen=True)
class _Models:
    """The networks, which depend on these settings and not on the database: loading them is most of a start,
    so a `reset` (another database) keeps them."""

    key: tuple[object, ...]
    embedder: Embedder
    reader: AnswerReader
    sentiment: SentimentModel


_models: _Models | None = None


def _models_for(settings: Settings) -> _Models:
    global _models
    key = (settings.torch_threads, settings.sentiment_model, tuple(sorted((settings.sentiment_labels or {}).items())))
    if _models is None or _models.key != key:
        _models = _Models(
            key=key,
            embedder=build_embedder(settings),
            reader=build_answer_reader(settings),
            sentiment=build_sentiment_model(settings),
        )
    return _models


def _load(settings: Settings, on_ready: Callable[[float], None] | None) -> None:
    global _assistant, _error, _seconds
    started = time.perf_counter()
    try:
        models = _models_for(settings)
        built = build_assistant(
            settings,
            engine=engine(settings),
            embedder=models.embedder,
            reader=models.reader,
            sentiment=models.sentiment,
        )
        warm_up(built)
        _assistant = built
    except BaseException as e:  # reported to every page that needs the models
        _error = e
        log.exception("Loading the models failed")
    finally:
        _seconds = time.perf_counter() - started
        _done.set()
    if _assistant is not None and on_ready is not None:
        on_ready(_seconds)
    _prepare_charts()


def _prepare_charts() -> None:
    """After "ready": pandas and plotly's figure machinery load on first use (about 1 s on two cores, most of
    the server's part of a lead's first Metrics open); one small figure drawn here loads them."""
    try:
        from ui import metrics_view

        metrics_view.warm()
    except Exception:  # an optimisation: Metrics loads them itself when it must
        log.exception("Preparing the dashboard's charts failed")


def reset() -> None:
    """Forget this process's resources (tests that switch databases between runs)."""
    global _thread, _engine, _assistant, _error, _courier
    if _thread is not None:
        _thread.join()
    if _courier is not None:
        _courier.stop()
        _courier = None
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _thread, _engine, _assistant, _error = None, None, None, None
        _done.clear()


def ready() -> bool:
    return _done.is_set()


def assistant(settings: Settings) -> Assistant:
    """The loaded models (waits for the warm-up if it is still running)."""
    start(settings)
    _done.wait()
    if _error is not None:
        raise _error
    assert _assistant is not None
    return _assistant
