#!/usr/bin/env bash
# A throwaway project with a local bare remote in a temporary folder: dry run, then a real release.
set -euo pipefail
command -v bump >/dev/null || { echo "demo: install cutrelease first (bump is not on PATH)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A throwaway project: the package index is not asked about its name.
export CUTRELEASE_OFFLINE=1
export GIT_AUTHOR_NAME=Demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=Demo GIT_COMMITTER_EMAIL=demo@example.com
git init -q --bare -b main "$work/remote.git"
git init -q -b main "$work/widget"
cd "$work/widget"
cat > pyproject.toml <<'TOML'
[project]
name = "widget"
version = "0.2.0"
TOML
cat > CHANGELOG.md <<'MD'
# Changelog

## [Unreleased]

### Added

- A new knob.

## [0.2.0] - 2026-01-10

### Added

- The widget.

[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
MD
cat > SECURITY.md <<'MD'
# Security Policy

## Supported Versions

| Version | Supported          |
| ------- | ------------------ |
| 0.2.x   | :white_check_mark: |
| < 0.2   | :x:                |
MD
git add -A && git commit -q -m "widget 0.2.0"
git remote add origin "$work/remote.git" && git push -q origin main

echo "\$ bump minor --dry-run"
bump minor --dry-run
echo
echo "\$ bump minor --yes -m 'knobs'"
bump minor --yes -m "knobs"
echo
echo "\$ git log --oneline --decorate"
git log --oneline --decorate
echo
echo "\$ git tag -n1"
git tag -n1
echo
echo "\$ git ls-remote origin"
git ls-remote origin
echo
echo "\$ cat CHANGELOG.md"
cat CHANGELOG.md
