"""Bitbucket Cloud: /branches/compare/NEW%0DOLD (the newer ref first) and /src/v2."""

from cutrelease.git.forges.base import Forge

FORGE = Forge(
    "Bitbucket", ("bitbucket",), "/branches/compare/", "%0D", newer_first=True, tag_page="/src/"
)
