"""Gitea, Forgejo and Codeberg, self-hosted or not: GitHub's paths, /compare/ and /releases/tag/."""

from cutrelease.git.forges.base import Forge

FORGE = Forge(
    "Gitea",
    ("gitea", "forgejo", "codeberg"),
    "/compare/",
    "...",
    newer_first=False,
    tag_page="/releases/tag/",
)
