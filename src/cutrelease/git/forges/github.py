"""GitHub: /compare/v1...v2 and /releases/tag/v2 (the shapes unknown forges are read as)."""

from cutrelease.git.forges.base import Forge

FORGE = Forge(
    "GitHub", ("github",), "/compare/", "...", newer_first=False, tag_page="/releases/tag/"
)
