from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.detect.detector import bundled_rules, default_detector
from scanner.detect.engine import CompiledRules
from scanner.detect.rules import Rule, RuleError, load_rule_file, load_rules, load_taxonomy
from scanner.detect.schema import rules_json_schema
from scanner.paths import data_dir, project_root, rules_dir
from tests.detect.helpers import example_surface

RULES = bundled_rules().rules
EXAMPLES = [
    pytest.param(rule, text, expected, id=f"{rule.id}-{'match' if expected else 'no'}-{i}")
    for rule in RULES
    for expected, texts in ((True, rule.examples.match), (False, rule.examples.no_match))
    for i, text in enumerate(texts)
]

VALID_RULE = """
[[rules]]
id = "X-1"
category = "concealment"
severity = "high"
confidence = "high"
summary = "s"
remediation = "r"
references = []
fields = ["description"]
[rules.matcher]
type = "regex"
patterns = ['hide\\s+this']
[rules.examples]
match = ["hide this"]
no_match = ["show this"]
"""


@pytest.mark.parametrize(("rule", "text", "expected"), EXAMPLES)
def test_every_rule_example_matches_or_not_as_documented(rule: Rule, text: str, expected: bool) -> None:
    analysis = default_detector().analyse(example_surface(rule, text))
    fired = {f.rule_id for f in analysis.tool_findings[0] + analysis.server_findings}
    assert (rule.id in fired) is expected, (rule.id, text, sorted(fired))


def test_every_rule_ships_matching_and_non_matching_examples() -> None:
    for rule in RULES:
        assert rule.examples.match and rule.examples.no_match, rule.id
        assert rule.summary and rule.remediation and rule.references, rule.id


def test_every_taxonomy_category_but_name_squatting_has_rules() -> None:
    categories = {c.id for c in load_taxonomy(data_dir() / "taxonomy.toml").categories}
    covered = {r.category for r in RULES}
    assert categories - covered == {"typosquatting"}  # typosquatting is a name check, not text


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_misspelt_key_is_an_error_naming_the_file_and_json_path(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID_RULE.replace("severity =", "severty ="))
    with pytest.raises(RuleError) as err:
        load_rule_file(path)
    assert str(path) in str(err.value)
    assert "severty" in str(err.value) and "$.rules[0]" in str(err.value)


def test_an_unknown_key_inside_the_matcher_is_an_error_with_its_path(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID_RULE.replace('type = "regex"', 'type = "regex"\nflags = 1'))
    with pytest.raises(RuleError, match=r"\$\.rules\[0\]\.matcher"):
        load_rule_file(path)


def test_a_bad_severity_value_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID_RULE.replace('severity = "high"', 'severity = "urgent"'))
    with pytest.raises(RuleError, match="severity"):
        load_rule_file(path)


def test_an_unknown_category_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path, VALID_RULE.replace('"concealment"', '"made_up"'))
    taxonomy = load_taxonomy(data_dir() / "taxonomy.toml")
    with pytest.raises(RuleError, match="unknown category 'made_up'"):
        load_rules(tmp_path, taxonomy)


def test_patterns_that_need_backtracking_are_refused_because_only_re2_runs_them(
    tmp_path: Path,
) -> None:
    # a backreference and a lookahead: both need a backtracking engine (ReDoS territory)
    for pattern in ["(a+)\\1", "foo(?=bar)"]:
        _write(tmp_path, VALID_RULE.replace("hide\\s+this", pattern))
        taxonomy = load_taxonomy(data_dir() / "taxonomy.toml")
        with pytest.raises(RuleError, match="not an RE2 pattern"):
            CompiledRules(load_rules(tmp_path, taxonomy))


def test_toml_syntax_errors_name_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[[rules]\nid=")
    with pytest.raises(RuleError, match=str(path).replace("\\", "\\\\")):
        load_rule_file(path)


def test_the_published_rule_schema_matches_the_structs() -> None:
    committed = (project_root() / "docs" / "rules.schema.json").read_text("utf-8")
    assert committed == rules_json_schema(), (
        "docs/rules.schema.json drifted: run python -m scanner.detect.schema > docs/rules.schema.json"
    )


def test_every_rule_file_validates_against_the_published_schema() -> None:
    import tomllib

    import jsonschema

    schema = json.loads(rules_json_schema())
    for path in sorted(rules_dir().glob("*.toml")):
        jsonschema.validate(tomllib.loads(path.read_text("utf-8")), schema)
