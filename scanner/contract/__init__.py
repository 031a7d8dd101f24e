"""The contract the scanner, the registry and the gateway enforcer share, written once:
canonical hashing (``hashing``), the surface an agent reads and its hashes (``surface``),
review states (``states``), the verify wire types (``wire``), the one decision rule
(``decide``) and signed approval snapshots (``snapshot``).

Importing it loads nothing else of ``scanner`` (a fresh-process test checks), so the
enforcer can embed it and stay thin.
"""
