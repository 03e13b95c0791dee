"""GitLab, gitlab.com or self-hosted: /-/compare/v1...v2 and /-/tags/v2."""

from cutrelease.git.forges.base import Forge

FORGE = Forge("GitLab", ("gitlab",), "/-/compare/", "...", newer_first=False, tag_page="/-/tags/")
