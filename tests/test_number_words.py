"""Spoken numbers (dictation) are read as digits before the red-flag patterns see the message."""

from __future__ import annotations

import pytest
import yaml

from bot.content.red_flags import default_path
from bot.safety.number_words import NumberWords


@pytest.fixture(scope="module")
def numbers() -> NumberWords:
    raw = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    reader = NumberWords.from_raw(raw["language"]["number_words"])
    assert reader is not None
    return reader


@pytest.mark.parametrize(("said", "read"), [
    ("temperatur på otteogtredive komma ni", "temperatur på 38,9"),
    ("jeg har niogtredive komma nul i feber", "jeg har 39,0 i feber"),
    ("jeg er toogtres år", "jeg er 62 år"),
    ("min søn er femten", "min søn er 15"),
    ("Hun er Halvfjerds", "Hun er 70"),
    ("femogfyrretyve kilo", "45 kilo"),
    ("38 komma 5 grader", "38,5 grader"),
])
def test_spoken_numbers_become_digits(numbers: NumberWords, said: str, read: str) -> None:
    assert numbers.read(said) == read


@pytest.mark.parametrize("text", [
    "ondt i to ben i fem dage",  # a ones word alone stays a word: the patterns read "to ben"
    "tresser og firser musik",  # part of another word
    "ti-dobbelt",
    "komma ni",  # no number before the decimal word
])
def test_other_words_are_left_alone(numbers: NumberWords, text: str) -> None:
    assert numbers.read(text) == text


def test_a_file_without_the_section_still_loads() -> None:
    assert NumberWords.from_raw(None) is None
    assert NumberWords.from_raw({}) is None
