from __future__ import annotations

from scanner.detect import find_name_collisions
from scanner.detect.typosquat import canonical, squats


def test_a_one_letter_swap_of_a_known_server_is_a_squat() -> None:
    (hit,) = squats("githbu-mcp", "servers")
    assert hit.existing == "github" and hit.reason == "edit_distance" and hit.distance == 1


def test_homoglyph_names_are_caught_even_at_distance_zero() -> None:
    (hit,) = squats("gіthub", "servers")  # Cyrillic і
    assert hit.reason == "homoglyph"


def test_genuine_and_allowed_names_are_not_squats() -> None:
    assert squats("github", "servers") == []
    assert squats("GitHub-MCP", "servers") == []
    assert squats("read_files", "tools") == []  # on the allowed list
    assert squats("@playwright/mcp", "servers") == []  # an npm scope is no look-alike


def test_names_are_compared_without_case_separators_or_mcp_affixes() -> None:
    assert canonical("MCP-Server_GitHub") == canonical("github server") == "github"


def test_registry_collisions_report_each_look_alike_but_not_exact_duplicates() -> None:
    existing = ["io.github.acme/crm", "io.github.acme/crn", "io.github.other/payments"]
    hits = find_name_collisions("io.github.acme/crm", existing)
    assert [h.existing for h in hits] == ["io.github.acme/crn"]


def test_short_names_are_not_judged() -> None:
    assert find_name_collisions("git", ["gif", "get"]) == []
