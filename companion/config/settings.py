"""What the user configures (:class:`Settings`), what loading found, and the settings' error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the favourites (and the PBX models) load only where the file has some
    from companion import favourites as favourite_list


class ConfigError(Exception):
    """A setting or the settings file is wrong; ``str(err)`` is one line for the user."""


@dataclass
class Settings:
    """Everything the user configures, with the defaults of a fresh install."""

    kind: str = "pascom"  # "pascom", "innovaphone": the PBX directly; "relay": through a relay
    pbx_url: str = ""  # https://HOST/INSTANCE, normalised: no trailing slash, no /services
    rest_user: str = "moby"
    user: str = ""  # the pascom login name (003use_name) the app acts for
    region: str = ""  # default dialing region, e.g. "DE"; "" = from the system locale
    ca_file: str = ""  # optional PEM for on-site PBXs with their own certificate
    # innovaphone: the App object (PbxAdminApi + RCC) Companion reaches the PBX through, and
    # how: "user" (myApps login; session credentials in the keyring) or "app" (its password)
    app: str = "companion"
    login: str = "user"
    poll_interval: int = 30  # seconds
    confirm_links: bool = True
    hotkey_dial_selection: str = "Ctrl+Alt+D"
    hotkey_open_dial: str = "Ctrl+Alt+F"
    language: str = ""  # "" = the system's
    start_at_login: bool = False
    call_popups: bool = True  # a pop-up window for a ringing incoming call
    call_popups_external_only: bool = False  # ... only when the caller is not a colleague
    crm_url: str = ""  # CRM link template with {number}, {e164}, {name}; "" = none
    crm_open_on_answer: bool = False  # open the CRM link when the user answers
    live_interval: int = 2  # seconds between looks at the live calls
    directory_sync_interval: int = 4  # hours between syncs of the local directory index
    # pinned contacts, in order; kept by the dial window, not a `companion config` key
    favourites: tuple[favourite_list.Favourite, ...] = ()


@dataclass(frozen=True)
class Loaded:
    """What :func:`load` found: the settings, and a warning for the user if any."""

    settings: Settings
    warning: str | None = None
