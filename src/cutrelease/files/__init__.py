"""The release files: Markdown, the changelog, SECURITY.md, and every place the version lives."""
