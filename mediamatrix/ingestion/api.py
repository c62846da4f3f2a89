"""Ingestion endpoints (push API for posts and metrics)."""

from ninja import Router

router = Router(tags=["ingestion"])
