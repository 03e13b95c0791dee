"""The release until it is on the package index: the index's answer, and where a release stands."""
