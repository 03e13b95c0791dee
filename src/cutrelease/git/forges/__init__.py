"""Forge link styles: compare and tag pages on each forge, and web URLs of remotes.

Pure text: nothing here asks a forge anything. A changelog's links are learned from the links it
already has (see changelog.py); these are the shapes they take. Each forge's shapes live in its
own module (github, gitlab, bitbucket, gitea, azure), as one `Forge`; this module reads and
writes links through that one interface.
"""

# No `from __future__ import annotations`: NamedTuple reads string annotations as ForwardRefs,
# compiling each field's, which cost every command's start-up more than the class itself.
import re
from typing import NamedTuple

from cutrelease.git.forges import azure, bitbucket, gitea, github, gitlab
from cutrelease.git.forges.base import Forge
from cutrelease.patterns import compiled

__all__ = [
    "AZURE",
    "BITBUCKET",
    "FORGES",
    "GITEA",
    "GITHUB",
    "GITLAB",
    "Compare",
    "Forge",
    "compare_refs",
    "compare_url",
    "forge_of",
    "is_ref_of",
    "issue_url",
    "next_tag_page",
    "parse_compare",
    "tag_url",
    "web_url_from_remote",
]

GITHUB = github.FORGE
GITLAB = gitlab.FORGE
BITBUCKET = bitbucket.FORGE
GITEA = gitea.FORGE
AZURE = azure.FORGE
FORGES = (GITHUB, GITLAB, BITBUCKET, GITEA, AZURE)


def forge_of(web_url: str) -> Forge:
    """The forge a repository's web URL is on, by its host name; GitHub's paths by default.

    A self-hosted forge whose host does not say which it is gets GitHub's paths, which Gitea
    and Forgejo share.
    """
    host = web_url.split("://", 1)[-1].split("/", 1)[0].lower()
    return next((forge for forge in FORGES[1:] if forge.owns(host)), GITHUB)


class Compare(NamedTuple):
    """A compare URL split around its two refs: `{start}{first}{separator}{second}{end}`.

    `marks` are what the forge writes before each ref (Azure DevOps' `GT`, `GB`), as read.
    """

    start: str
    first: str
    separator: str
    second: str
    end: str
    forge: Forge = GITHUB
    marks: tuple[str, str] = ("", "")

    def with_refs(self, first: str, second: str) -> str:
        """The same URL comparing two other refs, written in the same places.

        A ref kept keeps its mark; a new one is a tag, marked as the forge marks tags.
        """
        marked = [
            (mark if ref == old else self.forge.tag_mark if mark else "") + ref
            for ref, old, mark in zip(
                (first, second), (self.first, self.second), self.marks, strict=True
            )
        ]
        return f"{self.start}{marked[0]}{self.separator}{marked[1]}{self.end}"

    def tag_page(self, tag: str) -> str:
        """The page of `tag` in the same repository: GitHub's /releases/tag/v1.2.3..."""
        web_url = self.start.removesuffix(self.forge.compare)
        return web_url + self.forge.tag_page + self.forge.tag_mark + tag

    def tag_side(self, previous_version: str | None) -> int | None:
        """Which ref (0 or 1) of an Unreleased compare link is the last tag; the other is HEAD.

        The ref naming `previous_version` wins; then the side opposite `HEAD`; then the only
        side with digits (`develop..v2.9.3`). None when nothing tells.
        """
        refs = (self.first, self.second)
        if previous_version is not None:
            for side, ref in enumerate(refs):
                if is_ref_of(ref, previous_version):
                    return side
        for side, other in ((0, self.second), (1, self.first)):
            if other.upper() == "HEAD":
                return side
        has_digits = [any(c.isdigit() for c in ref) for ref in refs]
        if has_digits[0] != has_digits[1]:
            return 0 if has_digits[0] else 1
        return None


#: The `/compare/A...B` shape most forges share.
_COMPARE = r"(?P<start>.*?/compare/)(?P<refs>[^?#]*?)(?P<end>/?(?:[?#].*)?)"


def parse_compare(url: str | None) -> Compare | None:
    """A compare URL on any forge split around its refs; None for any other URL (or None)."""
    url = url or ""
    for forge in FORGES:
        # Its pattern holds its compare path: a URL without it is not matched (nor compiled).
        if forge.pattern is None or forge.compare not in url:
            continue
        match = compiled(forge.pattern).fullmatch(url)
        if match is not None:
            marks = (match["mark1"], match["mark2"])
            parts = (match["start"], match["first"], match["separator"], match["second"])
            return Compare(*parts, match["end"], forge, marks)
    match = compiled(_COMPARE).fullmatch(url) if "/compare/" in url else None
    if match is None:
        return None
    start = match["start"]
    forge = next((f for f in (GITLAB, BITBUCKET) if start.endswith(f.compare)), GITHUB)
    for separator in ("...", "%0D", "%0d", ".."):  # git refs never hold "..": the split is sure
        first, found, second = match["refs"].partition(separator)
        if found and first and second:
            return Compare(start, first, separator, second, match["end"], forge)
    return None


def compare_refs(url: str) -> tuple[str, str] | None:
    """(older ref, newer ref) of a compare URL on any forge; None for any other URL."""
    compare = parse_compare(url)
    if compare is None:
        return None
    if compare.forge.newer_first:
        return compare.second, compare.first
    return compare.first, compare.second


def compare_url(web_url: str, older: str, newer: str) -> str:
    """The forge's page comparing `older` with `newer`: https://github.com/o/r/compare/a...b."""
    forge = forge_of(web_url)
    marks = (forge.tag_mark, forge.tag_mark)
    compare = Compare(web_url + forge.compare, "", forge.separator, "", "", forge, marks)
    return compare.with_refs(newer, older) if forge.newer_first else compare.with_refs(older, newer)


def tag_url(web_url: str, tag: str) -> str:
    """The forge's page of one tag: https://github.com/o/r/releases/tag/v1.2.3."""
    forge = forge_of(web_url)
    return web_url + forge.tag_page + forge.tag_mark + tag


def issue_url(web_url: str, number: str) -> str:
    """The forge's page of issue `number`: https://github.com/o/r/issues/12, GitLab's
    /-/issues/12, an Azure DevOps project's work item /_workitems/edit/12."""
    forge = forge_of(web_url)
    if forge is AZURE:
        return azure.issue_url(web_url, number)
    return forge.issue_url(web_url, number)


def is_ref_of(ref: str, version: str) -> bool:
    """`v1.2.3`, `mdcat-1.2.3` and `1.2.3` are refs of 1.2.3; `11.2.3` and `0.1.2.3` are not."""
    if not ref.endswith(version):
        return False
    before = ref[: -len(version)]
    return not before or not (before[-1].isdigit() or before[-1] == ".")


def next_tag_page(url: str, previous_version: str, tag: str) -> str | None:
    """`.../releases/tag/v1.2.3` or `.../tree/1.2.3` -> the same page of `tag`; None if the URL
    names no ref of `previous_version`."""
    match = re.search(rf"/([^/?#]*{re.escape(previous_version)})(?=$|[/?#])", url)
    if match is None or not is_ref_of(match[1], previous_version):
        return None
    return url[: match.start(1)] + tag + url[match.end(1) :]


# ----------------------------------------------------------------------------- remotes

_REMOTE_URL = (
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/]*@)?(?P<host>[^/:@]+)(?::(?P<port>\d*))?"
    r"(?P<path>/.*)?"
)
_SCP_LIKE = r"(?:[^@/:]+@)?(?P<host>[^/:@\\]+):(?P<path>[^/\\].*)"
_GIT_SCHEMES = {"https", "http", "ssh", "git", "git+ssh", "ssh+git"}


def web_url_from_remote(remote_url: str) -> str | None:
    """https://host/owner/repo for a remote on GitHub, GitLab, Bitbucket or Gitea (Codeberg).

    Reads the https and ssh forms (git@host:owner/repo.git, ssh://git@host/owner/repo.git) and
    strips credentials; None for a local path or file:// URL.
    """
    url = remote_url.strip()
    match = compiled(_REMOTE_URL).fullmatch(url)
    if match is not None:
        scheme = match["scheme"].lower()
        if scheme not in _GIT_SCHEMES:
            return None
        web_scheme = "http" if scheme == "http" else "https"
        port = f":{match['port']}" if match["port"] and scheme in ("http", "https") else ""
        return _web_url(f"{web_scheme}://{match['host']}{port}", match["path"] or "")
    match = compiled(_SCP_LIKE).fullmatch(url)
    if match is None or len(match["host"]) == 1:  # `C:\repo` is a Windows path
        return None
    if match["host"].lower() == "ssh.dev.azure.com":
        return azure.web_url(match["path"])
    return _web_url(f"https://{match['host']}", match["path"])


def _web_url(origin: str, path: str) -> str | None:
    path = path.strip("/").removesuffix(".git").rstrip("/")
    if "/" not in path or path.startswith("~"):
        return None
    return f"{origin}/{path}"
