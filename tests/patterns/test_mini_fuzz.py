"""Fuzz: no string makes ``mini`` raise anything but MiniNotationError, or hang.

Each example is parsed, built and queried for two cycles; query-time errors must be
livestudio errors too (for example a patterned factor that is not a number).
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quicktions import Fraction

from livestudio.errors import LivestudioError, MiniNotationError
from livestudio.patterns.mini import mini

CHARS = "ab0123456789~-#.^_ []{}<>()@!?*/%:,|'\"\t\ne"
TOKENS = [
    "a", "bd", "3", "0", "-1", "2.5", ".5", "1e3", "1e9", "1e-9", "c#3", "~", "-", "_",
    " ", " ", " ", "[", "]", "{", "}", "<", ">", "(", ")", ",", "|", ".", " . ", " .. ",
    "..", "*", "/", "!", "?", "?0.3", "@", "@3", "%", ":", "(3,8)", "(<3 5>,8,<0 2>)",
    "*<2 3>", "/1.5", "!2", "^", "0 .. 3", "{a b, c d e}%<2 4>", "a*0", "/0", "@-1",
]


def exercise(source: str) -> None:
    try:
        pat = mini(source)
    except MiniNotationError as exc:
        assert exc.source == source
        assert exc.column is None or 0 <= exc.column <= len(source)
        return
    try:
        pat.query_arc(Fraction(-1, 2), Fraction(1, 2))
        pat.query_arc(1, Fraction(4, 3))
    except LivestudioError:
        pass


# The deadline is what "no input hangs" means here: the heaviest strings the limits let
# through (about 10k events per cycle) take about a second on a busy machine.
FUZZ = settings(max_examples=300, deadline=timedelta(seconds=5),
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(alphabet=CHARS, max_size=40))
def test_random_characters(source: str) -> None:
    exercise(source)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=16).map("".join))
def test_random_tokens(source: str) -> None:
    exercise(source)


@FUZZ
@given(st.text(st.characters(exclude_characters="\x00"), max_size=24))
def test_any_unicode(source: str) -> None:
    exercise(source)
