"""Learn the tag prefix from the package's own releases: the tags of its current version and
its changelog's links, whatever the prefix ("v", none, "py-v", "widget/v"); or from the
remote's tags when this clone has none (a shallow or `--no-tags` CI checkout).

SPEC section 16, "The tag series is the package's own": in a repository where another
component is tagged `v…` and the package `py-v…`, the package's tags are the ones its links
name and that point at commits moving its version; when the evidence disagrees, nothing is
guessed (Learned.conflict).
"""

# No `from __future__ import annotations`: NamedTuple reads string annotations as ForwardRefs,
# compiling each field's, which cost every command's start-up more than the class itself.
import functools
import os
import re
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from cutrelease.git import forges, refs

if TYPE_CHECKING:
    import mmap

DEFAULT = "v"
#: The prefixes a remote is asked for, in the order they are looked for, when nothing here
#: tells the prefix.
CANDIDATES = (DEFAULT, "")


class Learned(NamedTuple):
    """What the package's releases say of its tag prefix.

    `prefix` is None when nothing here tells it (then the remote's tags decide, see
    from_remote) or when the evidence disagrees: `conflict` then names each candidate and
    where it was seen ("py-v (CHANGELOG.md's links), v (the tag v0.2.0)").
    """

    prefix: str | None
    note: str | None = None
    conflict: str | None = None


def learn(
    root: Path,
    git_dir: Path,
    *,
    version: str | None,
    changelog: str,
    version_file: str | None = "pyproject.toml",
    others: Callable[[], Collection[str]] | None = None,
) -> Learned:
    """The tag prefix of a project whose config does not set tag_prefix.

    The evidence: each existing tag `PREFIX` + `version` (read from git's ref files), and each
    prefix the changelog's links (link definitions, heading links) give `version`'s tag. One
    prefix among them all is the answer. Several: the tags that do not point at a commit that
    moved the version in `version_file` (None: not checked) are another component's and
    drop out; if the changelog's links name one prefix and a tag of it is among those left,
    the links decide; else the evidence disagrees. `others` gives, when asked, the tag
    prefixes of the repository's other packages (a workspace's members: `alpha-v`): their
    tags are theirs, even on the commit that moved this version too (a release of several
    packages tags one commit once per package).
    """
    if version is None:
        return Learned(DEFAULT)
    tags = _tags_of(git_dir, version)
    links = _link_prefixes(root / changelog, version)
    if len(set(tags) | links) > 1 and others is not None:
        theirs = set(others())
        tags = {prefix: tag for prefix, tag in tags.items() if prefix not in theirs}
    if len(set(tags) | links) > 1 and version_file is not None:
        own = {p: tag for p, tag in tags.items() if _moves(root, tag, version, version_file)}
        if not own and not links:
            return Learned(None, conflict=_said(tags, set(), changelog))
        tags = own
        if len(links) == 1 and links <= set(tags):
            tags = {prefix: tags[prefix] for prefix in links}
    evidence = set(tags) | links
    if len(evidence) > 1:
        return Learned(None, conflict=_said(tags, links, changelog))
    if not evidence:
        return Learned(None)
    prefix = evidence.pop()
    if prefix == DEFAULT:
        return Learned(DEFAULT)
    seen = (
        f"the existing tag {tags[prefix]}"
        if prefix in tags
        else f"{changelog}'s links to {version}"
    )
    named = "tags have no prefix" if prefix == "" else f"tags are named {prefix}X.Y.Z"
    return Learned(prefix, f"{named} (learned from {seen})")


def from_remote(
    remote_refs: dict[str, str], remote: str, *, version: str
) -> tuple[str, str | None]:
    """(prefix, how it was learned) from the tags of `version` a remote has (`remote_refs`,
    full ref names, asked for both CANDIDATES): "v" when it has that tag or neither.

    Neither: the current version was never tagged anywhere (a first release), and the
    documented default applies; nothing is guessed over a tag that exists.
    """
    if f"refs/tags/{DEFAULT}{version}" in remote_refs:
        return DEFAULT, None
    if f"refs/tags/{version}" in remote_refs:
        return "", f"tags have no prefix (learned from the tag {version} on {remote})"
    return DEFAULT, None


def _said(tags: dict[str, str], links: set[str], changelog: str) -> str:
    """Each candidate and where it was seen, for the refusal."""
    seen: dict[str, list[str]] = {}
    for prefix in sorted(links):
        seen.setdefault(prefix, []).append(f"{changelog}'s links")
    for prefix, tag in sorted(tags.items()):
        seen.setdefault(prefix, []).append(f"the tag {tag}")
    return ", ".join(
        f"{prefix or '(none)'} ({' and '.join(where)})" for prefix, where in seen.items()
    )


def _tags_of(git_dir: Path, version: str) -> dict[str, str]:
    """{prefix: tag} of each tag named PREFIX + `version`, read from git's ref files (loose and
    packed) without starting git, so that check-tag answers at once; a reftable store (read
    only by git) tells none here, and the links and the remote decide."""
    if not refs.files_store(git_dir):
        return {}
    common = refs.common_dir(git_dir)
    found: set[str] = set()
    folder = common / "refs" / "tags"
    for parent, _, names in os.walk(folder):
        for name in names:
            if name.endswith(version):
                found.add((Path(parent) / name).relative_to(folder).as_posix())
    found.update(_packed_tags_ending(refs.packed_text(git_dir) or "", version))
    return {
        tag[: len(tag) - len(version)]: tag
        for tag in sorted(found)
        if forges.is_ref_of(tag, version) and refs.resolve(git_dir, f"refs/tags/{tag}")
    }


def _packed_tags_ending(packed: str, version: str) -> list[str]:
    """The tags of packed-refs' text `packed` (`SHA refs/tags/NAME` lines) whose names end
    with `version`. Only the lines holding `version` are read: a pattern run over each of
    the file's lines costs more than the rest of the command in a repository of thousands
    of tags."""
    found: list[str] = []
    end = 0
    at = packed.find(version)
    while at >= 0:
        start, end = packed.rfind("\n", 0, at) + 1, packed.find("\n", at)
        end = len(packed) if end < 0 else end
        line = packed[start:end].rstrip("\r")
        sha, _, ref = line.partition(" ")
        name = ref.removeprefix("refs/tags/")
        named = name != ref and name.endswith(version) and not any(c.isspace() for c in name)
        if named and sha and not sha.strip("0123456789abcdef"):
            found.append(name)
        at = packed.find(version, end)
    return found


def _moves(root: Path, tag: str, version: str, path: str) -> bool:
    """Whether the commit `tag` points at writes `version` into `path` (git show's diff):
    a release of this package, not another component's."""
    try:
        import subprocess  # here: only a tag series in doubt asks git; check-tag never

        done = subprocess.run(
            ["git", "show", "--format=", "--unified=0", f"refs/tags/{tag}^{{commit}}", "--", path],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return True  # no git to ask: every tag counts
    diff = done.stdout.decode("utf-8", "replace").splitlines()
    return any(
        line.startswith("+") and not line.startswith("+++") and version in line for line in diff
    )


@functools.cache
def _tag_page() -> re.Pattern[str]:
    """The ref in a page of one tag: .../releases/tag/REF, .../-/tags/REF, .../src/tag/REF.
    Compiled when first asked: most links are compare pages, which need it not."""
    return re.compile(r"/(?:releases/tag|-/tags|-/releases|src/tag|tags|tree|releases)/(.+?)/?$")


def _link_prefixes(path: Path, version: str) -> set[str]:
    """The prefixes the changelog's links (link definitions and version headings' inline
    links) give `version`'s tag: "v" in compare/v1.2.2...v1.2.3, "py-v" in
    releases/tag/py-v1.2.3. Read with a pattern over the text (no parse: a changelog may be
    megabytes, and every command learns the prefix): only the lines that name it are read,
    and only they are decoded (UTF-8 never holds an ASCII byte inside another character, so
    the version and the line ends are found in the bytes)."""
    try:
        with open(path, "rb") as file:
            if os.fstat(file.fileno()).st_size < _MAPPED:
                return _prefixes_named(file.read(), version)
            try:
                with _mapped(file) as mapped:
                    return _prefixes_named(mapped, version)
            except (OSError, ValueError):  # a file mmap cannot map: read as bytes then
                return _prefixes_named(file.read(), version)
    except OSError:
        return set()


#: From this size a changelog is searched mapped (see _mapped); a smaller one is read.
_MAPPED = 1024 * 1024


def _mapped(file: BinaryIO) -> "mmap.mmap":
    """The file's bytes mapped, read ahead in one go where the system can (MAP_POPULATE):
    searching a changelog of megabytes this way costs less than reading it into a copy.
    Raises ValueError for an empty file, OSError where it cannot be mapped."""
    import mmap  # here: only a changelog of megabytes is mapped

    if sys.platform == "win32":  # pragma: no cover - no such flags there
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    flags = mmap.MAP_PRIVATE | getattr(mmap, "MAP_POPULATE", 0)
    return mmap.mmap(file.fileno(), 0, flags=flags, prot=mmap.PROT_READ)


def _prefixes_named(raw: "bytes | mmap.mmap", version: str) -> set[str]:
    """_link_prefixes of a changelog's bytes `raw`."""
    found: set[str] = set()
    needle = version.encode("utf-8")
    at = raw.find(needle)
    while at >= 0:  # only the lines naming the version: a pattern over megabytes is slow
        start, end = raw.rfind(b"\n", 0, at) + 1, raw.find(b"\n", at)
        end = len(raw) if end < 0 else end
        line = raw[start:end].decode("utf-8", errors="replace")
        link = _LINK_LINE.match(line)
        url = (link[1] or link[2]) if link is not None else None
        if url is not None and version in url:
            found.update(_prefixes_in(url, version))
        at = raw.find(needle, end)
    return found


#: A line's link: a link definition's URL, or a version heading's inline link.
_LINK_LINE = re.compile(r" {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)|#{1,6}[ \t][^\n]*?\]\(([^)\s]+)\)")


def _prefixes_in(url: str, version: str) -> set[str]:
    """The prefixes of `version`'s refs in one URL: a compare page's refs, a tag page's ref,
    or the last path segment."""
    compared = forges.compare_refs(url)
    if compared is not None:
        named = list(compared)
    else:
        page = _tag_page().search(url.split("?")[0].split("#")[0])
        named = [page[1]] if page else [url.rstrip("/").rsplit("/", 1)[-1]]
    return {ref[: len(ref) - len(version)] for ref in named if forges.is_ref_of(ref, version)}
