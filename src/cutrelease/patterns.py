"""Regular expressions compiled when first used.

A pattern compiled at import costs every command that imports its module, whether it uses
the pattern or not (tens of microseconds each, milliseconds in all); most commands never
meet the text a given pattern reads (a long changelog, a pylock.toml, a URL with a
password). re's own cache is no help: it may drop a pattern when many others pass through.
"""

from __future__ import annotations

import functools
import re


@functools.cache
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled with `flags`, once per process."""
    return re.compile(pattern, flags)
