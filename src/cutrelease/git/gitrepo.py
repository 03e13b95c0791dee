"""git, run as processes in one repository: its questions, and every write beside its inverse.

Plain `git` subprocesses, no library: every question here is one git command whose output
git documents as stable (`--porcelain`, `-z`), and GitPython, which this module used to run
them, cost a dry run about a fifth of its time to import and start (`git version`, twice).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from cutrelease.errors import CutreleaseError, Refused
from cutrelease.git import refs
from cutrelease.git.gitdir import git_dir, gitfile_target
from cutrelease.redact import redact

T = TypeVar("T")


class Done(NamedTuple):
    """A git process that has ended: its arguments, exit status, stdout and stderr."""

    args: tuple[str, ...]
    status: int
    out: str
    err: str


def _done(done: Done) -> Done:
    """The answer as it is, whatever the exit status."""
    return done


def _ok(done: Done) -> Done:
    """The answer of a git that succeeded, or GitFailed quoting what it said."""
    if done.status != 0:
        raise GitFailed(done.args, done.err or done.out)
    return done


class Pending(Generic[T]):
    """A git question already running; `result()` waits for its answer (or its error).

    concurrent.futures.Future's shape: questions that do not depend on each other run side
    by side, git working on one core while Python works on the other.
    """

    def __init__(self, wait: Callable[[], Done], read: Callable[[Done], T]) -> None:
        self._wait = wait
        self._read = read
        self._done: Done | None = None

    def result(self) -> T:
        """The answer, read from the process once it has ended; raises what `read` raises."""
        if self._done is None:
            self._done = self._wait()
        return self._read(self._done)


class GitFailed(CutreleaseError):
    """A git command exited non-zero; `detail` is git's own message, credentials removed."""

    def __init__(self, args: Sequence[str], detail: str, *, hint: str | None = None) -> None:
        self.command = f"git {_subcommand(args)}"
        self.detail = _one_line(redact(detail)) or "(git printed nothing)"
        super().__init__(f"`{self.command}` failed: {self.detail}", hint=hint)


class PushFailed(GitFailed):
    """`git push` exited non-zero; `updates` are the refs the remote answered for.

    A ref the remote refused is not on the remote. A ref it does not answer for (the
    connection died) may or may not be: only asking the remote again tells.
    """

    def __init__(
        self,
        args: Sequence[str],
        detail: str,
        updates: list[RefUpdate],
        *,
        hint: str | None = None,
    ) -> None:
        super().__init__(args, detail, hint=hint)
        self.updates = updates


def _subcommand(args: Sequence[str]) -> str:
    """`commit` of `-c NAME=VALUE commit -m ...`."""
    at = _subcommand_at(args)
    return args[at] if at < len(args) else ""


def _subcommand_at(args: Sequence[str]) -> int:
    """Where the subcommand is among `args`: after git's own options (`-c NAME=VALUE`...)."""
    at = 0
    while at < len(args) and args[at].startswith("-"):
        at += 2 if args[at] == "-c" else 1
    return at


def _one_line(message: str) -> str:
    """git's message as one line of sentences: hook and remote output kept, push boilerplate
    dropped.

    git writes one thought over several lines ("fatal: Could not read from remote
    repository." / "Please make sure you have the correct access rights" / "and the
    repository exists."): its "fatal: " and "error: " go, a line that starts in lower case
    continues the sentence before it, and each sentence ends with a full stop.
    """
    noise = ("To ", "error: failed to push some refs", "hint:")
    sentences: list[str] = []
    for line in (line.strip() for line in message.splitlines()):
        if not line or line.startswith(noise):
            continue
        line = line.removeprefix("fatal: ").removeprefix("error: ").removeprefix("*** ")
        continues = line[:1].islower() and not line.startswith("remote:")
        if sentences and continues and not sentences[-1].endswith((".", "!", "?")):
            sentences[-1] += " " + line
        else:
            sentences.append(line)
    return " ".join(
        text if text.endswith((".", "!", "?", ":")) else text + "." for text in sentences
    )


class Status(NamedTuple):
    """What `git status` says of the work tree."""

    branch: str | None  # None: HEAD is detached
    head: str | None  # None: the branch has no commit yet
    changed: list[str]  # tracked files with changes, staged or not


def _parse_status(done: Done) -> Status:
    """`git status --porcelain=v2 --branch -z --no-renames` read into a Status."""
    branch: str | None = None
    head: str | None = None
    changed: list[str] = []
    fields_before_path = {"1": 8, "u": 10}
    for entry in done.out.split("\0"):
        if entry.startswith("# branch.head "):
            name = entry.removeprefix("# branch.head ")
            branch = None if name == "(detached)" else name
        elif entry.startswith("# branch.oid "):
            oid = entry.removeprefix("# branch.oid ")
            head = None if oid == "(initial)" else oid
        elif entry[:1] in fields_before_path:
            changed.append(entry.split(" ", fields_before_path[entry[0]])[-1])
    return Status(branch, head, changed)


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


class Head(NamedTuple):
    """Where HEAD is."""

    ref: str  # refs/heads/NAME, or "HEAD" when detached
    commit: str | None  # None before the first commit


class RemoteUrls(NamedTuple):
    """Where a remote fetches from and pushes to, as git rewrites them (insteadOf)."""

    fetch: str
    push: list[str]


class Upstream(NamedTuple):
    """A branch's upstream: `branch.<name>.remote` and the branch `branch.<name>.merge` names."""

    remote: str
    branch: str  # the remote's branch name, without refs/heads/


class RefUpdate(NamedTuple):
    """One ref of a push, as the remote answered for it (a line of `git push --porcelain`)."""

    ref: str  # the remote's full ref name
    accepted: bool
    summary: str  # git's: "[new tag]", "1a2b3c4..5d6e7f8", "[remote rejected] (hook declined)"


class DryPush(NamedTuple):
    """What `git push --dry-run` said: its exit status, each ref's line, git's message."""

    status: int
    updates: list[RefUpdate]  # none: git never got as far as comparing refs
    detail: str  # git's stderr as one line, credentials removed
    hint: str | None  # for a git that needed a terminal to ask for a secret


class RemoteAnswers(NamedTuple):
    """The remote's two answers from one connection (GitRepo.ask_remote), pending: the refs
    asked for that it has, and the dry run of the release's push."""

    refs: Pending[dict[str, str]]
    dry_push: Pending[DryPush]


def commit_command(message: str, paths: Sequence[str]) -> list[str]:
    """The arguments of the release commit (shown by the dry run, run by GitRepo.commit).

    Only the release files are committed: unrelated work is never swept in. Housekeeping
    (auto gc/maintenance) waits: it must not run inside a release that may be undone, and it
    would add to every release the time the next ordinary commit spends on it.

    No setting makes this commit hold more than the plan: `-m` leaves commit.template and the
    editor out, `--cleanup` overrides commit.cleanup, and the pathspec limits it to `paths`.
    commit.gpgSign is kept: a signature changes how the commit is vouched for, not what it
    holds, and a branch may be protected to take signed commits only. Hooks are kept too.
    """
    return [
        "-c",
        "maintenance.auto=false",
        "commit",
        "--quiet",
        "--cleanup=whitespace",  # keep "#" lines, whatever commit.cleanup says
        "-m",
        message,
        "--",
        *paths,
    ]


def tag_command(tag: str, message: str) -> list[str]:
    """The arguments of the release tag (annotated; shown by the dry run, run by GitRepo.tag).

    A tag's default cleanup would drop lines starting with "#" from the summary. tag.gpgSign
    (and tag.forceSignAnnotated) are kept, as commit.gpgSign is: a signed tag is still the
    annotated tag the plan shows.
    """
    return ["tag", "--annotate", "--cleanup=whitespace", "-m", message, "--", tag]


# What neutralises, for the release's push, each setting that would make it send more than the
# plan's refs (issue 21, SPEC 16): -c before the command, options after it.
_PUSH_CONFIG = [
    # push.pushOption: options handed to the remote's hooks (GitLab's can open a merge
    # request). An empty value empties the list; `--no-push-option` would fall back to it.
    "-c",
    "push.pushOption=",
]
_PUSH_OPTIONS = [
    "--no-follow-tags",  # push.followTags: every annotated tag reachable from the branch
    "--recurse-submodules=no",  # push.recurseSubmodules, submodule.recurse: other repositories
]


def push_command(remote: str, refs: Sequence[str], *, atomic: bool = True) -> list[str]:
    """The arguments of a release push: full ref names, all or none (`--atomic`), or (`atomic`
    False, for a host without atomic pushes) each ref as the remote takes it.

    Exactly the refs `refs`, whatever git's configuration says (see _PUSH_CONFIG and
    _PUSH_OPTIONS): each is sent as `NAME:NAME`, because a refspec without a destination
    goes where `remote.<name>.push` maps it, another ref on the remote. push.gpgSign is kept
    (a signed push sends the same refs, vouched for). `remote.<name>.mirror` is not
    overridden: git refuses a mirror push with refspecs, and the dry run's push says so
    before anything is written.

    GitRepo.push adds `--porcelain`, which changes only how git reports each ref; the dry
    run's push (GitRepo.dry_push) adds `--dry-run` too.
    """
    refspecs = [f"{ref}:{ref}" for ref in refs]
    options = [*(["--atomic"] if atomic else []), *_PUSH_OPTIONS]
    return [*_PUSH_CONFIG, "push", *options, remote, *refspecs]


def retract_push_command(remote: str, branch: str, tag: str) -> list[str]:
    """The arguments of `bump retract`'s push: the branch (its revert commit) and the tag's
    deletion, all or none (`--atomic`); push_command's settings neutralised the same way.

    `git push --atomic origin refs/heads/main:refs/heads/main :refs/tags/v0.2.1`, as the dry
    run shows it; GitRepo.push_retract adds `--porcelain`.
    """
    branch_ref = f"refs/heads/{branch}"
    return [
        *_PUSH_CONFIG,
        "push",
        "--atomic",
        *_PUSH_OPTIONS,
        remote,
        f"{branch_ref}:{branch_ref}",
        f":refs/tags/{tag}",
    ]


class TreeChange(NamedTuple):
    """One file that differs between two trees (`git diff-tree -r`): its mode and blob in
    the second tree (None: it is not there)."""

    path: str
    mode: str | None
    blob: str | None


class Revert(NamedTuple):
    """A three-way revert computed in the object store (GitRepo.revert_tree): the merged
    tree, or the files that conflict (then `tree` is git's tree with conflict markers)."""

    tree: str
    conflicts: tuple[str, ...]


def _with_options(args: Sequence[str], *options: str) -> list[str]:
    """`args` (a command of this module's) with `options` right after the subcommand."""
    at = _subcommand_at(args) + 1
    return [*args[:at], *options, *args[at:]]


def remote_named(remotes: dict[str, RemoteUrls], name: str) -> RemoteUrls:
    """`name`'s URLs among `remotes` (GitRepo.remotes' answer); Refused if there is none."""
    found = remotes.get(name)
    if found is None:
        raise Refused(
            f"There is no git remote named {name!r}.",
            hint="Add it with `git remote add`, pass --remote NAME, or use --no-push.",
        )
    return found


def _parse_remotes(done: Done) -> dict[str, RemoteUrls]:
    """`git remote -v` ("NAME, tab, URL (fetch)" and "... (push)" lines) read: {name: urls}."""
    fetch: dict[str, str] = {}
    push: dict[str, list[str]] = {}
    for line in _ok(done).out.splitlines():
        name, _, rest = line.partition("\t")
        url, _, kind = rest.rpartition(" ")
        if kind == "(fetch)":
            fetch[name] = url
        elif kind == "(push)":
            push.setdefault(name, []).append(url)
    names = dict.fromkeys([*fetch, *push])
    return {
        name: RemoteUrls(fetch.get(name) or push[name][0], push.get(name, [])) for name in names
    }


def _parse_upstream(done: Done, branch: str) -> Upstream | None:
    """`branch`'s upstream from `git config -z --get-regexp` of the branch.* keys, or None.

    git prints each key, a newline, its value and a NUL, with section and variable in lower case
    and the subsection (the branch's name) as it is. Exit 1: no such key at all.
    """
    if done.status == 1:
        return None
    values: dict[str, str] = {}
    for entry in _ok(done).out.split("\0"):
        key, _, value = entry.partition("\n")
        values[key] = value  # the last one wins, as for git
    remote = values.get(f"branch.{branch}.remote")
    merge = values.get(f"branch.{branch}.merge")
    if not remote or not merge:
        return None
    return Upstream(remote, merge.removeprefix("refs/heads/"))


class GitRepo:
    """git, run in one repository: questions (some answered later), and writes with inverses.

    Raises Refused at once if the environment (GIT_DIR and its kin) names another repository.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git_dir = git_dir(root)
        _refuse_another_repository(root, self.git_dir)

    # -- questions asked now, answered later --------------------------------------------------

    def status(self) -> Pending[Status]:
        """The branch, HEAD and changed tracked files (`git status`), asked now.

        A file renamed is listed as its two paths, each changed (--no-renames).
        """
        # One process instead of three; --no-optional-locks: a check must not write the index.
        args = ["--no-optional-locks", "status", "--porcelain=v2", "--branch", "-z"]
        args += ["--no-renames", "--untracked-files=no"]
        return self._ask(args, lambda done: _parse_status(_ok(done)))

    def untracked(self) -> Pending[list[str]]:
        """The files git neither tracks nor ignores (`git ls-files --others`), asked now."""
        args = ["ls-files", "-z", "--others", "--exclude-standard"]
        return self._ask(args, lambda done: [path for path in _ok(done).out.split("\0") if path])

    def tracked(self) -> Pending[list[str]]:
        """The files git tracks (`git ls-files`), from the repository root, asked now."""
        args = ["ls-files", "-z", "--cached", "--full-name"]
        return self._ask(args, lambda done: [path for path in _ok(done).out.split("\0") if path])

    def differs_from(self, commit: str) -> list[tuple[str, str]]:
        """(status letter, path) of each file whose work tree differs from `commit`'s (`git
        diff --name-status`, through the index: files it does not hold are not listed)."""
        args = ["--no-optional-locks", "diff", "--name-status", "-z", "--no-renames", commit]
        words = self._run([*args, "--"]).split("\0")
        return list(zip(words[0:-1:2], words[1::2], strict=True))

    def index_flags(self, paths: Sequence[str]) -> Pending[dict[str, str]]:
        """{path: `git ls-files -v` tag} for those of `paths` git tracks, asked now.

        "H": plain; "S": skip-worktree; a lower-case letter: assume-unchanged.
        """

        def read(done: Done) -> dict[str, str]:
            entries = (entry for entry in _ok(done).out.split("\0") if entry)
            return {entry[2:]: entry[0] for entry in entries}

        return self._ask(["ls-files", "-z", "-v", "--", *paths], read)

    def remotes(self) -> Pending[dict[str, RemoteUrls]]:
        """Where each remote fetches from and pushes to (`git remote -v`), asked now."""
        return self._ask(["remote", "-v"], _parse_remotes)

    def remote_urls(self, remote: str) -> Pending[RemoteUrls]:
        """Where `remote` fetches from and pushes to (`git remote -v`), asked now; its answer
        is Refused if there is no such remote."""
        return self._ask(["remote", "-v"], lambda done: remote_named(_parse_remotes(done), remote))

    def upstream(self, branch: str) -> Pending[Upstream | None]:
        """`branch`'s upstream (`branch.<name>.remote` and `.merge`, as `git pull` and `git
        status` read them), asked now; None when it has none.

        All branch.* keys are read and filtered here: a branch's name is no regular expression.
        """
        args = ["config", "-z", "--get-regexp", r"^branch\."]
        return self._ask(args, lambda done: _parse_upstream(done, branch))

    def remote_refs(
        self, remote: str, refs: Sequence[str], *, url: str | None = None
    ) -> Pending[dict[str, str]]:
        """{ref: sha} for those of `refs` the remote has (`git ls-remote` of `url`, else of
        `remote`'s fetch URL), asked now; its answer is Refused if the remote cannot be reached.

        The remote is the slowest thing a release asks, so it runs while the local checks do.
        """

        def read(done: Done) -> dict[str, str]:
            if done.status != 0:
                raise _unreachable(remote, done.err)
            lines = done.out.splitlines()
            pairs = (line.split("\t", 1) for line in lines if "\t" in line)
            return {ref: sha for sha, ref in pairs if ref in refs}

        # Without a terminal, as the push will be: what the push cannot do fails here.
        args = ["ls-remote", "--", url or remote, *refs]
        return self._ask(args, read, start_new_session=True)

    def dry_push(self, remote: str, names: Sequence[str], *, atomic: bool) -> Pending[DryPush]:
        """The release's push of the local refs `names` to `remote` (push_command), run with
        `--dry-run`, asked now: the push's own connection (its URL, its credentials, the
        remote's receive-pack) without any change on either side. Its answer is read, never
        raised: see checks.push_is_possible.

        git checks that the receiving end supports `--atomic` (the `atomic` capability, off with
        `receive.advertiseAtomic=false`) as soon as it has the remote's refs, dry run or not,
        and dies saying so. `--no-verify`: the pre-push hook is for the push itself.
        """
        pushed = push_command(remote, names, atomic=atomic)
        args = _with_options(pushed, "--dry-run", "--no-verify", "--porcelain")

        def read(done: Done) -> DryPush:
            updates = _ref_updates(done.out) if done.status else []
            return DryPush(
                done.status, updates, _one_line(redact(done.err)), _prompt_hint(done.err)
            )

        return self._ask(args, read, start_new_session=True)

    def ask_remote(
        self, remote: str, branch: str, tags: Sequence[str], *, atomic: bool
    ) -> RemoteAnswers:
        """remote_refs and dry_push in one: a single `git push --dry-run` to `remote`, asked now,
        tells which of `refs/heads/BRANCH` and the full tag names `tags` the remote has, and
        meets its receiving side as dry_push does. Its `refs` answer is Refused, as
        remote_refs', if the remote cannot be reached.

        A push reads the remote's refs anyway (receive-pack advertises them all; git has no
        way to ask it for fewer), and `git ls-remote` would ask a second time for all of them
        (git sends protocol v2's ref-prefix for --heads/--tags, never for exact names): in a
        repository of thousands of tags, that second advertisement is most of what a remote
        costs. Here each ref asked for is a refspec of the dry run, `--force` so that git
        reports every one (a ref it would refuse, too) in its porcelain line (git-push(1),
        OUTPUT): "*" [new ...]: the remote lacks it; "=": it holds ours (the branch's tip, or
        HEAD for a tag); " " or "+" OLD..NEW: it holds OLD, abbreviated as git abbreviates it
        (unique here when the commit is here; matching nothing here when it is not), which
        has_commit, is_ancestor and resolve read as a full name. The branch goes as
        `refs/heads/BRANCH:refs/heads/BRANCH`, each tag as `HEAD:TAG`; `--force` and the tags
        change nothing but what git reports, as `--dry-run` sends nothing. The push goes where
        the release's push goes: the remote's push URL.

        When git gives no ref's line (a host without atomic pushes, where git stops before
        comparing refs, or an answer it cannot read), `refs` asks `git ls-remote` instead.
        """
        branch_ref = f"refs/heads/{branch}"
        refspecs = [f"{branch_ref}:{branch_ref}", *(f"HEAD:{tag}" for tag in tags)]
        pushed = push_command(remote, [], atomic=atomic)
        args = [*_with_options(pushed, "--dry-run", "--no-verify", "--porcelain", "--force")]
        answer = _Once(self._start([*args, *refspecs], start_new_session=True))

        def read_dry(done: Done) -> DryPush:
            updates = _ref_updates(done.out) if done.status else []
            return DryPush(
                done.status, updates, _one_line(redact(done.err)), _prompt_hint(done.err)
            )

        def read_refs(done: Done) -> dict[str, str]:
            lines = {to: (flag, summary) for flag, to, summary in _porcelain(done.out)}
            asked = [branch_ref, *tags]
            if any(ref not in lines or lines[ref][0] == _NOT_TAKEN for ref in asked):
                # git never compared refs: the remote is out of reach, unless git stopped at
                # the host's missing `atomic` or at a ref not here (the checks name that).
                local = ("support --atomic", "does not match any")
                if done.status and not lines and not any(word in done.err for word in local):
                    raise _unreachable(remote, done.err)
                return self.remote_refs(remote, asked).result()
            found: dict[str, str] = {}
            for ref in asked:
                flag, summary = lines[ref]
                if flag == "=":
                    ours = self.ref(branch_ref) if ref == branch_ref else self.resolve("HEAD")
                    if ours is not None:
                        found[ref] = ours
                elif flag in " +":
                    found[ref] = summary.split()[0].split("..")[0]
            return found

        return RemoteAnswers(Pending(answer, read_refs), Pending(answer, read_dry))

    def identity(self, role: str) -> Pending[str | None]:
        """Whether git knows who the release's `role` ("AUTHOR" or "COMMITTER") is, asked now
        (`git var GIT_<ROLE>_IDENT`: user.name and user.email as git resolves them, the
        GIT_<ROLE>_NAME/_EMAIL variables first): None when it does, else git's last line
        saying why not ("fatal: unable to auto-detect email address (got 'root@vm.(none)')")."""

        def read(done: Done) -> str | None:
            if done.status == 0:
                return None
            said = [line.strip() for line in done.err.splitlines() if line.strip()]
            return said[-1] if said else f"git var GIT_{role}_IDENT exited with {done.status}"

        return self._ask(["var", f"GIT_{role}_IDENT"], read)

    # -- questions answered at once -----------------------------------------------------------

    def commits_touching(
        self, since: str | None, paths: Sequence[str], *, excluding: Sequence[str] = ()
    ) -> Pending[int]:
        """How many commits after `since` (a ref; None: all of HEAD's history) up to HEAD touch
        `paths` ("" or "." is the whole tree), those only under `excluding` not counted;
        asked now (`git rev-list --count`)."""
        spec = [*(path or "." for path in paths), *(f":(exclude){path}" for path in excluding)]
        tip = f"{since}..HEAD" if since else "HEAD"
        return self._ask(
            ["rev-list", "--count", tip, "--", *spec], lambda done: int(_ok(done).out.strip())
        )

    def configured_urls(self, remote: str) -> list[str]:
        """`remote`'s url and pushurl values as configured, before any insteadOf rewrite
        (`git config --get-all`); none if it has none."""
        found: list[str] = []
        for key in ("url", "pushurl"):
            done = self._start(["config", "--get-all", f"remote.{remote}.{key}"])()
            if done.status == 0:
                found += [line for line in done.out.splitlines() if line]
        return found

    def ref(self, name: str) -> str | None:
        """What a full ref name points at, read from the ref files where git keeps them so."""
        if refs.files_store(self.git_dir):
            return refs.resolve(self.git_dir, name)
        return self.resolve(name)

    def head(self) -> Head:
        """Where HEAD is, read from the ref files where git keeps them so."""
        found = refs.head(self.git_dir) if refs.files_store(self.git_dir) else None
        if found is not None:
            return Head(*found)
        ref = self._ask(["rev-parse", "--symbolic-full-name", "HEAD"], _ok).result().out
        return Head(ref.strip(), self.resolve("HEAD"))

    def resolve(self, rev: str) -> str | None:
        """The object `rev` names (`git rev-parse --verify`), or None if it names none."""
        done = self._ask(["rev-parse", "-q", "--verify", rev], _done).result()
        return done.out.strip() if done.status == 0 else None

    def default_branch(self, remote: str) -> str | None:
        """The branch `remote`'s HEAD names (`refs/remotes/REMOTE/HEAD`, as `git clone` and
        `git remote set-head` record it), or None if it is not recorded."""
        done = self._ask(["symbolic-ref", "-q", f"refs/remotes/{remote}/HEAD"], _done).result()
        ref = done.out.strip()
        prefix = f"refs/remotes/{remote}/"
        return ref.removeprefix(prefix) if done.status == 0 and ref.startswith(prefix) else None

    def is_shallow(self) -> bool:
        """Whether this is a shallow clone (`.git/shallow` lists its cut-off commits)."""
        return (refs.common_dir(self.git_dir) / "shallow").is_file()

    def has_commit(self, sha: str) -> bool:
        """Whether this repository has the commit `sha` (a remote's tip may never have been
        fetched)."""
        return self._succeeds("cat-file", "-e", f"{sha}^{{commit}}")

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Whether `ancestor` is `descendant` or one of its ancestors."""
        return self._succeeds("merge-base", "--is-ancestor", ancestor, descendant)

    # -- writes, each beside its inverse ------------------------------------------------------

    def track(self, branch: str, remote: str) -> None:
        """Make `branch` track `remote`'s branch of the same name (branch.<b>.remote and
        .merge), as `git push -u` does: only once a release's push has landed, so it needs
        no inverse."""
        self._run(["config", f"branch.{branch}.remote", remote])
        self._run(["config", f"branch.{branch}.merge", f"refs/heads/{branch}"])

    def commit(self, message: str, paths: Sequence[str]) -> str:
        """Commit `paths` on the current branch (commit_command); the new commit.

        Through git, so hooks and commit.gpgsign apply. GitFailed quotes a refusing hook.
        Inverse: reset_branch.
        """
        self._run(commit_command(message, paths))
        commit = self.head().commit
        if commit is None:
            raise GitFailed(["commit"], "HEAD cannot be read back after the commit.")
        return commit

    def put_head_on(self, branch: str) -> None:
        """Point HEAD at `branch` again (`git symbolic-ref`; the work tree and index are put
        back by the rest of the undo): the inverse of a hook's `git switch`."""
        self._run(["symbolic-ref", "-m", "cutrelease: rollback", "HEAD", f"refs/heads/{branch}"])

    def reset_branch(self, branch: str, to: str, *, expected: str, packed_only: bool) -> None:
        """Move `branch` back to `to`, only if it still points at `expected` (the inverse of
        commit; `expected` equal to `to`: it is back already). `packed_only`: as before the
        commit, only packed-refs is to hold the branch.

        Through `git update-ref`, whose compare-and-swap leaves a branch someone else moved
        alone (GitFailed). A commit writes a loose ref over a packed one; that loose file,
        once equal to packed-refs, is removed under the ref's git lock (refs.drop_loose).
        """
        ref = f"refs/heads/{branch}"
        if expected != to:
            self._run(["update-ref", "-m", "cutrelease: rollback", ref, to, expected])
        if packed_only and refs.files_store(self.git_dir):
            refs.drop_loose(self.git_dir, ref, to)

    def restore_files(self, commit: str, paths: Sequence[str]) -> None:
        """Put `paths` in the work tree back as `commit` holds them (content and mode), the
        index aside (`git restore --worktree`).

        The inverse of whatever a hook does to tracked files, during a release that is undone.
        """
        for start in range(0, len(paths), 200):  # a command line has its limits
            chunk = paths[start : start + 200]
            args = ["--literal-pathspecs", "restore", f"--source={commit}", "--worktree"]
            self._run([*args, "--", *chunk])

    def tag(self, tag: str, message: str) -> str:
        """Create the annotated tag `tag` on HEAD (tag_command); the tag object.

        GitFailed if it exists (git never overwrites a tag without --force). Inverse:
        delete_tag.
        """
        self._run(tag_command(tag, message))
        made = self.ref(f"refs/tags/{tag}")
        if made is None:
            raise GitFailed(["tag"], f"refs/tags/{tag} cannot be read back after it was made.")
        return made

    def delete_tag(self, tag: str, expected: str) -> None:
        """Delete `tag` only if it still points at `expected` (the inverse of tag).

        `git update-ref -d` with the old value: a tag someone else made is never deleted.
        """
        self._run(["update-ref", "-d", f"refs/tags/{tag}", expected])

    def push(
        self,
        remote: str,
        names: Sequence[str],
        *,
        atomic: bool = True,
        keep_fds: Sequence[int] = (),
    ) -> list[RefUpdate]:
        """Push the full ref `names` to `remote` (push_command: atomically unless `atomic` is
        False); each ref's update.

        No inverse: `--atomic` makes the remote take all refs or none, and what it took is
        the release done. PushFailed quotes the remote and names each ref it refused; its
        `updates` are the refs the remote answered for (none when its answer was lost).

        The push runs in a session of its own: Ctrl-C reaches neither git nor its ssh or the
        remote's hooks (blocking SIGINT would not do: git resets the mask of its children),
        and the transaction decides what Ctrl-C means once the push has answered. It gets
        `keep_fds` (the release lock), so that a push outliving a killed bump holds the lock.
        The price of the session: no terminal to prompt on (see _PUSH_HINT).
        """
        return self._push(push_command(remote, names, atomic=atomic), keep_fds)

    def _push(self, command: list[str], keep_fds: Sequence[int]) -> list[RefUpdate]:
        """Run the push `command` as push describes; each ref's update, or PushFailed."""
        # --porcelain: one line per ref on stdout, in the format git documents (_ref_updates).
        args = _with_options(command, "--porcelain")
        done = self._start(args, start_new_session=True, pass_fds=tuple(keep_fds))()
        updates = _ref_updates(done.out)
        if done.status != 0:
            refused = [
                f"{update.ref} {update.summary}" for update in updates if not update.accepted
            ]
            detail = "\n".join([done.err, *refused])
            raise PushFailed(args, detail, updates, hint=_prompt_hint(done.err))
        return updates

    def push_retract(
        self, remote: str, branch: str, tag: str, *, keep_fds: Sequence[int] = ()
    ) -> list[RefUpdate]:
        """Push `branch` and delete `tag` on `remote`, atomically (retract_push_command); each
        ref's update. As push: its own session, `keep_fds` kept, PushFailed naming each ref the
        remote refused. No inverse: once the remote took it, the retract is done."""
        return self._push(retract_push_command(remote, branch, tag), keep_fds)

    def parents(self, commit: str) -> list[str]:
        """The parents of `commit`, in order (none for a root commit)."""
        out = self._run(["rev-list", "--parents", "-n", "1", commit, "--"])
        return out.split()[1:]

    def changed_paths(self, parent: str, commit: str) -> list[str]:
        """The files that differ between the trees of `parent` and `commit` (no rename
        detection: each side's path as it is)."""
        out = self._run(["diff-tree", "-r", "-z", "--no-renames", "--name-only", parent, commit])
        return [name for name in out.split("\0") if name]

    def tree_changes(self, before: str, after: str) -> list[TreeChange]:
        """Each file that differs between the trees `before` and `after` (commits or trees),
        as `after` holds it."""
        out = self._run(["diff-tree", "-r", "-z", "--no-renames", before, after])
        fields = out.split("\0")
        found = []
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            if not meta.startswith(":"):
                break
            _, new_mode, _, new_blob, status = meta[1:].split(" ")
            gone = status.startswith("D")
            found.append(TreeChange(path, None if gone else new_mode, None if gone else new_blob))
        return found

    def blob(self, rev: str) -> bytes | None:
        """The bytes of the file `rev` names (`COMMIT:path`, or a blob id); None if none."""
        done = self._ask(["cat-file", "blob", rev], _done).result()
        return os.fsencode(done.out) if done.status == 0 else None

    def tag_kind(self, tag: str) -> str | None:
        """What refs/tags/`tag` points at: "tag" (annotated), "commit" (lightweight)…; None
        if there is no such tag here."""
        done = self._ask(["cat-file", "-t", f"refs/tags/{tag}"], _done).result()
        return done.out.strip() if done.status == 0 else None

    def tags_at(self, commit: str) -> list[str]:
        """The annotated tags here that point at `commit` (`git for-each-ref --points-at`,
        which peels a tag to its commit), by name, sorted."""
        args = ["for-each-ref", "--points-at", commit, "--format=%(objecttype) %(refname)"]
        lines = self._run([*args, "refs/tags/"]).splitlines()
        found = (line.partition(" ") for line in lines)
        return sorted(ref.removeprefix("refs/tags/") for kind, _, ref in found if kind == "tag")

    def revert_tree(self, commit: str, head: str) -> Revert:
        """`commit`'s changes taken back from `head` by git's three-way merge, computed in the
        object store only (`git merge-tree --write-tree`): the work tree, the index and the
        refs are untouched, so a dry run may ask. Base `commit`, ours `head`, theirs
        `commit`'s parent: what `git revert` does, later commits kept.

        git 2.40's `--merge-base` would name the base; for older gits (2.38, 2.39) the merge
        is given it as the one common ancestor of two commits made for the purpose (objects
        that nothing refers to, as merge-tree's own trees: `git gc` prunes them).
        """
        who = ["-c", "user.name=cutrelease", "-c", "user.email=cutrelease@invalid"]
        base = self._run([*who, "commit-tree", "-m", "base", f"{commit}^{{tree}}"]).strip()
        ours = self._run([*who, "commit-tree", "-p", base, "-m", "ours", f"{head}^{{tree}}"])
        theirs = self._run([*who, "commit-tree", "-p", base, "-m", "theirs", f"{commit}^^{{tree}}"])
        args = [
            "merge-tree",
            "--write-tree",
            "--name-only",
            "--no-messages",
            ours.strip(),
            theirs.strip(),
        ]
        done = self._ask(args, _done).result()
        if done.status not in (0, 1):
            raise GitFailed(done.args, done.err or done.out)
        lines = done.out.split("\n")
        conflicts = tuple(dict.fromkeys(line for line in lines[1:] if line))
        return Revert(lines[0].strip(), conflicts if done.status == 1 else ())

    def add(self, paths: Sequence[str]) -> None:
        """Tell git's index of the new files `paths` (`git add`), so that a commit of them by
        path takes them; the index is put back byte for byte by an undo."""
        self._run(["--literal-pathspecs", "add", "--", *paths])

    def create_tag_ref(self, tag: str, target: str) -> None:
        """Point refs/tags/`tag` at `target` (the tag object), only if there is no such tag:
        the inverse of the retract's `git tag -d`."""
        self._run(["update-ref", "-m", "cutrelease: rollback", f"refs/tags/{tag}", target, ""])

    # -- running git -------------------------------------------------------------------------

    def _run(self, args: Sequence[str]) -> str:
        """Run `git ARGS` to its end; its stdout, or GitFailed quoting its stderr."""
        return self._ask(args, _ok).result().out

    def _succeeds(self, *args: str) -> bool:
        """Whether `git ARGS` exits 0 (for yes/no questions)."""
        return self._start(args)().status == 0

    def _ask(self, args: Sequence[str], read: Callable[[Done], T], **popen: Any) -> Pending[T]:
        """Start `git ARGS` now; its answer, read by `read`, is pending."""
        return Pending(self._start(args, **popen), read)

    def _start(self, args: Sequence[str], **popen: Any) -> _Running:
        """Start `git ARGS` in the work tree's root; call the result to wait for it to end."""
        return _Running(self.root, args, **popen)


# git's messages in English, whatever the user's locale: some are read (_prompt_hint, the
# push's "To ..." lines dropped by _one_line). GitPython, which ran git here before, set the
# same two, so hooks see the environment they always saw.
_ENGLISH = {"LANGUAGE": "C", "LC_ALL": "C"}


@functools.cache
def _git(search_path: str, here: str) -> str:
    """The git that `search_path` (PATH) finds first, as a full path, a relative folder of
    it (or an empty one) read from `here`, the folder bump was started in, as the shell
    that started bump reads it; "git" if none holds one (starting it then fails as it always
    did). Found once: a command starts git a dozen times, and each start by its bare name
    tries every folder of PATH in turn, with the command waiting (subprocess starts a child
    that runs PATH's search itself), and from the repository's root, not from `here`."""
    if sys.platform == "win32":  # pragma: no cover - Windows searches by itself, with PATHEXT
        return "git"
    # shutil.which would do, but importing shutil (and the compressors it loads) costs more
    # than the search.
    for folder in search_path.split(os.pathsep):
        candidate = os.path.join(here, folder, "git")  # (an absolute folder stands alone)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return "git"


def _here() -> str:
    """The folder bump runs in; the root if it is gone (deleted under a running bump)."""
    try:
        return os.getcwd()
    except OSError:
        return os.sep


class _Running:
    """A git process started; calling it waits for its end and gives its answer (once).

    Dropped unanswered (a check refused before the answer was needed), the process is
    killed and reaped: a question nobody reads must not outlive the command that asked it.
    """

    def __init__(self, root: Path, args: Sequence[str], **popen: Any) -> None:
        self.args = tuple(args)
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [_git(os.environ.get("PATH", os.defpath), _here()), *args],
                cwd=root,
                env={**os.environ, **_ENGLISH},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                **popen,
            )
        except FileNotFoundError:
            raise Refused("git was not found on PATH.", hint="Install git 2.30 or newer.") from None

    def __call__(self) -> Done:
        process, self._process = self._process, None
        assert process is not None, "a git process is answered once"
        out, err = process.communicate()
        # stderr is for people (and may be a remote's hook's bytes): never undecodable.
        return Done(self.args, process.returncode, os.fsdecode(out), err.decode("utf-8", "replace"))

    def __del__(self) -> None:
        process = getattr(self, "_process", None)
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.communicate()  # reaped, its pipes closed


# The flags of `git push --porcelain` (git-push(1), OUTPUT) for a ref the remote did not take.
_NOT_TAKEN = "!"


def _ref_updates(porcelain: str) -> list[RefUpdate]:
    """Each ref's line of `git push --porcelain` (see _porcelain), read: the remote's ref,
    whether it was taken (any flag but "!"), and git's summary of it."""
    return [
        RefUpdate(ref, flag != _NOT_TAKEN, summary) for flag, ref, summary in _porcelain(porcelain)
    ]


def _porcelain(output: str) -> list[tuple[str, str, str]]:
    """(flag, the remote's ref, summary) of each ref's line of `git push --porcelain`.

    git-push(1) documents the line (OUTPUT): `<flag> TAB <from>:<to> TAB <summary> (<reason>)`,
    the flag `!` for a ref rejected or failed; " ", "+", "-", "*", "=" for one pushed, forced,
    deleted, created or already up to date. It is read here rather than by GitPython's
    PushInfo, whose parser (`_from_line`) is private and may change in any release;
    GitPython's public push (Remote.push) starts git itself, without the session, the kept
    descriptor and the options this module's push needs. Other lines ("To URL", "Done") are
    not a ref's and are skipped. Reading the answer never turns a push that landed into a
    failure: an unknown line is skipped too.
    """
    found: list[tuple[str, str, str]] = []
    for line in output.splitlines():
        fields = line.split("\t")
        if len(fields) != 3 or len(fields[0]) != 1 or ":" not in fields[1]:
            continue
        flag, refspec, summary = fields
        # A ref name cannot hold ":" (git check-ref-format), so the last one splits them.
        found.append((flag, refspec.rpartition(":")[2], summary.strip()))
    return found


def _unreachable(remote: str, err: str) -> Refused:
    """The refusal of a remote git could not talk to, quoting git (credentials removed)."""
    return Refused(
        f"The remote {remote!r} cannot be reached: {_one_line(redact(err))}",
        hint=_prompt_hint(err) or "Check your network and credentials, or use --no-push.",
    )


class _Once:
    """One git process whose answer two Pendings read: waited for once, then remembered."""

    def __init__(self, running: _Running) -> None:
        self._running: _Running | None = running
        self._done: Done | None = None

    def __call__(self) -> Done:
        if self._done is None:
            running, self._running = self._running, None
            assert running is not None
            self._done = running()
        return self._done


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
