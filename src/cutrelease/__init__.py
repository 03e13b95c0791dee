"""cutrelease: cut a release in one transaction."""
