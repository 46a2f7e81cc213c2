"""The pascom backend: the only place that knows pascom's REST paths and column codes."""

import sys

# httpx imports its own command line (click, pygments: about 2 MiB and 15 ms at every
# start and cold dial) unless that module is marked missing; Companion never runs it.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from companion.pbx.pascom.client import PascomPbx  # noqa: E402 - after the line above

__all__ = ["PascomPbx"]
