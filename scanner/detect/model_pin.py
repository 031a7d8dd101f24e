"""The SHA-256 the bundled classifier (``data/model.json``) must have.

Pinned in code, not in a file beside the model: whoever can replace the model cannot
also replace what it is checked against without changing the package itself.
Generated: ``mcp-trust train`` rewrites this file when it writes the bundled model,
so the two change together in one reviewed commit.
"""

MODEL_SHA256 = "85a4e649bae8a9fa186c3c56872324e70772756d287136614ed56ef114b5031b"
