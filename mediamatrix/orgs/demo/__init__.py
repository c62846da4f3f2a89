"""The deterministic demo set: one fictional city (scale 1) or a province of cities (scale N).

`generate_demo(scale=1, seed=2026)` always writes the same units, accounts, grid groups and demo
users for the same arguments; `demo_logins()` lists the users (all with `DEMO_PASSWORD`).
"""

from mediamatrix.orgs.demo.generate import (
    BASE_TIME,
    DEMO_PASSWORD,
    DemoError,
    DemoSummary,
    demo_logins,
    generate_demo,
)

__all__ = [
    "BASE_TIME",
    "DEMO_PASSWORD",
    "DemoError",
    "DemoSummary",
    "demo_logins",
    "generate_demo",
]
