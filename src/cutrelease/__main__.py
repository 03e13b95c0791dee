"""`python -m cutrelease` runs the bump command."""

from cutrelease.cli import main

main()
