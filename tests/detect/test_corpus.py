from __future__ import annotations

import json
from collections import Counter

from scanner.detect.corpus import PLACEMENTS, build
from scanner.detect.evaluation import decode_rows
from scanner.paths import data_dir


def test_the_committed_corpus_is_exactly_what_the_generator_builds() -> None:
    committed = (data_dir() / "corpus.jsonl").read_text("utf-8").splitlines()
    rebuilt = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in build()]
    assert committed == rebuilt, "data/corpus.jsonl drifted: run python -m scanner.detect.corpus"


def test_the_held_out_split_separates_servers_and_template_families() -> None:
    rows = decode_rows((data_dir() / "corpus.jsonl").read_bytes().splitlines(), "corpus")
    folds_of: dict[str, set[int | None]] = {}
    for r in rows:
        key = f"server:{r.server}" if r.label == 0 else f"family:{r.family}"
        folds_of.setdefault(key, set()).add(r.fold)
    assert all(len(folds) == 1 for folds in folds_of.values())


def test_every_category_and_placement_is_in_both_folds_and_real_benign_is_large_enough() -> None:
    rows = decode_rows((data_dir() / "corpus.jsonl").read_bytes().splitlines(), "corpus")
    malicious = [r for r in rows if r.label == 1]
    for fold in (0, 1):
        assert {r.category for r in malicious if r.fold == fold} == {r.category for r in malicious}
        assert {r.placement for r in malicious if r.fold == fold} == set(PLACEMENTS)
    real = [r for r in rows if r.category == "benign"]
    assert len(real) >= 500 and len({r.server for r in real}) >= 40
    assert Counter(r.obfuscation for r in malicious)["plain"] < len(malicious)
