"""What is dialled: a :class:`DialNumber`, and :class:`NumberError` when there is none."""

from __future__ import annotations

import re
from dataclasses import dataclass

from companion.numbers.text import quote

_DESTINATION = re.compile(r"[0-9+*#]+")
EXTENSION = re.compile(r"[0-9]{1,15}")
# RFC 3966 postd: DTMF digits and pauses ("p", "w"); A-D are not sent (see _postdial).
POSTDIAL = re.compile(r"[0-9*#pw]{1,64}")


class NumberError(ValueError):
    """The text is not something Companion can dial.

    ``str(err)`` is a one-line message a user can act on, e.g.
    ``This is not a phone number: "hello"``.
    """


@dataclass(frozen=True)
class DialNumber:
    """A number ready to send to the PBX.

    ``destination`` is what is dialled: only ``[0-9+*#]``, never empty -- E.164 for
    external numbers whose country is known, else the digits as typed. ``extension`` is
    a tel: URI's ``;ext=`` (or ``ext. 12`` after a typed number), digits only.
    ``postdial`` is a tel: URI's ``;postd=`` (RFC 3966): digits, ``*``, ``#`` and the
    pauses ``p`` and ``w``. Neither is part of ``destination``: both are :attr:`tones`,
    sent as DTMF once the call is answered (or shown as not dialled where that cannot
    be done). ``is_internal`` is True for a short internal extension or a star/hash
    code, which is kept exactly as typed.
    """

    destination: str
    extension: str | None = None
    is_internal: bool = False
    postdial: str | None = None

    def __post_init__(self) -> None:
        if not _DESTINATION.fullmatch(self.destination):
            raise NumberError(f"Not a dialable destination: {quote(self.destination)}")
        if self.extension is not None and not EXTENSION.fullmatch(self.extension):
            raise NumberError(f"Not a phone extension: {quote(self.extension)}")
        if self.postdial is not None and not POSTDIAL.fullmatch(self.postdial):
            raise NumberError(f"Not post-dial digits: {quote(self.postdial)}")

    @property
    def tones(self) -> str:
        """What to send after the call is answered: the extension, then the post-dial
        digits; ``p`` and ``w`` are pauses. Empty when there is nothing to send."""
        return (self.extension or "") + (self.postdial or "")
