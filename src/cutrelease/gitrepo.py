"""The only module that imports GitPython; every write beside its inverse."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import git

from cutrelease import refs
from cutrelease.errors import CutreleaseError, Refused
from cutrelease.project import git_dir, gitfile_target
from cutrelease.redact import redact


class GitFailed(CutreleaseError):
    """A git command exited non-zero; `detail` is git's own message, credentials removed."""

    def __init__(self, args: Sequence[str], detail: str, *, hint: str | None = None) -> None:
        self.command = f"git {_subcommand(args)}"
        self.detail = _one_line(redact(detail)) or "(git printed nothing)"
        super().__init__(f"`{self.command}` failed: {self.detail}", hint=hint)


def _subcommand(args: Sequence[str]) -> str:
    """`commit` of `-c NAME=VALUE commit -m ...`."""
    words = iter(args)
    for word in words:
        if word == "-c":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return ""


def _one_line(message: str) -> str:
    """git's message as one line: hook and remote output kept, push boilerplate dropped."""
    noise = ("To ", "error: failed to push some refs", "hint:")
    lines = [line.strip() for line in message.splitlines()]
    return "; ".join(line for line in lines if line and not line.startswith(noise))


#: (branch or None if detached, HEAD commit or None if unborn, changed tracked files)
Status = tuple[str | None, str | None, list[str]]


def _parse_status(out: str) -> Status:
    """`git status --porcelain=v2 --branch` read into a Status."""
    branch: str | None = None
    head: str | None = None
    changed: list[str] = []
    fields_before_path = {"1": 8, "2": 9, "u": 10}
    for line in out.splitlines():
        if line.startswith("# branch.head "):
            name = line.removeprefix("# branch.head ")
            branch = None if name == "(detached)" else name
        elif line.startswith("# branch.oid "):
            oid = line.removeprefix("# branch.oid ")
            head = None if oid == "(initial)" else oid
        elif line[:1] in fields_before_path:
            path = line.split(" ", fields_before_path[line[0]])[-1]
            changed.append(path.split("\t")[0])
    return branch, head, changed


def _refuse_another_repository(root: Path, git_dir: Path) -> None:
    """git must work on the repository bump found and journals, not one the environment names.

    GIT_DIR and its kin (as a hook or a script may set them) would send git's writes
    elsewhere. Set to this repository's own paths, as git sets them for hooks, they are fine.
    """
    own = {
        "GIT_DIR": git_dir,
        "GIT_WORK_TREE": root,
        "GIT_INDEX_FILE": git_dir / "index",
        "GIT_COMMON_DIR": refs.common_dir(git_dir),
    }
    for name, path in own.items():
        value = os.environ.get(name)
        if not value:
            continue
        # git runs in the work tree's root, so a relative value is taken from there; a GIT_DIR
        # may name a .git file that points to the folder (`git submodule foreach` sets it so).
        named = root / value
        if name == "GIT_DIR" and named.is_file():
            named = gitfile_target(named)
        if named.resolve() != path.resolve():
            raise Refused(
                f"{name} is set to {value}, not to this repository's ({path}).",
                hint=f"Unset {name}: bump finds the repository from the folder it runs in.",
            )


class GitRepo:
    """git, run in one repository."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git_dir = git_dir(root)
        _refuse_another_repository(root, self.git_dir)
        self._git = git.Git(str(root))

    # -- reading -------------------------------------------------------------------------

    def run(self, *args: str) -> str:
        """Run `git ARGS`; its stdout, or GitFailed quoting stderr."""
        return self.ask(*args)()

    def succeeds(self, *args: str) -> bool:
        """Whether `git ARGS` exits 0 (for yes/no questions)."""
        return self._start(args)()[0] == 0

    def ask(self, *args: str) -> Callable[[], str]:
        """Start `git ARGS` now; call the result for its stdout (or GitFailed quoting stderr).

        Questions that do not depend on each other run side by side: git works on one core
        while Python works on the other.
        """
        answer = self._start(args)

        def stdout() -> str:
            status, out, err = answer()
            if status != 0:
                raise GitFailed(args, err or out)
            return out

        return stdout

    def _start(self, args: Sequence[str], **popen: Any) -> Callable[[], tuple[int, str, str]]:
        """Start `git ARGS`; call the result for (exit status, stdout, stderr)."""
        try:
            running = self._git.execute(["git", *args], as_process=True, **popen)
        except git.GitCommandNotFound:
            raise Refused("git was not found on PATH.", hint="Install git 2.30 or newer.") from None
        # `running` must stay referenced until answered: GitPython kills a dropped process.
        process = running.proc
        assert process is not None

        def answer() -> tuple[int, str, str]:
            out, err = process.communicate()
            running.proc = None  # answered: nothing left for GitPython to kill
            # stderr is for people (and may be a remote's hook's bytes): never undecodable.
            return process.returncode, os.fsdecode(out), err.decode("utf-8", "replace")

        return answer

    def ask_status(self) -> Callable[[], Status]:
        """The branch, HEAD and changed tracked files, asked now."""
        # One process instead of three; --no-optional-locks: a check must not write the index.
        running = self.ask(
            "--no-optional-locks", "status", "--porcelain=v2", "--branch", "--untracked-files=no"
        )
        return lambda: _parse_status(running())

    def ask_index_tags(self, paths: Sequence[str]) -> Callable[[], dict[str, str]]:
        """{path: `git ls-files -v` tag} for those of `paths` git tracks, asked now.

        "H": plain; "S": skip-worktree; a lower-case letter: assume-unchanged.
        """
        running = self.ask("ls-files", "-z", "-v", "--", *paths)

        def tags() -> dict[str, str]:
            entries = (entry for entry in running().split("\0") if entry)
            return {entry[2:]: entry[0] for entry in entries}

        return tags

    def ref(self, name: str) -> str | None:
        """What a full ref name points at, read from the ref files where git keeps them so."""
        if refs.files_store(self.git_dir):
            return refs.resolve(self.git_dir, name)
        return self.resolve(name)

    def head_ref(self) -> tuple[str, str | None]:
        """(refs/heads/NAME, or HEAD when detached; the commit, or None before the first)."""
        found = refs.head(self.git_dir) if refs.files_store(self.git_dir) else None
        if found is not None:
            return found
        ref = self.run("rev-parse", "--symbolic-full-name", "HEAD").strip()
        return ref, self.resolve("HEAD")

    def resolve(self, ref: str) -> str | None:
        status, out, _ = self._start(["rev-parse", "-q", "--verify", ref])()
        return out.strip() if status == 0 else None

    def remote_url(self, remote: str) -> str:
        """The URL `remote` fetches from (or Refused if there is no such remote)."""
        return self.ask_remote_urls(remote)()[0]

    def ask_remote_urls(self, remote: str) -> Callable[[], tuple[str, list[str]]]:
        """(the URL `remote` fetches from, the URLs it pushes to), as git rewrites them; asked
        now, answered with Refused if there is no such remote."""
        running = self.ask("remote", "-v")

        def urls() -> tuple[str, list[str]]:
            fetch: str | None = None
            push: list[str] = []
            for line in running().splitlines():  # NAME\tURL (fetch) / NAME\tURL (push)
                name, _, rest = line.partition("\t")
                url, _, kind = rest.rpartition(" ")
                if name == remote and kind == "(fetch)":
                    fetch = url
                elif name == remote and kind == "(push)":
                    push.append(url)
            if fetch is None and not push:
                raise Refused(
                    f"There is no git remote named {remote!r}.",
                    hint="Add it with `git remote add`, pass --remote NAME, or use --no-push.",
                )
            return fetch or push[0], push

        return urls

    def remote_refs(self, remote: str, refs: Sequence[str]) -> dict[str, str]:
        """{ref: sha} on the remote for those of `refs` it has (peeled tags excluded)."""
        return self.ask_remote(remote, refs)()

    def ask_remote(
        self, remote: str, refs: Sequence[str], *, url: str | None = None
    ) -> Callable[[], dict[str, str]]:
        """Start `git ls-remote` now (of `url`, else of `remote`'s fetch URL); call the result
        for its answer (or Refused).

        The remote is the slowest thing a release asks, so it runs while the local checks do.
        """
        # Without a terminal, as the push will be: what the push cannot do fails here.
        running = self._start(["ls-remote", "--", url or remote, *refs], start_new_session=True)

        def answer() -> dict[str, str]:
            status, out, detail = running()
            if status != 0:
                raise Refused(
                    f"The remote {remote!r} cannot be reached: {_one_line(redact(detail))}",
                    hint=_prompt_hint(detail)
                    or "Check your network and credentials, or use --no-push.",
                )
            lines = out.splitlines()
            pairs = (line.split("\t", 1) for line in lines if "\t" in line)
            return {ref: sha for sha, ref in pairs if ref in refs}

        return answer

    def has_commit(self, sha: str) -> bool:
        return self.succeeds("cat-file", "-e", f"{sha}^{{commit}}")

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return self.succeeds("merge-base", "--is-ancestor", ancestor, descendant)

    # -- writing, each beside its inverse -------------------------------------------------

    def set_branch(self, branch: str, sha: str) -> None:
        """Point `branch` at `sha` (the inverse of a commit on it)."""
        self.run("update-ref", "-m", "cutrelease: rollback", f"refs/heads/{branch}", sha)

    def delete_tag(self, tag: str, expected: str) -> None:
        """Delete `tag` only if it still points at `expected` (the inverse of creating it)."""
        self.run("update-ref", "-d", f"refs/tags/{tag}", expected)

    def push(self, args: Sequence[str], *, keep_fds: Sequence[int] = ()) -> None:
        """Run a push that a terminal's Ctrl-C cannot cut in half.

        The push runs in a session of its own: Ctrl-C reaches neither git nor its ssh or the
        remote's hooks (blocking SIGINT would not do: git resets the mask of its children),
        and the transaction decides what Ctrl-C means once the push has answered. It gets
        `keep_fds` (the release lock), so that a push outliving a killed bump holds the lock.
        The price of the session: no terminal to prompt on (see _PUSH_HINT).
        """
        status, out, err = self._start(args, start_new_session=True, pass_fds=tuple(keep_fds))()
        if status != 0:
            detail = err or out
            raise GitFailed(args, detail, hint=_prompt_hint(detail))


def _prompt_hint(detail: str) -> str | None:
    """The hint for a git that needed a terminal to ask for a secret, else None."""
    own = [line for line in detail.splitlines() if not line.startswith("remote:")]
    return _PUSH_HINT if any(sign in line for line in own for sign in _PROMPT_FAILED) else None


# What git and ssh say when they needed a terminal to ask for a secret.
_PROMPT_FAILED = (
    "could not read Username",
    "could not read Password",
    "terminal prompts disabled",
    "Permission denied (publickey",
    "Host key verification failed",
)
_PUSH_HINT = (
    "bump talks to the remote without a terminal (so Ctrl-C cannot cut a push in half): if "
    "it needs a password or a key's passphrase, use ssh-agent or a credential helper."
)
