"""Tests for the Supported Versions table: whole texts in, whole texts out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import conftest
import pytest
from conftest import Project

from cutrelease import scaffold
from cutrelease.errors import FileFormatError
from cutrelease.files import lint
from cutrelease.files.security import (
    find_table,
    is_supported,
    supported_lines,
    update_supported_versions,
)
from cutrelease.templates import simple_render

CORPUS = conftest.CORPUS / "security"


def release(text: str, version: str) -> str:
    return update_supported_versions(text, version=version, render=simple_render)


def refusal(text: str, version: str = "9.0.0") -> FileFormatError:
    with pytest.raises(FileFormatError) as caught:
        release(text, version)
    return caught.value


# --- the spec's example, whole file ------------------------------------------------------------

SPEC_BEFORE = """\
# Security Policy

## Supported Versions

| Version | Supported          |
| ------- | ------------------ |
| 0.2.x   | :white_check_mark: |
| < 0.2   | :x:                |

## Reporting a Vulnerability

Email security@example.com.
"""

SPEC_AFTER = """\
# Security Policy

## Supported Versions

| Version | Supported          |
| ------- | ------------------ |
| 0.3.x   | :white_check_mark: |
| < 0.3   | :x:                |

## Reporting a Vulnerability

Email security@example.com.
"""


def test_minor_release_moves_the_supported_line() -> None:
    assert release(SPEC_BEFORE, "0.3.0") == SPEC_AFTER


def test_releasing_the_line_already_on_top_changes_nothing() -> None:
    assert release(SPEC_AFTER, "0.3.0") == SPEC_AFTER


def test_find_table_accepts_the_spec_example() -> None:
    find_table(SPEC_BEFORE)


# --- shapes that rewrite ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    before: str
    version: str
    after: str


def section(table: str) -> str:
    return f"# Security\n\n## Supported Versions\n\n{table}\n## Reporting\n\nMail us.\n"


REWRITES = {
    "several supported lines shift the window": Case(
        section(
            "| Version | Supported          |\n"
            "| ------- | ------------------ |\n"
            "| 3.7.x   | :white_check_mark: |\n"
            "| 3.6.x   | :white_check_mark: |\n"
            "| < 3.6   | :x:                |\n"
        ),
        "3.8.0",
        section(
            "| Version | Supported          |\n"
            "| ------- | ------------------ |\n"
            "| 3.8.x   | :white_check_mark: |\n"
            "| 3.7.x   | :white_check_mark: |\n"
            "| < 3.7   | :x:                |\n"
        ),
    ),
    "major release over 0.9.x": Case(
        section("| Version | Supported |\n| --- | --- |\n| 0.9.x | ✅ |\n| < 0.9 | ❌ |\n"),
        "1.0.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 1.0.x   | ✅         |\n"
            "| < 1.0   | ❌         |\n"
        ),
    ),
    "1.x granularity on a major release": Case(
        section("| Version | Supported |\n| --- | --- |\n| 1.x | Yes |\n| < 1 | No |\n"),
        "2.0.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 2.x     | Yes       |\n"
            "| < 2     | No        |\n"
        ),
    ),
    "1.x granularity already covers a minor release": Case(
        section("| Version | Supported |\n| --- | --- |\n| 1.x | Yes |\n| < 1 | No |\n"),
        "1.4.0",
        section("| Version | Supported |\n| --- | --- |\n| 1.x | Yes |\n| < 1 | No |\n"),
    ),
    "3.x.x granularity": Case(
        section("| Version | Supported |\n| --- | --- |\n| 3.x.x | yes |\n| < 3.0 | no |\n"),
        "4.0.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 4.x.x   | yes       |\n"
            "| < 4.0   | no        |\n"
        ),
    ),
    "capital X is kept": Case(
        section("| Version | Supported |\n| --- | --- |\n| 1.7.X | yes |\n| < 1.7 | no |\n"),
        "1.8.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 1.8.X   | yes       |\n"
            "| < 1.8   | no        |\n"
        ),
    ),
    "an inclusive bound moves to the line that left": Case(
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 3.7.x   | yes       |\n"
            "| 3.6.x   | yes       |\n"
            "| <= 3.5  | no        |\n"
            "| 2.10.x  | yes       |\n"
            "| <= 2.9  | no        |\n"
        ),
        "3.8.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 3.8.x   | yes       |\n"
            "| 3.7.x   | yes       |\n"
            "| <= 3.6  | no        |\n"
            "| 2.10.x  | yes       |\n"
            "| <= 2.9  | no        |\n"
        ),
    ),
    "old lines listed one by one stay, marked unsupported": Case(
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 2.1.x   | ✅        |\n"
            "| 2.0.x   | ❌        |\n"
            "| < 2.0   | ❌        |\n"
        ),
        "2.2.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 2.2.x   | ✅        |\n"
            "| 2.1.x   | ❌        |\n"
            "| 2.0.x   | ❌        |\n"
            "| < 2.0   | ❌        |\n"
        ),
    ),
    "an open range already covers every later release": Case(
        section("| Version | Supported |\n| --- | --- |\n| >= 1.2 | yes |\n| < 1.2 | no |\n"),
        "1.3.0",
        section("| Version | Supported |\n| --- | --- |\n| >= 1.2 | yes |\n| < 1.2 | no |\n"),
    ),
    "a bound written without a space keeps its style": Case(
        section("| Version | Supported |\n| --- | --- |\n| v1.0.x | yes |\n| <1.0 | no |\n"),
        "1.1.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| v1.1.x  | yes       |\n"
            "| <1.1    | no        |\n"
        ),
    ),
    "separator without spaces and an unpadded row": Case(
        section(
            "| Version | Supported          |\n"
            "|---------|--------------------|\n"
            "| 5.3.x   | :white_check_mark: |\n"
            "| < 5.3   | :x: |\n"
        ),
        "5.4.0",
        section(
            "| Version | Supported          |\n"
            "|---------|--------------------|\n"
            "| 5.4.x   | :white_check_mark: |\n"
            "| < 5.4   | :x:                |\n"
        ),
    ),
    "alignment colons are kept": Case(
        section("| Version | Supported |\n|:---|:---:|\n| 0.1.x | yes |\n"),
        "0.2.0",
        section(
            "| Version | Supported |\n"
            "|:--------|:---------:|\n"
            "| 0.2.x   | yes       |\n"
            "| < 0.2   | no        |\n"
        ),
    ),
    "a table with one row gains a range row for the lines below": Case(
        section("| Version | Supported |\n| --- | --- |\n| 0.1.x | yes |\n"),
        "0.2.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 0.2.x   | yes       |\n"
            "| < 0.2   | no        |\n"
        ),
    ),
    "oldest line first": Case(
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 3.x     | yes       |\n"
            "| 4.x     | yes       |\n"
        ),
        "5.0.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| 4.x     | yes       |\n"
            "| 5.x     | yes       |\n"
        ),
    ),
    "oldest first with the range on top": Case(
        section("| Version | Supported |\n| --- | --- |\n| < 1.0 | no |\n| 1.x | yes |\n"),
        "2.0.0",
        section(
            "| Version | Supported |\n"
            "| ------- | --------- |\n"
            "| < 2.0   | no        |\n"
            "| 2.x     | yes       |\n"
        ),
    ),
    "extra columns: carried rows keep theirs, a named branch follows the line": Case(
        section(
            "| Version | Branch        | End of life | Supported |\n"
            "| ------- | ------------- | ----------- | --------- |\n"
            "| 0.2.x   | release/0.2.x | TBD         | yes       |\n"
            "| < 0.2   | old           | 2024-01-01  | no        |\n"
        ),
        "0.3.0",
        section(
            "| Version | Branch        | End of life | Supported |\n"
            "| ------- | ------------- | ----------- | --------- |\n"
            "| 0.3.x   | release/0.3.x |             | yes       |\n"
            "| < 0.3   | old           | 2024-01-01  | no        |\n"
        ),
    ),
    "only the first table under the heading is touched": Case(
        "## Supported Versions\n\n"
        "| Version | Supported |\n| --- | --- |\n| 0.1.x | yes |\n\n"
        "## History\n\n"
        "| Affected | Fixed |\n| --- | --- |\n| < 0.1.0 | 0.1.0 |\n",
        "0.2.0",
        "## Supported Versions\n\n"
        "| Version | Supported |\n| ------- | --------- |\n| 0.2.x   | yes       |\n"
        "| < 0.2   | no        |\n\n"
        "## History\n\n"
        "| Affected | Fixed |\n| --- | --- |\n| < 0.1.0 | 0.1.0 |\n",
    ),
    "lower-case setext heading, text between heading and table": Case(
        "Supported versions\n------------------\n\nWe fix the newest line.\n\n"
        "| Version | Supported |\n| --- | --- |\n| 0.1.x | yes |\n",
        "0.2.0",
        "Supported versions\n------------------\n\nWe fix the newest line.\n\n"
        "| Version | Supported |\n| ------- | --------- |\n| 0.2.x   | yes       |\n"
        "| < 0.2   | no        |\n",
    ),
    "a heading inside a code fence is not the heading": Case(
        "```\n## Supported Versions\n| a | b |\n```\n\n#### SUPPORTED VERSIONS ####\n\n"
        "| Version | Supported |\n| --- | --- |\n| 0.1.x | yes |\n",
        "0.2.0",
        "```\n## Supported Versions\n| a | b |\n```\n\n#### SUPPORTED VERSIONS ####\n\n"
        "| Version | Supported |\n| ------- | --------- |\n| 0.2.x   | yes       |\n"
        "| < 0.2   | no        |\n",
    ),
}


@pytest.mark.parametrize("case", REWRITES.values(), ids=list(REWRITES))
def test_rewrites(case: Case) -> None:
    assert release(case.before, case.version) == case.after


# --- bytes around the table ------------------------------------------------------------------


def test_crlf_and_bom_are_kept() -> None:
    before = SPEC_BEFORE.replace("\n", "\r\n")
    after = SPEC_AFTER.replace("\n", "\r\n")
    assert release("\ufeff" + before, "0.3.0") == "\ufeff" + after


def test_bom_before_the_heading_itself() -> None:
    before = (
        "\ufeff## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 1.0.x | yes |\n"
    )
    after = "\ufeff## Supported Versions\n\n| Version | Supported |\n| ------- | --------- |\n"
    assert release(before, "1.1.0") == after + "| 1.1.x   | yes       |\n| < 1.1   | no        |\n"


def test_no_final_newline_stays_so() -> None:
    before = SPEC_BEFORE.split("\n\n## Reporting")[0]
    after = SPEC_AFTER.split("\n\n## Reporting")[0]
    assert not before.endswith("\n")
    assert release(before, "0.3.0") == after


def test_crlf_table_at_the_end_without_final_newline() -> None:
    before = "## Supported Versions\r\n\r\n| Version | Supported |\r\n|---|---|\r\n| 0.1.x | yes |"
    assert release(before, "0.2.0") == (
        "## Supported Versions\r\n\r\n"
        "| Version | Supported |\r\n|---------|-----------|\r\n| 0.2.x   | yes       |\r\n"
        "| < 0.2   | no        |"
    )


# --- refusals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    text: str
    line: int | None
    message: str


REFUSALS = {
    "no heading": Refusal("# Security\n\nMail us.\n", None, "no Supported Versions heading"),
    "prose only": Refusal(
        "# Security\n\n## Supported Versions\n\nThe latest one.\n\n## Reporting\n\n| a | b |\n",
        3,
        "section has no table",
    ),
    "rows that are not versions": Refusal(
        section("| Version | Supported |\n| --- | --- |\n| main branch | yes |\n"),
        7,
        "'main branch' is not a version",
    ),
    "no pipes at the edges": Refusal(
        section("Version | Supported\n--- | ---\n0.1.x | yes\n"), 5, "start and end with '|'"
    ),
    "tab padding": Refusal(
        section("| Version | Supported |\n| --- | --- |\n| 0.1.x\t| yes |\n"), 7, "tabs"
    ),
    "a row with more cells than the header": Refusal(
        section("| Version | Supported |\n| --- | --- |\n| 0.1.x | yes | LTS |\n"), 7, "3 cells"
    ),
    "no separator row": Refusal(
        section("| Version | Supported |\n| 0.1.x | yes |\n"), 5, "no separator row"
    ),
    "header only": Refusal(section("| Version | Supported |\n| --- | --- |\n"), 5, "no rows"),
    "newest row not supported": Refusal(
        section("| Version | Supported |\n| --- | --- |\n| 0.1.x | :x: |\n"),
        7,
        "is not marked supported",
    ),
    "newest row is a range below": Refusal(
        section("| Version | Supported |\n| --- | --- |\n| < 1.0 | yes |\n"), 7, "the range '< 1.0'"
    ),
    "no Supported column": Refusal(
        section("| Version | Until | Notes |\n| --- | --- | --- |\n| 0.1.x | 2030 | LTS |\n"),
        5,
        "no column",
    ),
    "a release on an older line": Refusal(
        section("| Version | Supported |\n| --- | --- |\n| 3.7.x | yes |\n| < 3.7 | no |\n"),
        7,
        "older than the newest line",
    ),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=list(REFUSALS))
def test_refusals_name_the_line_and_the_fix(case: Refusal) -> None:
    error = refusal(case.text, "2.0.0")
    assert error.line == case.line
    assert case.message in error.message
    assert error.hint
    where = "SECURITY.md" if case.line is None else f"SECURITY.md:{case.line}"
    assert str(error).startswith(f"{where}: ")


def test_find_table_refuses_like_the_update() -> None:
    with pytest.raises(FileFormatError) as caught:
        find_table("# Security\n\n## Supported Versions\n\nLatest only.\n", path="docs/SEC.md")
    assert str(caught.value).startswith("docs/SEC.md:3: the Supported Versions section has no")


# --- which heading: CommonMark's blocks decide ------------------------------------------------

TABLE_BEFORE = "| Version | Supported |\n| ------- | --------- |\n| 1.4.x   | yes       |\n"
# A table of one row gains the range row below its new line.
TABLE_AFTER = (
    "| Version | Supported |\n"
    "| ------- | --------- |\n"
    "| 1.5.x   | yes       |\n"
    "| < 1.5   | no        |\n"
)

# A fence line with an info string cannot close a fenced block (CommonMark 4.5), so the
# '```python' line and the '## Supported Versions' line below it are both code.
CODE_BLOCK_POLICY = """\
# Security Policy

## Reporting a Vulnerability

Please send a report shaped like this one:

```
Affected version: 1.4.2
Reproduction:
```python
import widget
widget.parse("\\x00")
## Supported Versions
| Version | Supported |
```

## Supported Versions

{table}
## Disclosure

We publish an advisory within 90 days.
"""


def test_a_heading_inside_a_code_block_with_a_fence_line_is_code() -> None:
    before = CODE_BLOCK_POLICY.format(table=TABLE_BEFORE)
    assert release(before, "1.5.0") == CODE_BLOCK_POLICY.format(table=TABLE_AFTER)


COMMENTED_POLICY = """\
# Security Policy

<!--
## Supported Versions

| Version | Supported |
| ------- | --------- |
| 0.1.x   | yes       |
-->

- Only the newest line is supported; older lines get no fixes:
  ## Supported Versions
  See below.

## Supported Versions

{table}"""


def test_headings_in_a_comment_or_a_list_item_are_not_the_section() -> None:
    before = COMMENTED_POLICY.format(table=TABLE_BEFORE)
    assert release(before, "1.5.0") == COMMENTED_POLICY.format(table=TABLE_AFTER)


@pytest.mark.parametrize(
    "hidden",
    [
        "<!-- ## Supported Versions -->\n",
        "<!--\n## Supported Versions\n-->\n",
        "```\n## Supported Versions\n```\n",
        "~~~~\n```python\n## Supported Versions\n~~~~\n",
        "    ## Supported Versions\n",
        "- Versions:\n  ## Supported Versions\n",
    ],
    ids=["comment", "comment block", "fenced", "fence in fence", "indented code", "list item"],
)
def test_a_heading_only_in_code_a_comment_or_a_list_item_is_no_heading(hidden: str) -> None:
    text = f"# Security\n\nSome words.\n\n{hidden}\n{TABLE_BEFORE}"
    error = refusal(text)
    assert error.line is None
    assert "no Supported Versions heading" in error.message


def test_a_table_in_a_comment_or_code_under_the_heading_is_not_the_table() -> None:
    text = (
        "## Supported Versions\n\n"
        f"<!--\n{TABLE_BEFORE}-->\n\n"
        f"```\n{TABLE_BEFORE}```\n\n"
        f"{TABLE_BEFORE}"
    )
    new = release(text, "1.5.0")
    assert new == text.removesuffix(TABLE_BEFORE) + TABLE_AFTER


def test_bump_minor_finds_the_section_below_the_code_block(project: Project) -> None:
    before = CODE_BLOCK_POLICY.format(table=TABLE_BEFORE.replace("1.4", "0.2"))
    project.write("SECURITY.md", before)
    project.commit_all("a policy with a code block")
    project.push()
    run = project.bump("minor", "--date", "2026-03-01")
    assert run.code == 0, run.err
    expected = CODE_BLOCK_POLICY.format(table=TABLE_AFTER.replace("1.5", "0.3"))
    assert project.read("SECURITY.md") == expected
    assert project.remote_git("show", "v0.3.0:SECURITY.md") == expected


# --- the template ----------------------------------------------------------------------------


def test_the_template_gets_the_rows_and_widths() -> None:
    seen: dict[str, Any] = {}

    def render(name: str, variables: Mapping[str, Any]) -> str:
        seen.update(variables, name=name)
        return simple_render(name, variables)

    update_supported_versions(SPEC_BEFORE, version="0.3.0", render=render)
    assert seen == {
        "name": "security_versions.md.j2",
        "header": ["Version", "Supported"],
        "separator": [" ------- ", " ------------------ "],
        "rows": [["0.3.x", ":white_check_mark:"], ["< 0.3", ":x:"]],
        "widths": [7, 18],
        "version": "0.3.0",
    }


def test_an_override_template_that_drops_the_table_is_refused() -> None:
    def render(name: str, variables: Mapping[str, Any]) -> str:
        return "Only the newest release is supported."

    with pytest.raises(FileFormatError, match="cannot be read back"):
        update_supported_versions(SPEC_BEFORE, version="0.3.0", render=render)


def test_an_override_template_that_forgets_the_new_line_is_refused() -> None:
    def render(name: str, variables: Mapping[str, Any]) -> str:
        return "| Version | Supported |\n| --- | --- |\n| 0.2.x | yes |"

    with pytest.raises(FileFormatError, match=r"does not mark 0\.3\.0 supported"):
        update_supported_versions(SPEC_BEFORE, version="0.3.0", render=render)


# --- the lint side ---------------------------------------------------------------------------

LINT = section(
    "| Version | Supported        |\n"
    "| ------- | ---------------- |\n"
    "| 4.2.x   | Yes              |\n"
    "| 4.1.x   | No               |\n"
    "| 3.5.x   | Until 2023-12-31 |\n"
    "| < 3.5   | No               |\n"
)


def test_supported_lines_lists_every_row_not_marked_no() -> None:
    assert supported_lines(LINT) == ["4.2.x", "3.5.x"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [("4.2.0", True), ("4.2.7", True), ("4.1.3", False), ("3.5.1", True), ("3.4.0", False)],
)
def test_is_supported(version: str, expected: bool) -> None:
    assert is_supported(LINT, version) is expected


@pytest.mark.parametrize(
    ("label", "version", "expected"),
    [
        ("> 1.0", "1.0.0", False),
        ("> 1.0", "1.0.1", True),
        (">= 1.2", "1.2.0", True),
        (">= 1.2", "1.1.9", False),
        ("1.3.1", "1.3.1", True),
        ("1.3.1", "1.3.2", False),
        ("3.x.x", "3.9.0", True),
        ("2.*", "2.1.0", True),
    ],
)
def test_is_supported_reads_ranges(label: str, version: str, expected: bool) -> None:
    text = section(f"| Version | Supported |\n| --- | --- |\n| {label} | ✅ |\n")
    assert is_supported(text, version) is expected


# --- the corpus: real SECURITY.md files ------------------------------------------------------


def corpus_text(name: str) -> str:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    return (CORPUS / name).read_bytes().decode("utf-8")


@dataclass(frozen=True)
class Replaced:
    """The expected text is the whole file with exactly this block replaced."""

    old: str
    new: str


@dataclass(frozen=True)
class Refused:
    line: int
    why: str


UNCHANGED = Replaced("", "")


MATPLOTLIB_AFTER = """\
# Security Policy

## Supported Versions

The following table lists versions, and whether they are supported. Security
vulnerability reports will be accepted and acted upon for all supported
versions.

| Version | Supported          |
| ------- | ------------------ |
| 3.8.x   | :white_check_mark: |
| 3.7.x   | :white_check_mark: |
| 3.6.x   | :x:                |
| 3.5.x   | :x:                |
| 3.4.x   | :x:                |
| 3.3.x   | :x:                |
| < 3.3   | :x:                |


## Reporting a Vulnerability


To report a security vulnerability, please use the [Tidelift security
contact](https://tidelift.com/security).  Tidelift will coordinate the fix and
disclosure.

If you have found a security vulnerability, in order to keep it confidential,
please do not report an issue on GitHub.

We do not award bounties for security vulnerabilities.
"""

REDIS_AFTER = """\
# Security Policy

## Supported Versions

Use this section to tell people about which versions of your project are
currently being supported with security updates.

| Version | Supported          |
| ------- | ------------------ |
| 5.2.x   | :white_check_mark: |
| 5.1.x   | :x:                |
| 5.0.x   | :x:                |
| 4.0.x   | :white_check_mark: |
| < 4.0   | :x:                |

## Reporting a Vulnerability

Use this section to tell people how to report a vulnerability.

Tell them where to go, how often they can expect to get an update on a
reported vulnerability, what to expect if the vulnerability is accepted or
declined, etc...
"""

UPTIME_KUMA_AFTER = """\
# Security Policy

## Supported Versions

Use this section to tell people about which versions of your project are
currently being supported with security updates.

#### Uptime Kuma Versions:
| Version | Supported          |
| ------- | ------------------ |
| 1.8.X   | :white_check_mark: |
| < 1.8   | ❌                  |

#### Upgradable Docker Tags:
| Tag | Supported          |
| ------- | ------------------ |
| 1 | :white_check_mark: |
| 1-debian | :white_check_mark: |
| 1-alpine | :white_check_mark: |
| latest | :white_check_mark: |
| debian | :white_check_mark: |
| alpine | :white_check_mark: |
| All other tags  | ❌ |

## Reporting a Vulnerability
Please report security issues to uptime@kuma.pet.

Do not use the issue tracker or discuss it in the public as it will cause more damage.
"""

SCIKIT_LEARN_AFTER = """\
# Security Policy

## Supported Versions

| Version | Supported          |
| ------- | ------------------ |
| 1.4.0   | :white_check_mark: |
| < 1.4.0 | :x:                |

## Reporting a Vulnerability

Please report security vulnerabilities by email to `security@scikit-learn.org`.
This email is an alias to a subset of the scikit-learn maintainers' team.

If the security vulnerability is accepted, a patch will be crafted privately
in order to prepare a dedicated bugfix release as timely as possible (depending
on the complexity of the fix).

In addition to sending the report by email, you can also report security
vulnerabilities to [tidelift](https://tidelift.com/security).
"""

# Every corpus file: the release cut over it, and what must come out.
CORPUS_CASES: dict[str, tuple[str, str | Replaced | Refused]] = {
    "01-matplotlib-matplotlib.md": ("3.8.0", MATPLOTLIB_AFTER),
    "02-OpenZeppelin-openzeppelin-contracts.md": (
        "5.0.0",
        Replaced(
            "| Version | Supported                             |\n"
            "| ------- | ------------------------------------- |\n"
            "| 4.x     | :white_check_mark: :white_check_mark: |\n"
            "| 3.4     | :white_check_mark:                    |\n"
            "| 2.5     | :white_check_mark:                    |\n"
            "| < 2.0   | :x:                                   |\n",
            "| Version | Supported                             |\n"
            "| ------- | ------------------------------------- |\n"
            "| 5.x     | :white_check_mark: :white_check_mark: |\n"
            # Two marks for the newest major, one for past majors ("only critical severity bug
            # fixes will be backported to past major releases"): 4.x takes the one it moves to.
            "| 4.x     | :white_check_mark:                    |\n"
            "| 3.4     | :white_check_mark:                    |\n"
            "| < 3.4   | :x:                                   |\n",
        ),
    ),
    "03-celery-celery.md": (
        "5.4.0",
        Replaced(
            "| 5.3.x   | :white_check_mark: |\n"
            "| 5.2.x   | :x:                |\n"
            "| 5.1.x   | :x: |\n",
            "| 5.4.x   | :white_check_mark: |\n"
            "| 5.3.x   | :x:                |\n"
            "| 5.2.x   | :x:                |\n"
            "| 5.1.x   | :x:                |\n",
        ),
    ),
    "04-scrapy-scrapy.md": (
        "2.14.0",
        Replaced(
            "| Version   | Supported |\n"
            "|-----------|-----------|\n"
            "| 2.13.x    | ✅        |\n"
            "| < 2.13.x  | ❌        |\n",
            "| Version  | Supported |\n"
            "|----------|-----------|\n"
            "| 2.14.x   | ✅        |\n"
            "| < 2.14.x | ❌        |\n",
        ),
    ),
    "05-caddyserver-caddy.md": (
        "3.0.0",
        Replaced(
            "| 2.x     | :white_check_mark: |\n",
            "| 3.x     | :white_check_mark: |\n| 2.x     | :x:                |\n",
        ),
    ),
    "06-mastodon-mastodon.md": (
        "4.3.0",
        Replaced(
            "| 4.2.x   | Yes              |\n| 4.1.x   | Yes              |\n",
            "| 4.3.x   | Yes              |\n"
            "| 4.2.x   | Yes              |\n"
            "| 4.1.x   | No               |\n",
        ),
    ),
    "07-redis-redis.md": ("5.2.0", REDIS_AFTER),
    "08-tauri-apps-tauri.md": ("2.0.0", UNCHANGED),  # "> 1.0" already covers 2.0.0
    "09-sequelize-sequelize.md": (
        "6.0.0",
        Replaced(
            "| 3.x   | :white_check_mark:   |\n"
            "| 4.x   | :white_check_mark:   |\n"
            "| 5.x   | :white_check_mark:   |\n",
            "| 4.x     | :white_check_mark: |\n"
            "| 5.x     | :white_check_mark: |\n"
            "| 6.x     | :white_check_mark: |\n",
        ),
    ),
    "10-louislam-uptime-kuma.md": ("1.8.0", UPTIME_KUMA_AFTER),
    "11-scikit-learn-scikit-learn.md": ("1.4.0", SCIKIT_LEARN_AFTER),
    "12-socketio-socket.io.md": (
        "5.0.0",
        Replaced(
            "| 4.x     | :white_check_mark: |\n"
            "| 3.x     | :white_check_mark: |\n"
            "| 2.4.x   | :white_check_mark: |\n"
            "| < 2.4.0 | :x:                |\n",
            "| 5.x     | :white_check_mark: |\n"
            "| 4.x     | :white_check_mark: |\n"
            "| 3.x     | :white_check_mark: |\n"
            "| < 3.0.0 | :x:                |\n",
        ),
    ),
    "13-gitpython-developers-GitPython.md": (
        "4.0.0",
        Replaced(
            "| 3.x.x   | :white_check_mark: |\n| < 3.0   | :x:                |\n",
            "| 4.x.x   | :white_check_mark: |\n| < 4.0   | :x:                |\n",
        ),
    ),
    "14-cakephp-cakephp.md": (
        "3.8.0",
        Replaced(
            "| 3.7.x   | :white_check_mark: |\n"
            "| 3.6.x   | :white_check_mark: |\n"
            "| <= 3.5  | :x:                |\n",
            "| 3.8.x   | :white_check_mark: |\n"
            "| 3.7.x   | :white_check_mark: |\n"
            "| <= 3.6  | :x:                |\n",
        ),
    ),
    "15-OpenMage-magento-lts.md": (
        "1.10.0",
        Replaced(
            "| Version   | Branch           | Supported          |\n"
            "| --------- | ---------------- | ------------------ |\n"
            "| 1.9.4.4   | 1.9.4.x          | :white_check_mark: |\n"
            "| < 1.9.4.4 | 1.9.3.x, etc.    | :x:                |\n",
            "| Version    | Branch        | Supported          |\n"
            "| ---------- | ------------- | ------------------ |\n"
            "| 1.10.0.0   |               | :white_check_mark: |\n"
            "| < 1.10.0.0 | 1.9.3.x, etc. | :x:                |\n",
        ),
    ),
    "90-tornadoweb-tornado.md": ("6.5.0", Refused(3, "prose only: the section has no table")),
    "91-mitmproxy-mitmproxy.md": (
        "11.1.0",
        Refused(7, "rows are not versions: 'main branch', 'most recent release'"),
    ),
    "92-laravel-framework.md": (
        "6.0.0",
        Refused(7, "no pipes at the row edges (and tabs as padding below)"),
    ),
    "93-islamdiaa-dropbox-docker.md": (
        "1.1.0",
        Refused(13, "rows are image tags, not versions: '`latest`', 'Dated tags'"),
    ),
    "94-P4suta-windows-spawn.md": ("0.2.0", Refused(3, "prose only: the section has no table")),
}


def expected_text(original: str, expected: str | Replaced) -> str:
    if isinstance(expected, str):
        return expected
    if expected == UNCHANGED:
        return original
    assert original.count(expected.old) == 1, "the old block must name one place in the file"
    return original.replace(expected.old, expected.new)


def test_every_corpus_file_has_a_case() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    assert sorted(path.name for path in CORPUS.iterdir()) == sorted(CORPUS_CASES)


@pytest.mark.parametrize(("name", "case"), CORPUS_CASES.items(), ids=list(CORPUS_CASES))
def test_corpus(name: str, case: tuple[str, str | Replaced | Refused]) -> None:
    original = corpus_text(name)
    version, expected = case
    if isinstance(expected, Refused):
        with pytest.raises(FileFormatError) as caught:
            find_table(original)
        assert caught.value.line == expected.line
        assert refusal(original, version).line == expected.line
        return
    new = release(original, version)
    assert new == expected_text(original, expected)
    assert is_supported(new, version)
    assert release(new, version) == new  # a second run finds nothing to do


def test_refusing_is_the_exception_in_the_corpus() -> None:
    refused = [
        name for name, (_, expected) in CORPUS_CASES.items() if isinstance(expected, Refused)
    ]
    assert len(refused) * 3 < len(CORPUS_CASES)


# --- issue 27: every row's meaning survives the release -----------------------------------------


def table(*rows: str) -> str:
    return section("| Version | Supported |\n| ------- | --------- |\n" + "".join(rows))


def rows_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")][2:]


@pytest.mark.parametrize(
    ("before", "version", "after"),
    [
        (  # r12: a lesser support moves down with the lines
            ("| 0.4.x | Yes |\n", "| 0.3.x | Security fixes only |\n", "| < 0.3 | No |\n"),
            "0.5.0",
            ["0.5.x | Yes", "0.4.x | Security fixes only", "< 0.4 | No"],
        ),
        (  # the same, with old lines listed one by one
            ("| 2.x | ✅ |\n", "| 1.x | Critical fixes |\n", "| 0.x | ❌ |\n"),
            "3.0.0",
            ["3.x | ✅", "2.x | Critical fixes", "1.x | ❌", "0.x | ❌"],
        ),
        (  # a date belongs to its line: it is not moved onto another
            ("| 4.2.x | Yes |\n", "| 4.1.x | Until 2030-12-31 |\n", "| < 4.1 | No |\n"),
            "4.3.0",
            ["4.3.x | Yes", "4.2.x | No", "4.1.x | Until 2030-12-31", "< 4.1 | No"],
        ),
        (  # 0.0.x to 0.1.0: the range of older versions still covers every 0.0 release
            ("| 0.0.x | Yes |\n", "| <= 0.0.2 | No |\n"),
            "0.1.0",
            ["0.1.x | Yes", "<= 0.0.x | No"],
        ),
        (
            ("| 0.0.x | Yes |\n", "| < 0.0.x | No |\n"),
            "0.1.0",
            ["0.1.x | Yes", "< 0.1.x | No"],
        ),
        (  # r13: a table naming the exact release moves with a patch release too
            ("| 1.6.0 | Yes |\n", "| < 1.6.0 | No |\n"),
            "1.6.1",
            ["1.6.1 | Yes", "< 1.6.1 | No"],
        ),
    ],
)
def test_every_rows_meaning_survives_the_release(
    before: tuple[str, ...], version: str, after: list[str]
) -> None:
    released = release(table(*before), version)
    assert [" ".join(row.strip("| ").split()) for row in rows_of(released)] == [
        " ".join(row.split()) for row in after
    ]
    assert is_supported(released, version)


def test_a_patch_release_leaves_a_table_of_lines_alone() -> None:
    text = table("| 1.6.x | Yes |\n", "| < 1.6 | No |\n")
    assert release(text, "1.6.1") == text


# --- a table of one row: the line that left is said unsupported --------------------------------


def test_bump_minor_on_a_0_0_x_policy_of_bump_init_writes_the_one_init_writes_at_0_1() -> None:
    at_0_0 = scaffold.security_text(version="0.0.3", web_url=None, render=simple_render)
    at_0_1 = scaffold.security_text(version="0.1.0", web_url=None, render=simple_render)
    assert rows_of(at_0_0) == ["| 0.0.x   | :white_check_mark: |"]
    released = release(at_0_0, "0.1.0")
    assert released == at_0_1
    assert rows_of(released) == [
        "| 0.1.x   | :white_check_mark: |",
        "| < 0.1   | :x:                |",
    ]
    assert not is_supported(released, "0.0.3")
    # bump check accepts it, and the release's own lint finds nothing new in it.
    assert lint.check_security(released, path="SECURITY.md", version="0.1.0") == []
    assert (
        lint.security_after_release(at_0_0, released, path="SECURITY.md", old="0.0.3", new="0.1.0")
        == []
    )
    # The next release moves the range row as any other.
    assert rows_of(release(released, "0.2.0")) == [
        "| 0.2.x   | :white_check_mark: |",
        "| < 0.2   | :x:                |",
    ]


@pytest.mark.parametrize(
    ("row", "version", "after"),
    [
        ("| 0.0.x | ✅ |\n", "0.1.0", ["0.1.x | ✅", "< 0.1 | ❌"]),
        ("| 1.2.x | ✔️ |\n", "1.3.0", ["1.3.x | ✔️", "< 1.3 | ❌"]),
        ("| 0.0.x | Yes |\n", "0.1.0", ["0.1.x | Yes", "< 0.1 | No"]),
        ("| 0.0.x | yes |\n", "1.0.0", ["1.0.x | yes", "< 1.0 | no"]),
        ("| 2.4.x | YES |\n", "2.5.0", ["2.5.x | YES", "< 2.5 | NO"]),
        (
            "| 0.3.x | :heavy_check_mark: |\n",
            "0.4.0",
            ["0.4.x | :heavy_check_mark:", "< 0.4 | :x:"],
        ),
        ("| 0.3.x | Supported |\n", "0.4.0", ["0.4.x | Supported", "< 0.4 | No"]),
        ("| 1.x | Yes |\n", "2.0.0", ["2.x | Yes", "< 2 | No"]),
        ("| 0.x | Yes |\n", "1.0.0", ["1.x | Yes", "< 1 | No"]),
        ("| 0.0.1 | Yes |\n", "0.0.2", ["0.0.2 | Yes", "< 0.0.2 | No"]),
        ("| 1.6.0 | Yes |\n", "1.7.0", ["1.7.0 | Yes", "< 1.7.0 | No"]),
        ("| v1.0.x | Yes |\n", "1.1.0", ["v1.1.x | Yes", "< v1.1 | No"]),
        ("| `1.0.x` | Yes |\n", "2.0.0", ["`2.0.x` | Yes", "`< 2.0` | No"]),
    ],
)
def test_a_table_of_one_row_gains_a_range_row_in_its_own_style(
    row: str, version: str, after: list[str]
) -> None:
    released = release(table(row), version)
    assert [" ".join(cell.strip("| ").split()) for cell in rows_of(released)] == after
    assert is_supported(released, version)
    assert lint.check_security(released, path="SECURITY.md", version=version) == []


def test_the_range_row_leaves_the_extra_columns_empty() -> None:
    text = section(
        "| Version | Branch        | Supported |\n| --- | --- | --- |\n"
        "| 0.2.x   | release/0.2.x | Yes       |\n"
    )
    assert rows_of(release(text, "0.3.0")) == [
        "| 0.3.x   | release/0.3.x | Yes       |",
        "| < 0.3   |               | No        |",
    ]


@pytest.mark.parametrize(
    ("before", "version"),
    [
        (("| 0.2.x | Yes |\n", "| 0.1.x | Yes |\n"), "0.3.0"),  # newest first, no range
        (("| 1.x | Yes |\n", "| 0.x | Security fixes only |\n"), "2.0.0"),  # all in the window
        (("| 3.x | Yes |\n", "| 4.x | Yes |\n"), "5.0.0"),  # oldest first
        (("| 0.2.x | Yes |\n", "| 0.1.x | No |\n"), "0.3.0"),  # old lines one by one
    ],
)
def test_a_table_of_several_rows_gains_no_range_row(before: tuple[str, ...], version: str) -> None:
    released = release(table(*before), version)
    rows = rows_of(released)
    assert not any(row.strip("| ").startswith("<") for row in rows)
    assert len(rows) == len(before) + (1 if "No" in before[-1] else 0)


@pytest.mark.parametrize("shown", [True, False])
def test_a_table_of_wide_marks_keeps_its_padding(shown: bool) -> None:
    """A trial's SECURITY.md padded ✅ to the header as an editor shows it (✅ takes two
    columns: one space fewer than str.ljust gives, as scrapy's does); the new rows came out
    a column too wide. A table padded by length in characters stays padded so."""
    from cutrelease.files.security import _raw_cells, _width

    size = _width if shown else len
    pad = 7 if shown else 8  # after ✅, to the width of "Supported"
    rows = [f"| 5.1.x   | ✅{' ' * pad} |", f"| < 5.1   | ❌{' ' * pad} |"]
    text = section("| Version | Supported |\n| ------- | --------- |\n" + "\n".join(rows) + "\n")
    new = release(text, "5.2.0")
    table = [line for line in new.splitlines() if line.startswith("| ")]
    assert "| 5.2.x   | ✅" in new and "| < 5.2   | ❌" in new
    assert len({size(_raw_cells(line)[1]) for line in table}) == 1, table
