"""The deterministic demo workspace for the fictional SaaS "Lumen": `seed` builds it, `story` plays each ticket's
thread, `content` indexes the questions (`topics/`, shaped by `wording`), `voices` and `people` hold how customers
and agents write, and `scenarios` the tickets it always holds."""

from assist.authentication import DEMO_PASSWORDS
from assist.demo.seed import DemoSummary, seed_demo

__all__ = ["DEMO_PASSWORDS", "DemoSummary", "seed_demo"]
