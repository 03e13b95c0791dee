"""The only owner of versions: parse, compare, bump, "same release" and the normal form.

Versions are PEP 440 (https://peps.python.org/pep-0440/), as pip, uv and PyPI read them, on
`packaging`. A version the project releases is `X.Y.Z` with at most a pre-release (`1.3.0a1`,
`1.3.0b2`, `1.3.0rc1`); SemVer's spelling of one (`1.3.0-rc.1`) is the same version, and is
written back in PEP 440's normal form. Changelog headings are read more loosely (`2.17`,
`v1.0`, SemVer pre-releases such as `1.0.0-x.7`), so that one release written two ways is
still one release.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from packaging.version import InvalidVersion, Version

from cutrelease.errors import Refused

PARTS = ("major", "minor", "patch")
#: The pre-release phases, in PEP 440 order, by the names the command line uses.
PHASES = {"alpha": "a", "beta": "b", "rc": "rc"}
_PHASE_NAMES = {short: name for name, short in PHASES.items()}

# SemVer 2.0's grammar (https://semver.org/#backusnaur-form-grammar-for-valid-semver-versions)
# for the headings packaging cannot read, such as 1.0.0-alpha.beta.
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)


class Key(NamedTuple):
    """An order on every version a changelog may name; equal keys name one release.

    `release` drops trailing zeros (2.17 == 2.17.0, as PEP 440 says); `final` is 1 for a final
    release and 0 for a pre-release, whose `pre` identifiers order as SemVer orders them
    (alpha < beta < rc, numbers numerically); `post` and `dev` follow PEP 440.
    """

    release: tuple[int, ...]
    final: int
    pre: tuple[tuple[int, int, str], ...]
    post: int
    dev: int


def parse(text: str, *, where: str = "[project].version in pyproject.toml") -> Version:
    """The version a project releases, read from `where` (named in the refusal).

    In: `X.Y.Z` or `X.Y.ZaN`/`bN`/`rcN`, in any spelling PEP 440 normalizes (`1.3.0-rc.1`,
    `v1.3.0`). Out: a `packaging.version.Version`. Raises Refused for anything else: text that
    is not PEP 440, and the forms a release is never cut as (epochs, `.post`, `.dev`, local
    versions, a release segment that is not three numbers).
    """
    try:
        version = Version(text.strip())
    except InvalidVersion:
        raise Refused(
            f"{where} is {text!r}, which is not a PEP 440 version.",
            hint="Write it as X.Y.Z, e.g. 1.2.3 (or 1.3.0rc1 for a pre-release).",
        ) from None
    unsupported = [
        ("an epoch", version.epoch != 0),
        ("a post-release", version.post is not None),
        ("a development release", version.dev is not None),
        ("a local version", version.local is not None),
    ]
    for what, found in unsupported:
        if found:
            raise Refused(
                f"{where} is {text!r}, {what}; cutrelease releases X.Y.Z versions and their "
                "alpha, beta and rc pre-releases only.",
                hint=f"Use {_base(version)}, or the release it leads to.",
            )
    if len(version.release) != 3:
        raise Refused(
            f"{where} is {text!r}, which is not three numbers X.Y.Z.", hint=_three_hint(version)
        )
    return version


def normal(version: Version | str) -> str:
    """PEP 440's normal form, as pip and uv write it: `1.3.0-rc.1` -> `1.3.0rc1`."""
    return str(version if isinstance(version, Version) else Version(version.strip()))


def is_final(version: Version) -> bool:
    """Whether `version` is a final release (not alpha, beta or rc)."""
    return version.pre is None


def phase(version: Version) -> str | None:
    """`alpha`, `beta` or `rc` for a pre-release; None for a final release."""
    return None if version.pre is None else _PHASE_NAMES[version.pre[0]]


def base(version: Version) -> str:
    """The final release a version leads to: `1.3.0rc2` -> `1.3.0`."""
    return _base(version)


def line(version: Version | str, size: int = 2) -> tuple[int, ...]:
    """The first `size` release numbers, padded with zeros: a release line such as (1, 3)."""
    numbers = (version if isinstance(version, Version) else Version(version.strip())).release
    return (*numbers[:size], *(0,) * (size - len(numbers)))


def bump(version: Version, part: str, *, pre: str | None = None) -> str:
    """The next version for `part` (major, minor, patch), as a final or as `pre`'s first.

    `1.2.3`, minor -> `1.3.0`; with pre="rc" -> `1.3.0rc1`. A pre-release has its final
    still to come, so bumping a part of it is refused in favour of `bump stable` (or of
    `bump VERSION` for another line).
    """
    if not is_final(version):
        raise Refused(
            f"{version} is a pre-release; its next step is its final release or another "
            "pre-release of it.",
            hint=f"Run `bump stable` for {base(version)}, or `bump rc`; `bump VERSION` for "
            "another version.",
        )
    major, minor, patch = version.release
    nxt = {
        "major": f"{major + 1}.0.0",
        "minor": f"{major}.{minor + 1}.0",
        "patch": f"{major}.{minor}.{patch + 1}",
    }[part]
    return nxt if pre is None else f"{nxt}{PHASES[pre]}1"


def next_pre(version: Version, wanted: str) -> str:
    """The next pre-release of the same line in phase `wanted` (alpha, beta or rc).

    `1.3.0rc1` -> rc -> `1.3.0rc2`; `1.3.0b2` -> rc -> `1.3.0rc1`. Refused on a final
    release (name the part: `bump minor --pre rc`) and for a phase that goes backwards
    (PEP 440 orders a < b < rc).
    """
    if version.pre is None:
        raise Refused(
            f"{version} is a final release; a pre-release starts a new version.",
            hint=f"Run `bump patch --pre {wanted}`, `bump minor --pre {wanted}` or "
            f"`bump major --pre {wanted}`.",
        )
    current, number = version.pre
    order = list(PHASES.values())
    if order.index(PHASES[wanted]) < order.index(current):
        raise Refused(
            f"{version} is already past {wanted}: pre-releases go alpha, beta, rc.",
            hint=f"Run `bump {_PHASE_NAMES[current]}` or `bump stable`.",
        )
    if PHASES[wanted] == current:
        return f"{base(version)}{current}{number + 1}"
    return f"{base(version)}{PHASES[wanted]}1"


def stable(version: Version) -> str:
    """The final release of a pre-release: `1.3.0rc2` -> `1.3.0`; refused on a final."""
    if version.pre is None:
        raise Refused(
            f"{version} is already a final release.",
            hint="Run `bump patch`, `bump minor` or `bump major` for the next one.",
        )
    return base(version)


@functools.lru_cache(maxsize=8192)  # a changelog's headings are compared again and again
def key(text: str | None) -> Key | None:
    """The order key of a version as a changelog writes it, or None when it is none.

    Takes a leading `v`, PEP 440 spellings and SemVer 2.0 (`1.0.0-alpha.beta`, build
    metadata ignored, as SemVer's precedence says).
    """
    if not text:
        return None
    cleaned = text.strip().removeprefix("v").removeprefix("V")
    try:
        version = Version(cleaned)
    except InvalidVersion:
        return _semver_key(cleaned)
    pre: tuple[tuple[int, int, str], ...] = ()
    if version.pre is not None:
        pre = ((1, 0, _PHASE_NAMES[version.pre[0]]), (0, version.pre[1], ""))
    return Key(
        _stripped(version.release),
        0 if version.pre is not None or version.dev is not None else 1,
        pre,
        -1 if version.post is None else version.post,
        1 << 62 if version.dev is None else version.dev,
    )


def same_release(a: str | None, b: str | None) -> bool:
    """Whether two spellings name one release: `2.17` and `2.17.0`, `v1.0` and `1.0`,
    `1.3.0-rc.1` and `1.3.0rc1` (PEP 440's equality, with SemVer's spellings read too)."""
    if a is None or b is None:
        return False
    if a.strip().lstrip("vV") == b.strip().lstrip("vV"):
        return True
    numbers_a, numbers_b = _release_numbers(a), _release_numbers(b)
    if numbers_a is not None and numbers_b is not None and numbers_a != numbers_b:
        return False  # PEP 440 compares the release numbers first: no need to parse more
    first, second = key(a), key(b)
    return first is not None and first == second


def same_release_as(version: str) -> Callable[[str | None], bool]:
    """same_release(version, other) as a test of `other`, for the thousands of headings of a
    long changelog: a text that does not hold the digits of `version`'s last non-zero release
    number (`10` of 1.2.10, written `10` or `010` in every spelling of that release) is another
    release, told without reading it."""
    numbers = _release_numbers(version)
    needle = str(numbers[-1]) if numbers else ""

    def test(other: str | None) -> bool:
        return other is not None and needle in other and same_release(version, other)

    return test


# A version's leading release numbers: ASCII digits only (PEP 440's `[0-9]`; "²".isdigit()).
_LEADING_NUMBERS = re.compile(r"[0-9.]*")


def _release_numbers(text: str) -> tuple[int, ...] | None:
    """The release numbers a version starts with (`1.3.0rc1`, `v1.3-rc.1`: (1, 3)), trailing
    zeros dropped as PEP 440 compares them; None when it has an epoch or starts otherwise.
    A changelog's thousands of headings are told apart by these, without parsing each."""
    cleaned = text.strip().lstrip("vV")
    leading = _LEADING_NUMBERS.match(cleaned)[0]  # type: ignore[index]  # `*` always matches
    if not leading or "!" in cleaned:
        return None
    numbers = [int(part) for part in leading.split(".") if part]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def _semver_key(text: str) -> Key | None:
    match = _SEMVER.fullmatch(text)
    if match is None:
        return None
    release = _stripped(tuple(int(part) for part in match.groups()[:3]))
    if match["pre"] is None:
        return Key(release, 1, (), -1, 1 << 62)
    identifiers = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in match["pre"].split(".")
    )
    return Key(release, 0, identifiers, -1, 1 << 62)


def _stripped(release: tuple[int, ...]) -> tuple[int, ...]:
    numbers = list(release)
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def _base(version: Version) -> str:
    return ".".join(str(number) for number in version.release)


def _three(version: Version) -> str:
    return ".".join(str(number) for number in line(version, 3))


def _three_hint(version: Version) -> str:
    """How to write a version of more or fewer numbers as X.Y.Z without going back.

    `1.2` and `1.2.3.0` are the same versions as 1.2.0 and 1.2.3 (PEP 440 pads with zeros);
    `1.2.3.4` is above 1.2.3, so the next X.Y.Z above it, 1.2.4, is the one to write; once
    1.2.3.4 is released, bump cannot cut 1.2.4 (the changelog's newest release would not be
    the version released from), so that one release is made by hand.
    """
    same = _three(version)
    if Version(same) == Version(version.base_version):
        return f"Write it as {same}, the same version."
    major, minor, patch = line(version, 3)
    above = f"{major}.{minor}.{patch + 1}"
    return (
        f"Write it as {above}, the next X.Y.Z version above it ({same} would be lower); if "
        f"{version} is released already, release {above} by hand once (its changelog section "
        "and tag too), and bump the releases after it."
    )


class Target(NamedTuple):
    """Which version a release asks for, as the command line says it.

    `bump minor` is Target(part="minor"); `bump minor --pre rc` adds pre="rc"; `bump rc` is
    Target(pre="rc"); `bump stable` is Target(stable=True); `bump 2.0.0` is
    Target(explicit="2.0.0").
    """

    part: str | None = None
    pre: str | None = None
    stable: bool = False
    explicit: str | None = None

    def describe(self) -> str:
        """The command that asked for it: `bump minor --pre rc`, `bump stable`, `bump 2.0.0`."""
        if self.explicit is not None:
            return f"bump {self.explicit}"
        if self.stable:
            return "bump stable"
        if self.part is None:
            return f"bump {self.pre}"
        return f"bump {self.part}" + (f" --pre {self.pre}" if self.pre else "")


def resolve(current: Version, target: Target) -> str:
    """The new version, in normal form, for `target` from `current` (PEP 440 order).

    An explicit version must be a release cutrelease makes (see parse) and not below
    `current`; equal to it is allowed here and decided by the caller (the first release).
    Raises Refused naming the command to use instead.
    """
    if target.explicit is not None:
        wanted = parse(target.explicit, where="The version asked for")
        if wanted < current:
            raise Refused(
                f"The version asked for, {normal(wanted)}, is below the current version {current}.",
                hint="Ask for a greater version: versions only go up (PEP 440 order).",
            )
        return normal(wanted)
    if target.stable:
        return stable(current)
    if target.part is not None:
        return bump(current, target.part, pre=target.pre)
    assert target.pre is not None
    return next_pre(current, target.pre)


def starts_line(version: str, *, current: str | None = None) -> bool:
    """Whether a release of `version` from `current` starts a release line of its own, so that
    SECURITY.md's Supported Versions table moves to it.

    That is a final release (a pre-release never moves the table; its final does) which is an
    X.Y.0, or whose major.minor differs from `current`'s (PEP 440 release numbers: 0.1.2 ->
    0.2.1 and 1.4.2 -> 2.0.3 start lines too), or which ends a pre-release of its line
    (0.1.2 -> 0.2.1rc1 -> 0.2.1: the table moves at the final). Without `current`, only X.Y.0.
    Moving a table that covers the version already changes nothing.
    """
    parsed = Version(version)
    if parsed.pre is not None:
        return False
    if parsed.release[2:3] == (0,):
        return True
    if current is None:
        return False
    before = Version(current)
    return before.pre is not None or line(before) != line(parsed)
