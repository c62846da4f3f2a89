"""Registry endpoints (units, accounts, grid groups, memberships)."""

from ninja import Router

router = Router(tags=["registry"])
