"""Signed approval snapshots, registry side: ``GET /v1/approvals/snapshot``."""
