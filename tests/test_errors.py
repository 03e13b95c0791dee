"""Messages read as sentences, whatever the words they quote end with."""

from __future__ import annotations

import pytest

from cutrelease.errors import Refused, sentence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ssh: Could not resolve hostname github.com",
            "ssh: Could not resolve hostname github.com.",
        ),
        (
            "access to attribute '__class__' is unsafe..",
            "access to attribute '__class__' is unsafe.",
        ),
        ("It failed.", "It failed."),
        ("Is it?", "Is it?"),
        ("trailing space. ", "trailing space."),
    ],
)
def test_sentence(text: str, expected: str) -> None:
    assert sentence(text) == expected


def test_a_message_and_its_hint_are_two_sentences() -> None:
    error = Refused("The remote 'origin' cannot be reached: host github.com", hint="Check it.")
    assert str(error) == "The remote 'origin' cannot be reached: host github.com. Check it."
