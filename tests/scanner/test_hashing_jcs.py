"""The canonical hash against RFC 8785 and two independent JCS implementations."""

from __future__ import annotations

import decimal
import hashlib
import json
import shutil
import struct
import subprocess
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.contract.hashing import CanonicalizationError, canonical_json, manifest_sha256, tool_sha256

# RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
RFC_NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def _double(bits: str) -> float:
    return float(struct.unpack(">d", bytes.fromhex(bits))[0])


@pytest.mark.parametrize(("bits", "text"), RFC_NUMBERS)
def test_numbers_serialise_as_rfc8785_appendix_b(bits: str, text: str) -> None:
    assert canonical_json(_double(bits)) == text.encode()


@pytest.mark.parametrize("bits", ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"])
def test_nan_and_infinity_have_no_canonical_form(bits: str) -> None:
    with pytest.raises(CanonicalizationError):
        canonical_json(_double(bits))


def test_rfc8785_section_3_2_2_example_canonicalises_exactly() -> None:
    text = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical_json(json.loads(text)) == expected.encode()


def test_keys_sort_by_utf16_code_units_as_in_rfc8785_section_3_2_3() -> None:
    obj = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    order = list(json.loads(canonical_json(obj)).values())
    assert order == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",  # a surrogate pair sorts before U+FB33 in UTF-16
        "Hebrew Letter Dalet With Dagesh",
    ]


def test_control_characters_escape_as_lowercase_u_sequences_and_short_forms() -> None:
    s = "".join(chr(c) for c in range(0x20)) + '"\\/\u007f\u2028'
    out = canonical_json(s).decode()
    assert out.startswith('"\\u0000\\u0001')
    assert "\\b\\t\\n\\u000b\\f\\r" in out
    assert "\\u001f" in out
    assert out.endswith('\\"\\\\/\u007f\u2028"')


# ---- an independent implementation written from the RFC text -----------------------


def _es_number(x: float) -> str:
    """ECMAScript Number::toString (the RFC defers to it), from the shortest round-trip digits."""
    if x == 0:
        return "0"
    if x < 0:
        return "-" + _es_number(-x)
    _sign, digits_t, exp = decimal.Decimal(repr(x)).as_tuple()
    assert isinstance(exp, int)
    digits = "".join(map(str, digits_t)).rstrip("0")
    exp += len(digits_t) - len(digits)
    k = len(digits)
    n = exp + k
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mant = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mant}e{'+' if e >= 0 else '-'}{abs(e)}"


_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _es_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def independent_jcs(v: Any) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v) if abs(v) <= 2**53 else _es_number(float(v))
    if isinstance(v, float):
        return _es_number(v)
    if isinstance(v, str):
        return _es_string(v)
    if isinstance(v, list):
        return "[" + ",".join(independent_jcs(x) for x in v) + "]"
    keys = sorted(
        v,
        key=lambda k: [
            int.from_bytes(k.encode("utf-16-be")[i : i + 2]) for i in range(0, len(k.encode("utf-16-be")), 2)
        ],
    )
    return "{" + ",".join(_es_string(k) + ":" + independent_jcs(v[k]) for k in keys) + "}"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None, database=None)
@given(json_values)
def test_hash_input_matches_an_independent_jcs_written_from_the_rfc(value: Any) -> None:
    assert canonical_json(value).decode("utf-8") == independent_jcs(value)


_NODE_JCS = r"""
const canon = v => v === null || typeof v !== 'object' ? JSON.stringify(v)
  : Array.isArray(v) ? '[' + v.map(canon).join(',') + ']'
  : '{' + Object.keys(v).sort().map(k => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
let input = '';
process.stdin.on('data', d => input += d);
process.stdin.on('end', () => {
  for (const v of JSON.parse(input)) process.stdout.write(canon(v) + '\n');
});
"""


@pytest.mark.npm
@settings(max_examples=15, deadline=None, database=None)
@given(st.lists(json_values, min_size=20, max_size=40))
def test_hash_input_matches_javascript_json_stringify_with_sorted_keys(values: list[Any]) -> None:
    # JS sorts keys by UTF-16 code units and formats numbers exactly as JCS requires.
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, "-e", _NODE_JCS], input=json.dumps(values).encode(), capture_output=True, timeout=60, check=True
    )
    lines = done.stdout.decode("utf-8").split("\n")[:-1]
    assert lines == [canonical_json(v).decode("utf-8") for v in values]


def test_tool_hash_is_sha256_of_canonical_bytes_and_manifest_sorts_by_name() -> None:
    a = {"name": "b", "inputSchema": {"type": "object"}, "description": "x"}
    b = {"name": "a", "inputSchema": {"type": "object"}}
    assert (
        tool_sha256(a) == hashlib.sha256(b'{"description":"x","inputSchema":{"type":"object"},"name":"b"}').hexdigest()
    )
    expected = hashlib.sha256(b"[" + canonical_json(b) + b"," + canonical_json(a) + b"]").hexdigest()
    assert manifest_sha256([a, b]) == manifest_sha256([b, a]) == expected


edge_values = st.recursive(
    st.sampled_from([0.0, -0.0, 1.0, 1e3, 1e-4, 9.99e-5, 1e16, 1e15 + 0.5, 2.0**53, 2.0**53 + 2, 1e21, 1e-7])
    | st.integers(min_value=2**53 - 3, max_value=2**53 + 3)
    | st.text(alphabet=st.sampled_from(["a", "\U0001f600", "\ufb33", "\u20ac", "\r", "\x00"]), max_size=3),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet=st.sampled_from(["a", "\U0001f600", "\ufb33", "1"]), max_size=3), children)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None, database=None)
@given(st.one_of(json_values, edge_values))
def test_fast_path_and_the_general_rfc8785_path_give_identical_bytes(value: Any) -> None:
    import rfc8785

    from scanner.contract.hashing import _to_ijson

    assert canonical_json(value) == bytes(rfc8785.dumps(_to_ijson(value)))
