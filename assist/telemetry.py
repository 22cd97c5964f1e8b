"""Per-step timing, plus OpenTelemetry spans when an OTLP endpoint is configured.

Without OTLP_ENDPOINT the OpenTelemetry API's no-op tracer is used, so spans cost nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace

from assist.config import Settings

_configured = threading.Lock()
_done = False


def configure(settings: Settings) -> None:
    """Install an OTLP exporter once per process when `otlp_endpoint` is set."""
    global _done
    if not settings.otlp_endpoint:
        return
    with _configured:
        if _done:
            return
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        provider = TracerProvider(resource=Resource.create({"service.name": "assist-console"}))
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otlp_endpoint)))
        trace.set_tracer_provider(provider)
        _done = True


class StepTimer:
    """Times named steps into `timings_ms` and wraps each in a span."""

    def __init__(self) -> None:
        self.timings_ms: dict[str, float] = {}
        self._started = time.perf_counter()
        self._tracer = trace.get_tracer("assist.pipeline")

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        with self._tracer.start_as_current_span(name):
            yield
        self.timings_ms[name] = round((time.perf_counter() - started) * 1000, 2)

    @contextmanager
    def run(self, name: str, **attributes: str | int) -> Iterator[None]:
        self._started = time.perf_counter()
        with self._tracer.start_as_current_span(name, attributes=attributes):
            yield
        self.timings_ms["total"] = self.elapsed_ms()

    def elapsed_ms(self) -> float:
        """Time since `run` began (for a total recorded before the run's last step, the store, finishes)."""
        return round((time.perf_counter() - self._started) * 1000, 2)
