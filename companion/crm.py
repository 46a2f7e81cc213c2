"""Links into the user's CRM: a URL template filled in with the caller's number and name.

The template is a web address with placeholders, e.g.
``https://crm.example.com/search?phone={e164}&name={name}``:

* ``{number}``: the caller's number as the PBX gave it (as one would dial it back);
* ``{e164}``: the same number in E.164 (``+4989123456``) where it is a public number;
  an internal extension, or a national number without a known region, stays as given,
  so the CRM always gets something to search for;
* ``{name}``: the caller's name ("" when nobody knows it).

Each value is percent-encoded, so a name can never add a query parameter or change the
path. Only ``http://`` and ``https://`` templates are accepted, and the placeholders
must not be in the host: a caller's name never decides which server is opened. No Qt
here: the UI opens the link with ``QDesktopServices.openUrl``.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from companion import numbers

__all__ = ["PLACEHOLDERS", "CrmError", "check_template", "crm_link"]

PLACEHOLDERS = ("number", "e164", "name")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class CrmError(ValueError):
    """The CRM template is not usable; ``str(err)`` is one line for the user."""


def check_template(template: str) -> str:
    """``template`` stripped, if it is a usable CRM link template; else :class:`CrmError`."""
    text = template.strip()
    if not text:
        raise CrmError(
            "The CRM link is empty: give a web address like https://crm.example.com/?q={number}"
        )
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise CrmError("The CRM link must not contain spaces or control characters")
    allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for found in _PLACEHOLDER.findall(text):
        if found not in PLACEHOLDERS:
            raise CrmError(f"The CRM link has an unknown placeholder {{{found}}}; use {allowed}")
    rest = _PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        raise CrmError(f"The CRM link has a brace that is not part of a placeholder ({allowed})")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise CrmError(f"The CRM link is not a valid web address: {text!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise CrmError(
            f"The CRM link must be a web address starting with https:// (or http://), not {text!r}"
        )
    if "{" in parts.netloc:
        raise CrmError("The CRM link's placeholders belong after the host name, not in it")
    return text


def crm_link(template: str, number: str, name: str = "", region: str | None = None) -> str:
    """The CRM address for a caller: ``template`` with its placeholders filled in.

    ``region`` is the dialing region that national numbers are read in for ``{e164}``.
    Raises :class:`CrmError` when the template is not usable.
    """
    text = check_template(template)
    values = {"number": number.strip(), "e164": _e164(number, region), "name": name.strip()}
    return _PLACEHOLDER.sub(lambda match: quote(values[match.group(1)], safe=""), text)


def _e164(number: str, region: str | None) -> str:
    try:
        key = numbers.comparable(number, region)  # reads 0049... as +49... without a region
    except numbers.NumberError:
        return number.strip()
    return key if key.startswith("+") else number.strip()
