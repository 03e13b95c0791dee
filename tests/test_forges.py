"""Tests for cutrelease.forges: compare and tag pages on each forge, and web URLs of remotes."""

from __future__ import annotations

import pytest

from cutrelease.git import forges
from cutrelease.git.forges import (
    compare_refs,
    compare_url,
    forge_of,
    is_ref_of,
    next_tag_page,
    parse_compare,
    tag_url,
    web_url_from_remote,
)


@pytest.mark.parametrize(
    ("web", "forge", "compare", "tag"),
    [
        (
            "https://github.com/o/r",
            forges.GITHUB,
            "https://github.com/o/r/compare/v1.0.0...v1.1.0",
            "https://github.com/o/r/releases/tag/v1.1.0",
        ),
        (
            "https://gitlab.com/g/sub/r",
            forges.GITLAB,
            "https://gitlab.com/g/sub/r/-/compare/v1.0.0...v1.1.0",
            "https://gitlab.com/g/sub/r/-/tags/v1.1.0",
        ),
        (
            "https://bitbucket.org/o/r",
            forges.BITBUCKET,
            "https://bitbucket.org/o/r/branches/compare/v1.1.0%0Dv1.0.0",
            "https://bitbucket.org/o/r/src/v1.1.0",
        ),
        (
            "https://codeberg.org/o/r",
            forges.GITEA,
            "https://codeberg.org/o/r/compare/v1.0.0...v1.1.0",
            "https://codeberg.org/o/r/releases/tag/v1.1.0",
        ),
        (
            "https://gitea.example.com:3000/o/r",
            forges.GITEA,
            "https://gitea.example.com:3000/o/r/compare/v1.0.0...v1.1.0",
            "https://gitea.example.com:3000/o/r/releases/tag/v1.1.0",
        ),
        (  # a self-hosted forge that does not say which: GitHub's paths (Gitea's too)
            "https://git.example.com/o/r",
            forges.GITHUB,
            "https://git.example.com/o/r/compare/v1.0.0...v1.1.0",
            "https://git.example.com/o/r/releases/tag/v1.1.0",
        ),
    ],
)
def test_each_forge_writes_its_compare_and_tag_pages(
    web: str, forge: forges.Forge, compare: str, tag: str
) -> None:
    assert forge_of(web) == forge
    assert compare_url(web, "v1.0.0", "v1.1.0") == compare
    assert compare_refs(compare) == ("v1.0.0", "v1.1.0")
    assert tag_url(web, "v1.1.0") == tag


@pytest.mark.parametrize(
    ("url", "refs"),
    [
        ("https://github.com/o/r/compare/v1.2.3...HEAD", ("v1.2.3", "HEAD")),
        ("https://github.com/o/r/compare/v1.2.3..main", ("v1.2.3", "main")),
        ("https://bitbucket.org/o/r/branches/compare/develop..v2.9.3#diff", ("v2.9.3", "develop")),
        ("https://bitbucket.org/o/r/branches/compare/HEAD%0dv1.0.0", ("v1.0.0", "HEAD")),
        ("https://gitlab.com/o/r/-/compare/1.0...1.1/", ("1.0", "1.1")),
        ("https://github.com/o/r/releases/tag/v1.2.3", None),
        ("https://github.com/o/r/compare/v1.2.3", None),
    ],
)
def test_compare_refs_reads_older_then_newer(url: str, refs: tuple[str, str] | None) -> None:
    assert compare_refs(url) == refs


def test_a_compare_link_keeps_its_shape_with_other_refs() -> None:
    compare = parse_compare("https://bitbucket.org/o/r/branches/compare/develop..v2.9.3#diff")
    assert compare is not None
    assert compare.with_refs("develop", "v2.9.4") == (
        "https://bitbucket.org/o/r/branches/compare/develop..v2.9.4#diff"
    )
    assert compare.tag_page("v2.9.4") == "https://bitbucket.org/o/r/src/v2.9.4"


@pytest.mark.parametrize(
    ("url", "previous", "side"),
    [
        ("https://x/compare/v1.0.0...HEAD", "1.0.0", 0),
        ("https://x/compare/HEAD%0Dv1.0.0", "1.0.0", 1),
        ("https://x/compare/v0.9.0...main", "1.0.0", 0),  # stale: the side with digits
        ("https://x/compare/main...develop", "1.0.0", None),
        ("https://x/compare/v0.9.0...HEAD", "1.0.0", 0),
        ("https://x/compare/develop..v2.9.3", None, 1),  # the only side with digits
    ],
)
def test_the_tag_side_of_an_unreleased_link(url: str, previous: str | None, side: int) -> None:
    compare = parse_compare(url)
    assert compare is not None
    assert compare.tag_side(previous) == side


@pytest.mark.parametrize(
    ("ref", "version", "expected"),
    [
        ("v1.2.3", "1.2.3", True),
        ("mdcat-1.2.3", "1.2.3", True),
        ("1.2.3", "1.2.3", True),
        ("11.2.3", "1.2.3", False),
        ("0.1.2.3", "1.2.3", False),
        ("v1.2.4", "1.2.3", False),
    ],
)
def test_is_ref_of(ref: str, version: str, expected: bool) -> None:
    assert is_ref_of(ref, version) is expected


def test_next_tag_page_follows_the_pattern_of_the_last_one() -> None:
    assert next_tag_page("https://x/o/r/tree/1.2.1", "1.2.1", "1.3.0") == "https://x/o/r/tree/1.3.0"
    assert next_tag_page("https://pypi.org/project/b/0.1.0/", "0.1.0", "v0.2.0") == (
        "https://pypi.org/project/b/v0.2.0/"
    )
    assert next_tag_page("https://x/o/r/tree/11.2.1", "1.2.1", "1.3.0") is None


# ----------------------------------------------------------------------------- remotes


@pytest.mark.parametrize(
    ("remote", "web"),
    [
        ("https://github.com/acme/widget.git", "https://github.com/acme/widget"),
        ("https://github.com/acme/widget", "https://github.com/acme/widget"),
        ("https://github.com/acme/widget/", "https://github.com/acme/widget"),
        ("https://user:s3cret@github.com/acme/widget.git", "https://github.com/acme/widget"),
        ("https://x-access-token@github.com/acme/widget.git", "https://github.com/acme/widget"),
        ("git@github.com:acme/widget.git", "https://github.com/acme/widget"),
        ("ssh://git@github.com/acme/widget.git", "https://github.com/acme/widget"),
        ("ssh://git@gitlab.com:22/group/sub/widget.git", "https://gitlab.com/group/sub/widget"),
        ("git@gitlab.com:group/widget.git", "https://gitlab.com/group/widget"),
        ("git@bitbucket.org:acme/widget.git", "https://bitbucket.org/acme/widget"),
        ("https://acme@bitbucket.org/acme/widget.git", "https://bitbucket.org/acme/widget"),
        ("ssh://git@codeberg.org/acme/widget.git", "https://codeberg.org/acme/widget"),
        (
            "https://gitea.example.com:3000/acme/widget.git",
            "https://gitea.example.com:3000/acme/widget",
        ),
        ("/srv/git/widget.git", None),
        ("../widget", None),
        ("file:///srv/git/widget.git", None),
        ("C:\\repos\\widget", None),
        ("C:/repos/widget", None),
        ("widget", None),
    ],
)
def test_web_url_from_remote(remote: str, web: str | None) -> None:
    assert web_url_from_remote(remote) == web


# ----------------------------------------------------------------------------- Azure DevOps

AZURE = "https://dev.azure.com/acme/proj/_git/widget"


def test_azure_devops_compare_links_are_read_and_written_with_their_ref_kinds() -> None:
    unreleased = f"{AZURE}/branchCompare?baseVersion=GTv0.2.0&targetVersion=GBmain"
    compare = parse_compare(unreleased)
    assert compare is not None and compare.forge == forges.AZURE
    assert compare_refs(unreleased) == ("v0.2.0", "main")
    assert compare.tag_side("0.2.0") == 0
    assert compare.with_refs("v0.2.1", "main") == (
        f"{AZURE}/branchCompare?baseVersion=GTv0.2.1&targetVersion=GBmain"
    )
    assert compare.with_refs("v0.2.0", "v0.2.1") == (
        f"{AZURE}/branchCompare?baseVersion=GTv0.2.0&targetVersion=GTv0.2.1"
    )
    assert compare.tag_page("v0.2.1") == f"{AZURE}?version=GTv0.2.1"


def test_azure_devops_remotes_and_pages() -> None:
    assert web_url_from_remote("git@ssh.dev.azure.com:v3/acme/proj/widget") == AZURE
    assert web_url_from_remote("https://acme@dev.azure.com/acme/proj/_git/widget") == AZURE
    assert forge_of(AZURE) == forges.AZURE
    assert compare_url(AZURE, "v1.0.0", "v1.1.0") == (
        f"{AZURE}/branchCompare?baseVersion=GTv1.0.0&targetVersion=GTv1.1.0"
    )
    assert tag_url(AZURE, "v1.1.0") == f"{AZURE}?version=GTv1.1.0"


@pytest.mark.parametrize(
    ("web", "forge"),
    [
        ("https://gitlab.example.com/g/r", forges.GITLAB),
        ("https://forgejo.example.org/o/r", forges.GITEA),
        ("https://codeberg.org/o/r", forges.GITEA),
        ("https://dev.azure.com/o/p/_git/r", forges.AZURE),
        ("https://acme.visualstudio.com/p/_git/r", forges.AZURE),
    ],
)
def test_self_hosted_forges_are_told_by_their_host(web: str, forge: forges.Forge) -> None:
    assert forge_of(web) == forge
