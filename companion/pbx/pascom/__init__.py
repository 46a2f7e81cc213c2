"""The pascom backend: the only place that knows pascom's REST paths and column codes.

`client.PascomPbx` is the backend, loaded when first used: a cold ``companion dial``
sends its one request with `one_shot` and the wire's rules (`answers`) alone.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

# httpx imports its own command line (click, pygments: about 2 MiB and 15 ms at every
# start and cold dial) unless that module is marked missing; Companion never runs it.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from companion.pbx.pascom.client import PascomPbx

__all__ = ["PascomPbx"]


def __getattr__(name: str) -> Any:
    if name == "PascomPbx":
        from companion.pbx.pascom.client import PascomPbx

        return PascomPbx
    raise AttributeError(name)
