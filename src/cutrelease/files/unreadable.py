"""What `bump check` and a release both say of a release file they cannot read."""

from __future__ import annotations


def message(
    error: OSError | UnicodeDecodeError, *, key: str | None = None, package: str | None = None
) -> str:
    """The sentence after "PATH: " for a release file that is missing, unreadable or not UTF-8.

    `error` is what reading or decoding the file raised. `key` is the [tool.cutrelease] key
    that names the file ("changelog" or "security"), on which a missing file's fix depends;
    None for a file no key names. `package`: a workspace member's name, which `bump init`
    needs to create that member's files. Light on purpose: `bump check` imports it without git.
    """
    if isinstance(error, UnicodeDecodeError):
        return f"is not UTF-8 text (byte {error.start}); save it as UTF-8."
    if not isinstance(error, FileNotFoundError):
        return f"cannot be read ({error.strerror or error})."
    if key is None:
        return "does not exist."
    fix = (
        f"run `bump init -p {package}` to create it" if package else "run `bump init` to create it"
    )
    if key == "security":
        fix += ', or set security = "" in [tool.cutrelease]'
    return f"does not exist; {fix}."
