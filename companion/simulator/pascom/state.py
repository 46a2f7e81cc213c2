"""The simulated PBX: an in-memory model built from an IO-JSON document.

Everything here is plain Python; ``app.py`` turns HTTP requests into calls of
:class:`PbxState` methods and their results (or :class:`PbxError`) into responses.
All public methods are meant to be called with :attr:`PbxState.lock` held; the
app does that for every request.

``PbxState`` joins the parts, one module each: ``users`` (identities, devices, device
actions), ``phonebook``, ``redirects`` (and switches), ``queues``, ``voicemail``,
``fax``, ``history`` (CDR and live calls), on ``base`` (what they share) and
``records`` (the data classes).
"""

from __future__ import annotations

from .extras import Extras
from .fax import Fax
from .history import History
from .iojson import IoJson
from .phonebook import Phonebook
from .queues import Queues
from .redirects import Redirects
from .users import Users
from .voicemail import Voicemail


class PbxState(Fax, Users, Phonebook, Redirects, Queues, Voicemail, History):
    """The PBX the simulator pretends to be."""

    @classmethod
    def from_iojson(
        cls,
        doc: IoJson,
        *,
        extras: Extras | None = None,
        source: str = "<string>",
        instance: str = "demo",
        rest_user: str = "moby",
        upload_url_lifetime: float = 30.0,
        variant: str = "default",
    ) -> PbxState:
        """Build the PBX from a validated IO-JSON document (see ``load_iojson``) and,
        if given, the extras that IO-JSON cannot hold (see ``load_extras``).

        Cross-references (unknown login names, duplicate extensions, missing media
        files) are checked here and raised as :class:`IoJsonError`.
        """
        state = cls(
            instance=instance,
            rest_user=rest_user,
            upload_url_lifetime=upload_url_lifetime,
            variant=variant,
        )
        from .loader import Loader  # the loader builds on this module's classes

        Loader(state, doc, source, extras).load()
        return state
