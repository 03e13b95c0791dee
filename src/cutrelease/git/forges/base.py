"""The one interface every forge module fills: where its compare and tag pages are."""

# No `from __future__ import annotations`: NamedTuple reads string annotations as ForwardRefs,
# compiling each field's, which cost every command's start-up more than the class itself.
from typing import NamedTuple


class Forge(NamedTuple):
    """Where a forge keeps compare, tag and issue pages, and which ref its compare page names first.

    A compare page is `{web_url}{compare}{older}{separator}{newer}` (newer first when
    `newer_first`); a forge whose page names the kind of each ref (Azure DevOps: `GT` for a
    tag, `GB` for a branch) writes `tag_mark` before a tag. `pattern` finds the forge's compare
    links, with the groups start, first, separator, second, end (and mark1, mark2).
    """

    name: str
    hosts: tuple[str, ...]  # words of the host names it runs on: "gitlab", "codeberg"
    compare: str  # the path after the repository's web URL: "/compare/"
    separator: str  # between the two refs: "..."
    newer_first: bool  # Bitbucket: /branches/compare/NEW%0DOLD
    tag_page: str  # the path of a tag's page, before the tag: "/releases/tag/"
    # A pattern (compiled when first used) of its compare links, which hold `compare`; None:
    # the `/compare/A...B` shape most forges share.
    pattern: str | None = None
    tag_mark: str = ""  # written before a tag in a compare or tag page: Azure DevOps' "GT"
    issues: str = "/issues/"  # the path of an issue's page, before its number

    def issue_url(self, web_url: str, number: str) -> str:
        """The page of issue `number` of the repository at `web_url`."""
        return f"{web_url}{self.issues}{number}"

    def owns(self, host: str) -> bool:
        """Whether a host name says this forge (`gitlab.example.com`, `codeberg.org`)."""
        return any(word in host for word in self.hosts)
