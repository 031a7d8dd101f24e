"""Split real_benign.jsonl by server into a development half and a test half.

The development half (`real_benign_dev.jsonl`) was read to find false-positive patterns
and is part of the classifier's training rows; the test half (`real_benign_test.jsonl`)
is only ever measured. Deterministic: a server's half is a bit of the SHA-256 of its name.

    python3 data/holdout3/split.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def half(server: str) -> int:
    return hashlib.sha256(b"v3-split:" + server.encode()).digest()[0] % 2


def main() -> None:
    lines = (HERE / "real_benign.jsonl").read_text("utf-8").splitlines()
    parts: dict[int, list[str]] = {0: [], 1: []}
    for line in lines:
        parts[half(json.loads(line)["server"])].append(line)
    (HERE / "real_benign_dev.jsonl").write_text("".join(f"{x}\n" for x in parts[0]), "utf-8")
    (HERE / "real_benign_test.jsonl").write_text("".join(f"{x}\n" for x in parts[1]), "utf-8")


if __name__ == "__main__":
    main()
