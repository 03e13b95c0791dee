"""Ask a package index which files of a project it holds (the Simple Repository API).

One GET of `{index_url}{normalized name}/`, asking for PEP 691's JSON first and PEP 503's HTML
as the fallback, in the same request (content negotiation): see simple.py, which a thread of
the question's own imports and runs, so that neither the HTTP client nor the page parsers
cost the caller's start-up. The standard library's urllib, json and html.parser are enough:
no HTTP client joins the runtime dependencies.

The answer is one of three values: `Published` (the files, yanked or not), `NotPublished`
(404: the project has never been uploaded) or `Unanswered` (the index could not be asked, or
answered something that is not a Simple page: why, in one phrase). It never raises for what
the network does; only a malformed `index_url` or project name is an error (Refused).
"""

from __future__ import annotations

import threading
import time

from cutrelease.publish.listing import (
    DEADLINE,
    DEFAULT_URL,
    SETTING,
    Answer,
    IndexFile,
    Kind,
    NotPublished,
    Published,
    Unanswered,
    check_url,
    normalized,
    project_url,
    shown,
)
from cutrelease.redact import redact

__all__ = [
    "DEADLINE",
    "DEFAULT_URL",
    "SETTING",
    "Answer",
    "Asking",
    "IndexFile",
    "Kind",
    "NotPublished",
    "Published",
    "Unanswered",
    "ask",
    "check_url",
    "normalized",
    "project_url",
    "shown",
]


# -- asking ----------------------------------------------------------------------------------


class Asking:
    """A question to the index already on its way; `result()` waits for the answer.

    The question runs in a thread of its own, so the git questions (gitrepo.Pending) run
    meanwhile. `result()` waits at most until `deadline` seconds after the question started:
    an index that hangs costs the deadline, one that answers after a second costs that second.
    """

    def __init__(self, url: str, name: str, deadline: float) -> None:
        self.url = shown(url)
        self.deadline = deadline
        self._started = time.monotonic()
        self._answer: Answer | None = None
        # A daemon: an index that never answers must not keep bump from exiting.
        self._thread = threading.Thread(target=self._ask, args=(url, normalized(name)), daemon=True)
        self._thread.start()

    def _ask(self, url: str, name: str) -> None:
        try:
            from cutrelease.publish import simple  # here: its imports cost this thread only

            self._answer = simple.fetch(url, name, timeout=self.deadline)
        except Exception as exc:  # an answer, never a crash in a thread nobody watches
            self._answer = Unanswered(self.url, redact(f"{type(exc).__name__}: {exc}"))

    def result(self) -> Answer:
        """The index's answer, or Unanswered once the deadline has passed."""
        self._thread.join(max(0.0, self._started + self.deadline - time.monotonic()))
        answer = self._answer
        if answer is None:
            return Unanswered(self.url, f"no answer within {self.deadline:g} s")
        return answer


def ask(index_url: str, name: str, *, deadline: float = DEADLINE) -> Asking:
    """Start asking the index at `index_url` which files of project `name` it has.

    In: the index's Simple API base (may hold credentials: `https://user:token@host/simple/`;
    they are sent as HTTP Basic authentication, never shown) and the project's name as
    `[project].name` writes it (normalized here, PEP 503). Out: an Asking, whose `result()` is
    the Answer within `deadline` seconds. Raises Refused at once for a bad `index_url` (naming
    the setting) or an invalid project name.
    """
    return Asking(project_url(index_url, name), name, deadline)
