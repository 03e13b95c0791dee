"""GitLab, gitlab.com or self-hosted: /-/compare/v1...v2, /-/tags/v2 and /-/issues/12."""

from cutrelease.git.forges.base import Forge

FORGE = Forge(
    "GitLab",
    ("gitlab",),
    "/-/compare/",
    "...",
    newer_first=False,
    tag_page="/-/tags/",
    issues="/-/issues/",
)
