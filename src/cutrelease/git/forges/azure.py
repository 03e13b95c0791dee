"""Azure DevOps: _git/REPO/branchCompare?baseVersion=GTv1&targetVersion=GTv2 and ?version=GTv2.

Each ref carries its kind: GT a tag, GB a branch, GC a commit
(https://learn.microsoft.com/azure/devops/repos/git/branches#compare-branches).
"""

from cutrelease.git.forges.base import Forge

FORGE = Forge(
    "Azure DevOps",
    ("dev.azure.com", "visualstudio.com"),
    "/branchCompare?baseVersion=",
    "&targetVersion=",
    newer_first=False,
    tag_page="?version=",
    pattern=(
        r"(?P<start>.*?/_git/[^/?#]+/branchCompare\?baseVersion=)(?P<mark1>G[TBC])(?P<first>[^&#]+)"
        r"(?P<separator>&targetVersion=)(?P<mark2>G[TBC])(?P<second>[^&#]+)(?P<end>(?:[&#].*)?)"
    ),
    tag_mark="GT",
)


def web_url(path: str) -> str | None:
    """The web URL of an SSH remote's path, v3/ORG/PROJECT/REPO (None for another path)."""
    parts = path.strip("/").removesuffix(".git").split("/")
    if len(parts) != 4 or parts[0] != "v3":
        return None
    org, project, repo = parts[1:]
    return f"https://dev.azure.com/{org}/{project}/_git/{repo}"


def issue_url(web_url: str, number: str) -> str:
    """A work item's page: work items belong to the project, not to one repository."""
    project = web_url.split("/_git/", 1)[0]
    return f"{project}/_workitems/edit/{number}"
