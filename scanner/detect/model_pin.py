"""The SHA-256 the bundled classifier (``data/model.json``) must have.

Pinned in code, not in a file beside the model: whoever can replace the model cannot
also replace what it is checked against without changing the package itself.
Generated: ``mcp-trust train`` rewrites this file when it writes the bundled model,
so the two change together in one reviewed commit.
"""

MODEL_SHA256 = "f65dd8d00cf8aaf7faf54fb7ccc6172259506d14ee7598df9de982f123e56a83"
