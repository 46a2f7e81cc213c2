"""The desktop side of a Companion relay: its HTTP API and event stream as a `Pbx`.

`RelayPbx` is the backend (`pbx.kind = relay`); `enrol` trades an administrator's one-time
code for this desktop's device token; `links` checks the relay's address and the
``companion://enrol?...`` link without importing the HTTP stack.
"""

from companion.pbx.relay.client import RelayPbx
from companion.pbx.relay.enrol import Enrolment, enrol

__all__ = ["Enrolment", "RelayPbx", "enrol"]
