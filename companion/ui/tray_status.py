"""The app's state in words and badges: what the tray icon, its tooltip and the fallback
window say, computed from the controller (connection, account, redirect, voicemail,
paused queues, features that do not work, live calls)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from companion.output import duration
from companion.pbx.features import Cause, Feature, FeatureState
from companion.pbx.models import Call, CallState
from companion.ui import icons

if TYPE_CHECKING:
    from companion.controller import Controller


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tray", text)  # the tray's texts, one context


@dataclass(frozen=True)
class Status:
    """The app's state for the icon, the tooltip and the fallback window."""

    state: icons.TrayState
    summary: str  # "connected as Max Mustermann (101)"
    details: tuple[str, ...] = ()  # "redirect to …", "3 new voicemails"
    calls: tuple[str, ...] = ()  # "in a call with Tina Sander (3:12)": first, it matters most

    def lines(self) -> tuple[str, ...]:
        return (*self.calls, self.summary, *self.details)

    def tooltip_for(self, app_name: str) -> str:
        text = _tr("{app} – {status}")
        return text.format(app=app_name, status="; ".join(self.lines()))


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def shorten(text: str, limit: int = 64) -> str:
    """A menu item's text short enough not to stretch the menu across the screen."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def why_not(state: FeatureState) -> str:
    """A few words for why a feature is not available, for a menu item."""
    if state.cause is Cause.NOT_ALLOWED:
        return _tr("not allowed for this REST user")
    if state.cause is Cause.NOT_SET_UP:
        return _tr("not set up on the PBX")
    if state.cause is Cause.NO_EXTENSION:
        return _tr("your user has no extension")
    if state.cause is Cause.NOT_OFFERED:
        return _tr("not offered by this PBX")
    return _tr("not working right now")


def _feature_name(feature: Feature) -> str:
    """A feature as the tooltip names it."""
    names = {
        Feature.CALLS: _tr("calls"),
        Feature.DIRECTORY: _tr("phonebook"),
        Feature.PRESENCE: _tr("presence"),
        Feature.QUEUES: _tr("queues"),
        Feature.REDIRECT: _tr("redirect"),
        Feature.SWITCHES: _tr("switches"),
        Feature.VOICEMAIL: _tr("voicemail"),
        Feature.FAX: _tr("faxes"),
        Feature.HISTORY: _tr("call history"),
        Feature.LIVE_CALLS: _tr("live calls"),
    }
    return names[feature]


def _broken_features(controller: Controller) -> list[FeatureState]:
    """The offered features that do not work now, in the order of the menu."""
    return [
        state
        for feature in Feature
        if controller.offers(feature) and not (state := controller.feature_state(feature)).available
    ]


def call_line(call: Call, who: str, now: datetime | None = None) -> str:
    """One live call in words, for the tooltip and the window."""
    if call.state is CallState.RINGING:
        if call.incoming:
            return _tr("{caller} is calling").format(caller=who)
        return _tr("calling {callee}…").format(callee=who)
    talked = duration(call.talk_seconds(now))
    if call.state is CallState.ON_HOLD:
        return _tr("{caller} on hold ({time})").format(caller=who, time=talked)
    return _tr("in a call with {caller} ({time})").format(caller=who, time=talked)


def in_call(call: Call) -> bool:
    return call.state in (CallState.CONNECTED, CallState.ON_HOLD)


def describe(controller: Controller | None, name_of: Callable[[Call], str] | None = None) -> Status:
    """The state the user sees, from the controller (None: not set up yet).

    `name_of` names a call's other party (the phonebook's name where it is known).
    """
    if controller is None:
        return Status(
            icons.TrayState(None), _tr("not set up: choose Settings… to connect to your PBX")
        )
    if controller.reachable is None:
        return Status(icons.TrayState(None), _tr("connecting to the PBX…"))
    if controller.reachable is False:
        return Status(
            icons.TrayState(False),
            _tr("not connected to the PBX: {reason}").format(
                reason=controller.unreachable_reason or _tr("no answer")
            ),
        )
    account = controller.account
    if account is None:
        summary = _tr("connected")
    else:
        summary = _tr("connected as {name} ({extension})").format(
            name=account.display_name or account.login, extension=account.extension
        )
    details: list[str] = []
    redirect = controller.redirect
    if redirect is not None and redirect.active:
        details.append(
            _tr("redirect to {target}").format(target=controller.target_label(redirect.target))
        )
    counts = controller.voicemail_counts
    new = counts.new if counts is not None else 0
    if new == 1:
        details.append(_tr("1 new voicemail"))
    elif new > 1:
        details.append(_tr("{count} new voicemails").format(count=new))
    missed = controller.missed_calls  # not looked at yet: the icon's badge says it too
    if missed == 1:
        details.append(_tr("1 missed call"))
    elif missed > 1:
        details.append(_tr("{count} missed calls").format(count=missed))
    paused = [q for q in controller.queues if q.paused]
    if paused:
        details.append(_tr("paused in the queues"))
    for state in _broken_features(controller):  # the PBX answers; only these do not work
        details.append(
            _tr("{feature} {why}").format(feature=_feature_name(state.feature), why=why_not(state))
        )
    calls = controller.calls

    def who(call: Call) -> str:
        if name_of is not None:
            return name_of(call)
        return call.remote_name or controller.display(call.remote_number) or _tr("unknown")

    return Status(
        icons.TrayState(
            True,
            redirect=bool(redirect and redirect.active),
            new_voicemails=new,
            ringing=any(c.incoming and c.state is CallState.RINGING for c in calls),
            in_call=any(in_call(c) for c in calls),
            missed_calls=controller.missed_calls,
        ),
        summary,
        tuple(details),
        tuple(call_line(c, who(c)) for c in calls),
    )
