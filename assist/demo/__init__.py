"""The deterministic demo workspace for the fictional SaaS "Lumen" (`seed`) and its words (`content`)."""

from assist.demo.seed import DEMO_PASSWORDS, DemoSummary, seed_demo

__all__ = ["DEMO_PASSWORDS", "DemoSummary", "seed_demo"]
