"""Signed approval snapshots, registry side (engineer F): ``GET /v1/approvals/snapshot``."""
