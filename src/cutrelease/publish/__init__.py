"""The release until it is on the package index: the index, the build, status, retract."""
