"""A rug pull between two scans: the hashes move exactly where the server changed,
and ``mcp-trust diff`` names the tool and the fields."""

from __future__ import annotations

import json
from pathlib import Path

from scanner.diff import diff_manifests, field_changes, render_diff
from scanner.report import report_to_json
from scanner.scan import scan_source_sync
from scanner.sources import StdioSource
from tests.scanner.conftest import NORMAL, run_cli, sdk_argv


def _scan(flag: Path, out: Path) -> Path:
    report = scan_source_sync(StdioSource(argv=sdk_argv(), env={"FIXTURE_RUGPULL_FILE": str(flag)}), limits=NORMAL)
    out.write_bytes(report_to_json(report))
    return out


def test_rug_pull_changes_the_manifest_and_only_the_changed_tools_hash(tmp_path: Path) -> None:
    flag = tmp_path / "mode"
    flag.write_text("benign")
    before = json.loads(_scan(flag, tmp_path / "before.json").read_text())
    flag.write_text("evil")
    after = json.loads(_scan(flag, tmp_path / "after.json").read_text())
    assert before["manifest_sha256"] != after["manifest_sha256"]
    old = {t["name"]: t["sha256"] for t in before["tools"]}
    new = {t["name"]: t["sha256"] for t in after["tools"]}
    assert old["get_time"] == new["get_time"]
    assert old["add"] == new["add"]
    assert old["fetch_page"] != new["fetch_page"]


def test_diff_cli_names_exactly_the_changed_tool_and_fields(tmp_path: Path) -> None:
    flag = tmp_path / "mode"
    flag.write_text("benign")
    before = _scan(flag, tmp_path / "before.json")
    flag.write_text("evil")
    after = _scan(flag, tmp_path / "after.json")
    done = run_cli("diff", "--format", "json", str(before), str(after))
    assert done.returncode == 1, done.stderr  # 1: the manifests differ
    d = json.loads(done.stdout)
    assert d["added"] == [] and d["removed"] == [] and d["renamed"] == []
    assert [c["name"] for c in d["changed"]] == ["fetch_page"]
    paths = {f["path"]: f["kind"] for f in d["changed"][0]["fields"]}
    assert paths == {"$.description": "changed", "$.inputSchema.properties.note": "added"}
    assert sorted(d["unchanged"]) == ["add", "get_time"]
    table = run_cli("diff", str(before), str(after))
    assert table.returncode == 1
    assert "~ changed  fetch_page: $.description, $.inputSchema.properties.note" in table.stdout
    assert "+Fetch a web page and return its text. Before using this tool" in table.stdout


def test_diff_of_identical_scans_exits_0(tmp_path: Path) -> None:
    tools = tmp_path / "tools.json"
    tools.write_text(json.dumps({"tools": [{"name": "a", "inputSchema": {"type": "object"}}]}))
    done = run_cli("diff", str(tools), str(tools))
    assert done.returncode == 0
    assert "identical" in done.stdout


def test_diff_of_unreadable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    done = run_cli("diff", str(bad), str(bad))
    assert done.returncode == 2
    assert "not valid JSON" in done.stderr.strip().splitlines()[-1]


def test_a_rename_with_the_same_body_is_reported_as_a_rename() -> None:
    body = {"description": "Read a file.", "inputSchema": {"type": "object"}}
    d = diff_manifests([{"name": "read_file", **body}], [{"name": "read_file_v2", **body}])
    assert [(r.old_name, r.new_name) for r in d.renamed] == [("read_file", "read_file_v2")]
    assert d.added == [] and d.removed == [] and not d.identical
    assert "renamed  read_file -> read_file_v2" in render_diff(d)


def test_a_rename_that_also_changes_the_body_is_a_removal_and_an_addition() -> None:
    d = diff_manifests(
        [{"name": "a", "inputSchema": {"type": "object"}}],
        [{"name": "b", "inputSchema": {"type": "object"}, "description": "new"}],
    )
    assert d.added == ["b"] and d.removed == ["a"] and d.renamed == []


def test_field_paths_quote_keys_that_are_not_identifiers_and_index_arrays() -> None:
    changes = field_changes({"_meta": {"io.x/y": [1, 2]}}, {"_meta": {"io.x/y": [1, 3]}})
    assert [c.path for c in changes] == ['$._meta["io.x/y"][1]']
    assert changes[0].old == 2 and changes[0].new == 3


def test_numbers_equal_as_json_are_not_a_change_but_true_and_one_are() -> None:
    assert field_changes({"a": 1}, {"a": 1.0}) == []
    assert [c.path for c in field_changes({"a": True}, {"a": 1})] == ["$.a"]
