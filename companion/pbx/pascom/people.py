"""pascom's identity/ and phonebook/ JSON to models: the user, their devices, colleagues,
phonebook entries (and an entry back to the JSON the PBX takes)."""

from __future__ import annotations

from typing import Any

from companion.pbx.errors import UnexpectedResponse
from companion.pbx.models import (
    Account,
    Contact,
    ContactDetails,
    ContactNumber,
    ContactSource,
    Device,
    NumberKind,
    PbxUser,
)
from companion.pbx.pascom.mapping import (
    Fields,
    looks_keyed,
    read_all,
    read_keyed,
    text,
)


def account(raw: Any) -> Account:
    if not isinstance(raw, dict) or not text(raw.get("003use_name")):
        raise UnexpectedResponse("The PBX sent user data Companion does not understand.")
    f = Fields(raw, "identity/{user}")
    extension = f.text("009ext_extension")
    profile = f.text("017pro_id")
    return Account(
        id=f.number("003use_id"),
        login=f.text("003use_name"),
        display_name=f.text("003use_bez") or f.text("003use_name"),
        extension=extension,
        mailbox=f.text("016voi_mailbox") or extension,
        fax_extension=f.text("faxextension"),
        email=f.text("016voi_email"),
        active_profile_id=profile or None,
    )


def device(f: Fields, name: str = "", default_name: str = "") -> Device:
    dev_name = f.text("010dev_bez") or name
    caps = f.get("capabilities")
    return Device(
        name=dev_name,
        caption=f.text("device_caption") or f.text("010dev_caption") or dev_name,
        kind=f.text("066dev_bez"),
        extension=f.text("extension") or f.text("009ext_extension"),
        capabilities=frozenset(text(c) for c in caps) if isinstance(caps, list) else frozenset(),
        is_default=bool(default_name) and dev_name == default_name,
    )


def devices(payload: Any, default_name: str = "") -> list[Device]:
    """The user's devices, as a list or keyed by device name."""
    by_name = isinstance(payload, dict) and looks_keyed(payload)
    return read_keyed(
        payload,
        "identity/{user}/device",
        lambda key, f: device(f, key if by_name else "", default_name),
    )


_NUMBER_FIELDS = (
    ("phone", NumberKind.PHONE),
    ("mobile", NumberKind.MOBILE),
    ("homephone", NumberKind.HOME),
    ("fax", NumberKind.FAX),
)


def contact(f: Fields, users_by_extension: dict[str, str] | None = None) -> Contact:
    kind = f.text("type")
    phonebook_type = f.text("phonebookType").lower()
    numbers = tuple(
        ContactNumber(kind, f.text(field)) for field, kind in _NUMBER_FIELDS if f.text(field)
    )
    user_name: str | None = None
    if kind == "011account":
        source = ContactSource.USER
        phone = f.text("phone")
        user_name = (users_by_extension or {}).get(phone)
    elif phonebook_type == "identity":
        source = ContactSource.PRIVATE
    else:
        source = ContactSource.GLOBAL
    first, last = f.text("firstname"), f.text("surname")
    name = f.text("displayname") or " ".join(p for p in (first, last) if p)
    return Contact(
        id=f.id("id"),
        name=name or f.text("organisation"),
        source=source,
        numbers=numbers,
        organisation=f.text("organisation"),
        first_name=first,
        last_name=last,
        email=f.text("email"),
        notes=f.text("notes"),
        user_name=user_name,
    )


def contact_body(details: ContactDetails, owner: str) -> dict[str, Any]:
    name = details.name or " ".join(p for p in (details.first_name, details.last_name) if p)
    return {
        "type": "028phonebook",
        "phonebookType": "identity",
        "phonebookName": owner,
        "displayname": name,
        "firstname": details.first_name,
        "surname": details.last_name,
        "phone": details.phone,
        "email": details.email,
        "fax": details.fax,
        "mobile": details.mobile,
        "homephone": details.home,
        "organisation": details.organisation,
        "notes": details.notes,
        "labelList": [],
    }


def contacts(payload: Any, users_by_extension: dict[str, str]) -> list[Contact]:
    return read_all(payload, "phonebook", lambda f: contact(f, users_by_extension))


def users_by_extension(payload: Any) -> dict[str, str]:
    """identity/ as extension -> login, for the users that have an extension."""
    users = read_all(
        payload, "identity/", lambda f: (f.text("009ext_extension"), f.text("003use_name"))
    )
    return {extension: login for extension, login in users if extension}


def users(payload: Any) -> list[PbxUser]:
    """identity/ as the users one can pick, by display name (disabled logins left out)."""

    def read(f: Fields) -> PbxUser | None:
        login = f.text("003use_name")
        if not login or f.get("003use_enabled") is False:
            return None
        return PbxUser(login, f.text("003use_bez") or login, f.text("009ext_extension"))

    found = read_all(payload, "identity/", read)
    return sorted(found, key=lambda user: (user.display_name.casefold(), user.login))
