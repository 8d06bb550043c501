"""Mini-notation parser: tree shapes, PEG details that match Strudel, seeds, errors."""

from __future__ import annotations

import pytest

from livestudio.errors import MiniNotationError
from livestudio.patterns.mini.ast import (
    Atom,
    Degrade,
    Element,
    Euclid,
    Group,
    Range,
    Replicate,
    Stretch,
    Tail,
    weight_of,
)
from livestudio.patterns.mini.parser import MAX_DEPTH, parse
from livestudio.patterns.mini.values import atom_value, js_number


def steps(source: str) -> list[Element]:
    node = parse(source)
    assert isinstance(node, Group) and node.kind == "seq"
    return list(node.children)  # type: ignore[arg-type]


def words(source: str) -> list[str]:
    return [el.body.text for el in steps(source)]  # type: ignore[union-attr]


def seeds(node: object) -> list[tuple[str, int]]:
    """(what, seed) for every random construct, in tree order."""
    out: list[tuple[str, int]] = []
    if isinstance(node, Group):
        for child in node.children:
            out += seeds(child)
        if node.kind in ("choose", "feet"):
            out.append((node.kind, node.seed))  # type: ignore[arg-type]
    elif isinstance(node, Element):
        out += seeds(node.body)
        for op in node.ops:
            if isinstance(op, Degrade):
                out.append(("?", op.seed))
            elif isinstance(op, Stretch):
                out += seeds(op.amount)
            elif isinstance(op, Euclid):
                out += seeds(op.pulse) + seeds(op.steps) + seeds(op.rotation)
    return out


def test_sequence_atoms_and_offsets() -> None:
    els = steps("bd  sn:3 ~")
    assert [el.body for el in els] == [Atom("bd", 0, 2), Atom("sn", 4, 6), Atom("~", 9, 10)]
    assert els[1].ops == (Tail(Atom("3", 7, 8)),)
    assert els[2].body.is_rest  # type: ignore[union-attr]


def test_empty_and_blank_strings_are_none() -> None:
    assert parse("") is None
    assert parse(" \t\n") is None


@pytest.mark.parametrize("source, kind", [
    ("a, b", "stack"), ("a | b", "choose"), ("a . b", "feet"), ("a b", "seq"),
])
def test_top_level_separators(source: str, kind: str) -> None:
    assert parse(source).kind == kind  # type: ignore[union-attr]


def test_brackets() -> None:
    (el,) = steps("<a b, c>")
    assert isinstance(el.body, Group) and el.body.kind == "alternate"
    assert len(el.body.children) == 2
    (el,) = steps("{a b c}%<2 4>")
    assert el.body.kind == "polymeter"  # type: ignore[union-attr]
    assert isinstance(el.body.steps, Group) and el.body.steps.kind == "alternate"  # type: ignore[union-attr]
    (el,) = steps("[a b]")
    assert el.body.kind == "seq" and (el.body.begin, el.body.end) == (0, 5)  # type: ignore[union-attr]


def test_operators_in_order() -> None:
    (el,) = steps("a*2/<3 4>?0.3(3,8,2):x .. 5")
    kinds = [type(op) for op in el.ops]
    assert kinds == [Stretch, Stretch, Degrade, Euclid, Tail, Range]
    assert el.ops[2] == Degrade(0.3, 0)


def test_weights_and_replication_follow_strudel_arithmetic() -> None:
    assert [el.weight for el in steps("a@3 b@1.5 c _ _ d")] == [3, 1.5, 3, 1]
    assert [el.weight for el in steps("a ! ! b")] == [3, 1]
    assert steps("a ! ! b")[0].ops == (Replicate(3),)
    assert steps("a!2@3")[0].weight == 4  # "!" sets weight 2, "@3" adds 2
    assert steps("a@3!2")[0].weight == 2  # "!" overrides the weight
    assert steps("a!2*2!")[0].ops == (Stretch("fast", Atom("2", 4, 5)), Replicate(3))


def test_weight_of_counts_zero_as_one() -> None:
    node = parse("a@0 b@3")
    assert isinstance(node, Group)
    assert weight_of(node) == 4


@pytest.mark.parametrize("source, expected", [
    ("0 .. 3", ["0"]),           # range, needs the dots after the step
    ("0..3", ["0..3"]),          # one word
    ("a@03", ["a", "3"]),        # number is "0", then a new step
    ("a? 0.3", ["a", "0.3"]),    # "?" takes only an attached number
    ("a?0.3", ["a"]),
    ("a.b c", ["a.b", "c"]),
    ("c#3 eb4 ^x", ["c#3", "eb4", "^x"]),
    ("a __ b", ["a", "b"]),      # "_" after a step is a weight
    ("[__]", ["[__]"]),
])
def test_peg_tokenisation(source: str, expected: list[str]) -> None:
    node = parse(source)
    assert isinstance(node, Group)
    got = []
    for el in node.children:
        body = el.body  # type: ignore[union-attr]
        got.append(body.text if isinstance(body, Atom) else source[body.begin:body.end])
    assert got == expected


def test_euclid_arguments_and_optional_comma() -> None:
    (el,) = steps("a(<3 5>, 8, -1)")
    (op,) = el.ops
    assert isinstance(op, Euclid) and op.rotation is not None
    assert op.rotation.body == Atom("-1", 12, 14)
    (op,) = steps("a(3,8)")[0].ops
    assert isinstance(op, Euclid) and op.rotation is None
    (op,) = steps("a(3,8 2)")[0].ops  # krill: the second comma is optional
    assert isinstance(op, Euclid) and op.rotation is not None


def test_caret_marks_a_sequence() -> None:
    node = parse("^a b")
    assert isinstance(node, Group) and node.marked


@pytest.mark.parametrize("source, expected", [
    ("[a*8?|b]", [("?", 0), ("choose", 1)]),
    ("[a|b] c*8?", [("choose", 0), ("?", 1)]),
    ("a? . b?", [("?", 0), ("?", 1), ("feet", 2)]),
    ("a?(3?,8)", [("?", 1), ("?", 0)]),  # a step's own "?" is numbered when it completes
    ("a? | b? | c", [("?", 0), ("?", 1), ("choose", 2)]),
    ("<[a|b] c?>*<2 3?>", [("choose", 0), ("?", 1), ("?", 2)]),
])
def test_seed_numbering_matches_strudel(source: str, expected: list[tuple[str, int]]) -> None:
    assert sorted(seeds(parse(source)), key=lambda s: s[1]) == sorted(expected, key=lambda s: s[1])


@pytest.mark.parametrize("source, column", [
    ("[a b", 4), ("a ]", 2), ("a b,", 4), ("a(3 8)", 4), ("{a b", 4), ("a <b", 4),
    ("a | b , c", 6), ("a . ", 4), ("a 'b'", 2), ('a "b"', 2), ("a $ b", 2), ("%", 0),
])
def test_errors_point_at_the_column(source: str, column: int) -> None:
    with pytest.raises(MiniNotationError) as info:
        parse(source)
    err = info.value
    assert err.column == column and err.source == source
    lines = str(err).splitlines()
    assert lines[1].strip() == source.strip()
    assert lines[2].index("^") - 2 == column


def test_pipe_directly_inside_angle_brackets_is_an_error() -> None:
    with pytest.raises(MiniNotationError, match=r"wrap the choice") as info:
        parse("<a | b>")
    assert info.value.column == 3
    assert parse("<[a | b] c>") is not None


def test_nesting_is_capped() -> None:
    ok = "[" * MAX_DEPTH + "a" + "]" * MAX_DEPTH
    assert parse(ok) is not None
    deep = "[" * (MAX_DEPTH + 1) + "a" + "]" * (MAX_DEPTH + 1)
    with pytest.raises(MiniNotationError, match="nested too deeply"):
        parse(deep)
    with pytest.raises(MiniNotationError, match="nested too deeply"):
        parse("a" + "(b" * 200)


def test_parse_is_cached() -> None:
    assert parse("bd*2 sn") is parse("bd*2 sn")


def test_non_string_is_refused() -> None:
    with pytest.raises(MiniNotationError):
        parse(3)  # type: ignore[arg-type]


@pytest.mark.parametrize("text, value", [
    ("1e3", 1000), (".5", 0.5), ("5.", 5), ("-2.5", -2.5), ("0x1f", 31), ("-0", 0),
    ("007", 7), ("1E-2", 0.01), ("Infinity", float("inf")), ("-.5", -0.5),
])
def test_js_number(text: str, value: float) -> None:
    assert js_number(text) == value


@pytest.mark.parametrize("text", ["c3", "eb4", "NaN", "1e", "0x", "-0x1", "1_0", "t", "true",
                                  "٣", "--1", "1-"])
def test_js_number_rejects(text: str) -> None:
    assert js_number(text) is None
    assert atom_value(text) == text


def test_integral_numbers_are_ints() -> None:
    assert isinstance(atom_value("3"), int) and isinstance(atom_value("1e3"), int)
    assert isinstance(atom_value("0.5"), float)
