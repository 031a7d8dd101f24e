"""``python -m registry.snapshot.keys [--key PATH] [--pem]``: print the registry's snapshot
public key (raw base64 by default), creating the key pair if it does not exist yet.
Give the output to enforcers as ``--public-key-base64`` or save it for ``--public-key``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from registry.settings import Settings
from registry.snapshot.signing import (
    SigningKeyError,
    key_path,
    load_or_create_key,
    public_key_base64,
    public_key_pem,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m registry.snapshot.keys", description=__doc__)
    parser.add_argument("--key", help="private key file (default: MCP_TRUST_SIGNING_KEY_PATH or data dir)")
    parser.add_argument("--pem", action="store_true", help="print PEM instead of raw base64")
    args = parser.parse_args(argv)
    path = Path(args.key) if args.key else key_path(Settings.from_env())
    try:
        key = load_or_create_key(path)
    except (SigningKeyError, OSError) as exc:
        print(f"mcp-trust: {exc}", file=sys.stderr)
        return 2
    print(public_key_pem(key) if args.pem else public_key_base64(key), end="" if args.pem else "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
