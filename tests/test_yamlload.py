from __future__ import annotations

import pytest

from macros.yamlload import LineDict, LineList, YamlError, line_of, parse_yaml


def test_values_remember_their_lines() -> None:
    root = parse_yaml("a: 1\nb:\n  - x: 2015-08-07\n    y: yes\n  - 'q'\n")
    assert isinstance(root, LineDict)
    assert root == {"a": 1, "b": [{"x": "2015-08-07", "y": "yes"}, "q"]}
    assert root.key_lines == {"a": 1, "b": 2}
    assert isinstance(root["b"], LineList)
    assert root["b"].item_lines == [3, 5]
    assert line_of(root, ("b", 0, "y"), 0) == 4
    assert line_of(root, ("b", 7), 0) == 3  # past the end: the line where the list starts


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: 2012", 2012),
        ("v: '2012'", "2012"),
        ("v: 2015-08-07", "2015-08-07"),  # dates stay text, precision intact
        ("v: 1.5", 1.5),
        ("v: yes", "yes"),  # YAML 1.2: not a boolean
        ("v: true", True),
        ("v: null", None),
        ("v: ~", None),
        ("v:", None),
        ("v: -3", -3),
        ("v: +3", 3),
        ("v: .5", 0.5),
        ("v: 1e3", 1000.0),
        ("v: .5 km", ".5 km"),
        ("v: -x", "-x"),
        ("v: ٣", "٣"),  # a digit, but not of the core schema's numbers
        ("v: 'true'", "true"),
        ("v: True", True),
        ("v: |\n  two\n  lines\n", "two\nlines\n"),
        ("v: [1, '2', x]", [1, "2", "x"]),
    ],
)
def test_scalars_follow_yaml_1_2_core(text: str, value: object) -> None:
    assert parse_yaml(text)["v"] == value


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first given on line 1)"),
        ("a: &x [1]\nb: *x\n", 1, "anchor '&x' is not allowed"),
        ("a: [1]\nb: *x\n", 2, "alias '*x' is not allowed"),
        ("a: 1\n*x : 2\n", 2, "alias '*x' is not allowed"),
        ("- a\n- &x b\n", 2, "anchor '&x' is not allowed"),
        ("a:\n  b: !t [1]\n", 2, "tag '!t' is not allowed"),
        ("- {a: 1, a: 2}\n", 1, "duplicate key 'a'"),
        ("a: !!python/object:os.system 1\n", 1, "tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
        ("a:\n\t- 1\n", 2, "a tab character is used for indentation"),
        ("a: 1\n---\nb: 2\n", 2, "a second YAML document"),
        ("? [1]\n: 2\n", 1, "a mapping key must be a plain word"),
        ("a: [1\nb: 2\n", 2, "YAML syntax error"),
        ('a: "open\n', 1, "the quotation mark opened on this line is never closed"),
        ('a: "open\nb: 2\nc: "x"\n', 1, "not closed where the text ends, so the quoted text runs on to line 3"),
    ],
)
def test_refused_yaml(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml(text)
    assert caught.value.line == line
    assert message in caught.value.message


def test_flow_and_nested_collections_remember_their_lines() -> None:
    root = parse_yaml("a:\n  - [x,\n     y]\n  - {k: v,\n     w: 2}\nb: 3\n")
    assert root == {"a": [["x", "y"], {"k": "v", "w": 2}], "b": 3}
    assert root.key_lines == {"a": 1, "b": 6}
    assert root["a"].item_lines == [2, 4]
    assert root["a"][0].item_lines == [2, 3]
    assert root["a"][1].key_lines == {"k": 4, "w": 5}


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    with pytest.raises(YamlError, match="is not allowed"):
        parse_yaml(bomb)


def test_deep_nesting_does_not_overflow_the_stack() -> None:
    depth = 5000
    root = parse_yaml("v: " + "[" * depth + "]" * depth + "\n")
    node = root["v"]
    for _ in range(depth - 1):
        node = node[0]
    assert node == []


def test_empty_document_is_none() -> None:
    assert parse_yaml("") is None
    assert parse_yaml("# only a comment\n") is None
