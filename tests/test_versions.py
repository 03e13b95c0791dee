"""versions: the one owner of parsing, ordering, bumping and "same release" (PEP 440)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cutrelease import versions
from cutrelease.errors import Refused


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("1.2.3", "1.2.3"),
        ("v1.2.3", "1.2.3"),
        ("1.3.0rc1", "1.3.0rc1"),
        ("1.3.0-rc.1", "1.3.0rc1"),
        ("1.3.0-alpha.2", "1.3.0a2"),
        ("1.3.0.beta1", "1.3.0b1"),
        ("1.3.0c1", "1.3.0rc1"),
    ],
)
def test_parse_reads_every_spelling_into_the_normal_form(text: str, normal: str) -> None:
    assert versions.normal(versions.parse(text)) == normal


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1.2", "not three numbers X.Y.Z. Write it as 1.2.0"),
        # r18: never a lower version than the one written
        ("1.2.3.4", "not three numbers X.Y.Z. Write it as 1.2.4, the next X.Y.Z version above it"),
        ("1.2.3.0", "Write it as 1.2.3, the same version."),
        ("1.2.3.post1", "a post-release"),
        ("1.2.3.dev4", "a development release"),
        ("1.2.3+local", "a local version"),
        ("1!1.2.3", "an epoch"),
        ("one", "not a PEP 440 version"),
        ("", "not a PEP 440 version"),
    ],
)
def test_parse_refuses_what_is_never_released(text: str, words: str) -> None:
    with pytest.raises(Refused) as caught:
        versions.parse(text)
    assert words in str(caught.value)
    assert "[project].version in pyproject.toml" in str(caught.value)


@pytest.mark.parametrize(
    ("current", "part", "pre", "expected"),
    [
        ("1.2.3", "patch", None, "1.2.4"),
        ("1.2.3", "minor", None, "1.3.0"),
        ("1.2.3", "major", None, "2.0.0"),
        ("1.2.3", "minor", "rc", "1.3.0rc1"),
        ("1.2.3", "patch", "alpha", "1.2.4a1"),
        ("0.9.9", "major", "beta", "1.0.0b1"),
    ],
)
def test_bump(current: str, part: str, pre: str | None, expected: str) -> None:
    assert versions.bump(versions.parse(current), part, pre=pre) == expected


def test_bump_of_a_pre_release_names_bump_stable() -> None:
    with pytest.raises(Refused) as caught:
        versions.bump(versions.parse("1.3.0rc1"), "patch")
    assert "`bump stable`" in str(caught.value)


@pytest.mark.parametrize(
    ("current", "phase", "expected"),
    [
        ("1.3.0rc1", "rc", "1.3.0rc2"),
        ("1.3.0b2", "rc", "1.3.0rc1"),
        ("1.3.0a1", "beta", "1.3.0b1"),
        ("1.3.0a9", "alpha", "1.3.0a10"),
    ],
)
def test_next_pre(current: str, phase: str, expected: str) -> None:
    assert versions.next_pre(versions.parse(current), phase) == expected


@pytest.mark.parametrize(
    ("current", "phase", "words"),
    [
        ("1.2.3", "rc", "`bump minor --pre rc`"),
        ("1.3.0rc1", "beta", "`bump rc`"),
        ("1.3.0b1", "alpha", "already past alpha"),
    ],
)
def test_next_pre_refusals_name_the_right_command(current: str, phase: str, words: str) -> None:
    with pytest.raises(Refused) as caught:
        versions.next_pre(versions.parse(current), phase)
    assert words in str(caught.value)


def test_stable() -> None:
    assert versions.stable(versions.parse("1.3.0rc2")) == "1.3.0"
    with pytest.raises(Refused, match="already a final release"):
        versions.stable(versions.parse("1.3.0"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1.2", "1.2.0"),
        ("2.17", "2.17.0"),
        ("v1.0", "1.0"),
        ("V1.0.0", "1.0"),
        ("1.3.0-rc.1", "1.3.0rc1"),
        ("1.0.0-beta.2", "1.0.0b2"),
        ("1.0.0+build.5", "1.0.0"),
    ],
)
def test_same_release(a: str, b: str) -> None:
    assert versions.same_release(a, b)
    assert versions.same_release(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [("1.2.1", "1.2.0"), ("1.3.0rc1", "1.3.0"), ("1.3.0rc1", "1.3.0rc2"), ("x", "y"), (None, "1")],
)
def test_not_same_release(a: str | None, b: str) -> None:
    assert not versions.same_release(a, b)


# Spellings of few releases, so that generated pairs often name one release.
_SPELLINGS = st.builds(
    "".join,
    st.lists(
        st.sampled_from(
            [
                "v",
                "V",
                "0",
                "1",
                "2",
                "10",
                "01",
                ".",
                ".0",
                "rc",
                "-rc.",
                "a",
                "b",
                "!",
                "+x",
                "²",
                "١",
                " ",
                "-",
                "post",
                "dev",
            ]
        ),
        max_size=8,
    ),
)


@given(_SPELLINGS, _SPELLINGS)
def test_same_release_as_agrees_with_same_release(a: str, b: str) -> None:
    """The test made once for a changelog's thousands of headings answers as same_release."""
    assert versions.same_release_as(a)(b) == versions.same_release(a, b)


def test_a_heading_of_unicode_digits_is_another_release() -> None:
    """ "²".isdigit() is true, but no version's number: once, reading it raised ValueError."""
    assert not versions.same_release("1.2", "1.²")
    assert not versions.same_release_as("1.2")("1.²")


def test_key_orders_pep_440_and_semver_alike() -> None:
    written = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0b1",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0rc1",
        "1.0.0",
        "1.0.0.post1",
        "1.0.1.dev1",
        "1.0.1",
        "1.2",
        "2.17.0",
    ]
    keys = [versions.key(text) for text in written]
    assert all(key is not None for key in keys)
    assert sorted(written, key=versions.key) == written  # type: ignore[arg-type]


def test_key_of_a_non_version_is_none() -> None:
    assert versions.key("1.0.x") is None
    assert versions.key("next") is None
    assert versions.key(None) is None


def test_line() -> None:
    assert versions.line("1.3.0rc1") == (1, 3)
    assert versions.line(versions.parse("2.0.0"), 3) == (2, 0, 0)
    assert versions.line("7") == (7, 0)


@pytest.mark.parametrize(
    ("version", "current", "starts"),
    [
        ("0.2.0", "0.1.2", True),  # X.Y.0
        ("0.2.1", "0.1.2", True),  # a new minor line at a later patch
        ("0.2.1", "0.1.1", True),
        ("2.0.3", "1.4.2", True),  # a new major line
        ("0.2.1", "0.2.1rc1", True),  # the final of a pre-release: the table moves now
        ("0.2.0", "0.2.0rc2", True),
        ("0.1.5", "0.1.2", False),  # the same line
        ("0.2.1rc1", "0.1.2", False),  # a pre-release never moves the table
        ("0.3.0rc1", "0.2.0", False),
        ("0.2.1", None, False),  # without the current version: X.Y.0 only
        ("0.2.0", None, True),
        ("1.4.3", "1.4", False),  # PEP 440: 1.4 is 1.4.0, the same line
    ],
)
def test_starts_line(version: str, current: str | None, starts: bool) -> None:
    assert versions.starts_line(version, current=current) is starts
