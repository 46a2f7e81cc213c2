"""The innovaphone backend: the `Pbx` protocol over one AppWebsocket, for one user.

One connection to the PBX's App object carries the PbxAdminApi (directory, presence,
call forwarding, booleans) and RCC (calls). It is opened on first use and again after it
was lost; the user's calls arrive as RCC `CallInfo` and are pushed (`pushed()`), so the
session needs no live poll. Voicemail, fax and call history are not offered by these APIs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from companion.forward_memory import ForwardMemory
from companion.pbx import errors
from companion.pbx.features import WHAT, Feature
from companion.pbx.innovaphone import logins, mapping
from companion.pbx.innovaphone.address import DEFAULT_APP, check_url, ssl_context
from companion.pbx.innovaphone.logins import SessionCredentials
from companion.pbx.innovaphone.numbering import NumberPlan
from companion.pbx.innovaphone.wire import Connection, Message
from companion.pbx.models import (
    Account,
    Call,
    CallAction,
    CallRecord,
    CallState,
    Contact,
    ContactDetails,
    Device,
    NumberInfo,
    PbxUser,
    Presence,
    Profile,
    QueueMembership,
    ReceivedFax,
    Redirect,
    SearchResult,
    SentFax,
    Switch,
    Voicemail,
    VoicemailCounts,
)
from companion.pbx.protocol import Pushed

log = logging.getLogger(__name__)

KIND = "innovaphone"
SEARCH_PAGE = 20  # SearchUsers answers up to 20 users at a time
NUMBER_PLAN_DEADLINE = 3.0  # s for GetNormalizedNumber at connect; without it numbers still work
ADMIN = "PbxAdminApi"
RCC = "RCC"
CAPABILITIES = frozenset(
    {
        Feature.CALLS,
        Feature.DIRECTORY,
        Feature.PRESENCE,
        Feature.REDIRECT,
        Feature.SWITCHES,
        Feature.LIVE_CALLS,
    }
)


def not_offered(feature: Feature) -> errors.NotSupported:
    return errors.NotSupported(f"This innovaphone PBX offers no {WHAT[feature]} through its API.")


class InnovaphonePbx:
    """An innovaphone PBX as seen by one user (`user`: their SIP name or Long Name)."""

    kind = KIND
    capabilities = CAPABILITIES

    def __init__(
        self,
        url: str,
        user: str,
        *,
        app: str = DEFAULT_APP,
        app_password: str | None = None,
        session: SessionCredentials | None = None,
        ca_file: str | None = None,
        forward_memory: ForwardMemory | None = None,
    ) -> None:
        if app_password is None and session is None:
            raise ValueError("an App object password or session credentials are needed")
        self.url = check_url(url)
        self.user = user
        self.app = app or DEFAULT_APP
        self._app_password = app_password
        self._session = session
        self._ssl = ssl_context(self.url, ca_file)
        self._conn: Connection | None = None
        self._myapps: Connection | None = None  # the user's myApps session (user login only)
        self._connecting = asyncio.Lock()
        self._me: Message | None = None  # the user's object, as last read
        self._user_handle: Any = None  # RCC UserInitialize's handle for the user
        self._plan = NumberPlan()  # the user's node's prefixes, read once per connection
        self._calls: dict[str, Call] = {}
        self._listeners: set[asyncio.Queue[Pushed]] = set()
        # what switching the forwarding back on restores (innovaphone keeps no "old" target)
        self._forward = forward_memory or ForwardMemory(f"{url} {user}")
        self._cursor: tuple[int, str] = (0, "")  # directory paging: (offset, last cn)
        self.connections = 0  # connections opened (each after a loss is a new one)

    # -- the connection --------------------------------------------------------------

    @property
    def apps_url(self) -> str:
        return f"{self.url}/APPS/websocket"

    @property
    def myapps_url(self) -> str:
        return f"{self.url}/APPCLIENT/130000/websocket"

    async def __aenter__(self) -> InnovaphonePbx:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for conn in (self._conn, self._myapps):
            if conn is not None:
                await conn.close()
        self._conn = self._myapps = None

    async def _connection(self) -> Connection:
        async with self._connecting:
            if self._conn is not None and self._conn.lost is None:
                return self._conn
            await self.close()
            self._conn = await self._open()
            return self._conn

    async def _open(self) -> Connection:
        conn = await Connection.open(self.apps_url, ssl_context=self._ssl)
        try:
            if self._app_password is not None:
                await logins.app_login(conn, self.app, self._app_password)
            else:
                await self._app_login_as_user(conn)
            self._calls = {}
            conn.pushed = self._on_message
            await conn.request({"api": RCC, "mt": "Initialize"})
            me = await self._read_me(conn)
            result = await conn.request(
                {"api": RCC, "mt": "UserInitialize", "cn": mapping.text(me, "cn")}
            )
            _check(result, "follow your calls")
            self._user_handle = result.get("user")
            self._plan = await self._number_plan(conn, me, result)
        except BaseException:
            await conn.close()
            raise
        self.connections += 1
        return conn

    async def _number_plan(self, conn: Connection, me: Message, prefixes: Message) -> NumberPlan:
        """The node's prefixes (UserInitializeResult) and own number (GetNormalizedNumber
        of the user, once per connection); a PBX that gives no number leaves it out."""
        try:
            normalized = await conn.request(
                {"api": ADMIN, "mt": "GetNormalizedNumber", "guid": mapping.text(me, "guid")},
                deadline=NUMBER_PLAN_DEADLINE,
            )
        except errors.PbxTimeout:  # a PBX that does not know the message leaves it unanswered
            normalized = {}
        number = mapping.text(normalized, "number")
        return NumberPlan.read(prefixes, mapping.text(me, "e164"), number)

    async def _app_login_as_user(self, apps: Connection) -> None:
        """The App login myApps hands out; the myApps connection stays open, since it tells
        of the user's presence changing (UpdateOwnPresence)."""
        assert self._session is not None
        myapps = await Connection.open(self.myapps_url, ssl_context=self._ssl)
        try:
            await logins.user_login(myapps, self._session.usr, self._session.pwd, kind="session")
            await logins.app_login_for_user(apps, myapps, self.app)
        except BaseException:
            await myapps.close()
            raise
        myapps.pushed = self._on_myapps
        self._myapps = myapps

    def _on_myapps(self, message: Message) -> None:
        if message.get("mt") == "UpdateOwnPresence":
            self._push(Pushed(changed=frozenset({Feature.PRESENCE})))

    async def _request(self, message: Message, *, action: bool = False) -> Message:
        conn = await self._connection()
        return await conn.request(message, action=action)

    def _on_message(self, message: Message) -> None:
        mt = message.get("mt")
        if mt == "CallInfo" and message.get("api", RCC) == RCC:
            self._call_info(message)
        elif mt not in ("UserInfo", "KeepAlive", "InitializeResult"):
            log.debug("ignored an innovaphone message of type %r", str(mt)[:40])

    def _call_info(self, info: Message) -> None:
        if self._user_handle is not None and info.get("user", self._user_handle) != (
            self._user_handle
        ):
            return  # another user's call (RCC monitors only the user's own cn)
        call_id = str(info.get("call"))
        if mapping.call_gone(info):
            if self._calls.pop(call_id, None) is None:
                return
        else:
            self._calls[call_id] = mapping.call(info, self._calls.get(call_id), plan=self._plan)
        self._push(Pushed(calls=list(self._calls.values())))

    def _push(self, pushed: Pushed) -> None:
        for queue in self._listeners:
            queue.put_nowait(pushed)

    # -- pushed calls ------------------------------------------------------------------

    async def pushed(self) -> AsyncIterator[Pushed]:
        conn = await self._connection()
        queue: asyncio.Queue[Pushed] = asyncio.Queue()
        self._listeners.add(queue)
        try:
            yield Pushed(calls=list(self._calls.values()))
            while True:
                getter = asyncio.ensure_future(queue.get())
                closed = asyncio.ensure_future(conn.closed.wait())
                try:
                    await asyncio.wait({getter, closed}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    closed.cancel()
                    if not getter.done():
                        getter.cancel()
                if getter.done() and not getter.cancelled():
                    yield getter.result()
                else:
                    raise conn.lost or errors.PbxUnreachable()
        finally:
            self._listeners.discard(queue)

    async def live_calls(self) -> list[Call]:
        await self._connection()
        return list(self._calls.values())

    # -- the user ----------------------------------------------------------------------

    async def _read_me(self, conn: Connection | None = None) -> Message:
        conn = conn or await self._connection()
        for key in ("h323", "cn"):
            obj = await conn.request({"api": ADMIN, "mt": "GetObject", key: self.user})
            if _found(obj):
                self._me = obj
                return obj
        raise errors.NotFound(
            f"The PBX knows no user {self.user!r}. Give your SIP name (as in myApps) or Long Name."
        )

    async def account(self) -> Account:
        return mapping.account(await self._read_me())

    async def users(self) -> list[PbxUser]:
        return [mapping.pbx_user(u) for u in await self._all_users()]

    async def devices(self) -> list[Device]:
        me = await self._read_me()
        extension = mapping.text(me, "e164")
        return [
            mapping.device(d, extension) for d in me.get("devices") or [] if isinstance(d, dict)
        ]

    async def default_device(self) -> Device:
        devices = await self.devices()
        if not devices:
            raise errors.NotFound("Your user has no phone on this PBX to dial from.")
        return devices[0]

    async def call_action(
        self, action: CallAction, destination: str = "", device: str | None = None
    ) -> None:
        await self._connection()
        handle = self._user_handle
        if action is CallAction.DIAL:
            if not destination:
                raise errors.BadRequest("There is no number to dial.")
            message = {"api": RCC, "mt": "UserCall", "user": handle,
                       **mapping.dial_target(destination, self._plan)}  # fmt: skip
        elif action is CallAction.HANGUP:
            message = {"api": RCC, "mt": "UserClear", "call": self._call_for("hang up")}
        elif action is CallAction.HOLD:
            call = self._target_call("hold")
            mt = "UserRetrieve" if call.state is CallState.ON_HOLD else "UserHold"
            message = {"api": RCC, "mt": mt, "call": int(call.id)}
        elif action in (CallAction.PICKUP, CallAction.OFFHOOK):
            ringing = [
                c for c in self._calls.values() if c.incoming and c.state is CallState.RINGING
            ]
            if not ringing:
                raise errors.ConflictError("No call rings for you to answer.")
            message = {"api": RCC, "mt": "UserConnect", "call": int(ringing[-1].id)}
        elif action is CallAction.TRANSFER:
            await self._transfer(destination)
            return
        elif action is CallAction.DTMF:
            message = {"api": RCC, "mt": "UserDTMF", "call": self._call_for("send tones"),
                       "dtmf": destination}  # fmt: skip
        else:
            raise errors.NotSupported(
                f"Companion cannot {action.value} calls on an innovaphone PBX."
            )
        await self._act(message)

    def _target_call(self, doing: str) -> Call:
        live = [c for c in self._calls.values() if c.state is not CallState.ENDED]
        connected = [c for c in live if c.state is CallState.CONNECTED]
        if connected or live:
            return (connected or live)[-1]
        raise errors.ConflictError(f"You have no call to {doing}.")

    def _call_for(self, doing: str) -> int:
        return int(self._target_call(doing).id)

    async def _transfer(self, destination: str) -> None:
        """Join the user's two calls, or send the call on to `destination`.

        RCC joins two calls (UserTransfer); a transfer to a number is a second call to
        it while the first is held, then the two joined (RCC.htm has no blind transfer
        the demo PBX and the SDK agree on). A ringing call is redirected instead.
        """
        live = [c for c in self._calls.values() if c.state is not CallState.ENDED]
        held = [c for c in live if c.state is CallState.ON_HOLD]
        active = [c for c in live if c.state is not CallState.ON_HOLD]
        if held and active and not destination:
            await self._act({"mt": "UserTransfer", "a": int(held[-1].id), "b": int(active[-1].id)})
            return
        if not destination:
            raise errors.BadRequest("Say where to transfer the call to.")
        call = self._target_call("transfer")
        target = mapping.dial_target(destination, self._plan)
        if call.state is CallState.RINGING and call.incoming:
            await self._act({"mt": "UserRedirect", "call": int(call.id), **target})
            return
        if call.state is not CallState.ON_HOLD:
            await self._act({"mt": "UserHold", "call": int(call.id)})
        second = await self._act({"mt": "UserCall", "user": self._user_handle, **target})
        await self._act({"mt": "UserTransfer", "a": int(call.id), "b": second.get("call")})

    async def _act(self, message: Message) -> Message:
        result = await self._request({"api": RCC, **message}, action=True)
        _check(result, "do that")
        return result

    # -- directory ---------------------------------------------------------------------

    async def _search_page(self, cn: str, include_match: bool = False) -> list[Message]:
        message: Message = {"api": ADMIN, "mt": "SearchUsers", "cn": cn}
        if include_match:
            message["includeMatch"] = True
        result = await self._request(message)
        users = result.get("user")
        if not isinstance(users, list):
            raise errors.UnexpectedResponse("The PBX's list of users is unreadable.")
        return [u for u in users if isinstance(u, dict)]

    async def _all_users(self) -> list[Message]:
        users: list[Message] = []
        cursor = ""
        while True:
            page = await self._search_page(cursor)
            users.extend(page)
            if len(page) < SEARCH_PAGE or not mapping.text(page[-1], "cn"):
                return users
            cursor = mapping.text(page[-1], "cn")

    async def _with_numbers(self, users: list[Message]) -> list[Contact]:
        """Contacts with their numbers (SearchUsers names users; GetObject has the e164)."""

        async def full(user: Message) -> Message:
            key = "guid" if mapping.text(user, "guid") else "cn"
            obj = await self._request({"api": ADMIN, "mt": "GetObject", key: user.get(key)})
            return obj if _found(obj) else user

        return [mapping.contact(o) for o in await asyncio.gather(*(full(u) for u in users))]

    async def search(self, text: str, limit: int = 20, offset: int = 0) -> SearchResult:
        """Users whose Long Name begins with `text` (SearchUsers lists from a position)."""
        wanted = text.strip().casefold()
        found: list[Message] = []
        cursor, include = text.strip(), True
        while len(found) < offset + limit:
            page = await self._search_page(cursor, include)
            matching = [u for u in page if mapping.text(u, "cn").casefold().startswith(wanted)]
            found.extend(matching)
            if len(page) < SEARCH_PAGE or len(matching) < len(page):
                break
            cursor, include = mapping.text(page[-1], "cn"), False
        chosen = found[offset : offset + limit]
        more = 1 if len(found) > offset + limit else 0
        return SearchResult(tuple(await self._with_numbers(chosen)), len(found) + more, offset)

    async def directory_page(
        self, offset: int, limit: int, private_only: bool = False
    ) -> SearchResult:
        """`limit` users from `offset`, paging SearchUsers by the last cn (20 at a time)."""
        if private_only:  # innovaphone has no private phonebook for the PbxAdminApi
            return SearchResult((), 0, offset)
        at, cursor = self._cursor if self._cursor[0] == offset else (0, "")
        users: list[Message] = []
        ended = False
        while at + len(users) < offset + limit:
            page = await self._search_page(cursor)
            users.extend(page)
            if len(page) < SEARCH_PAGE or not mapping.text(page[-1], "cn"):
                ended = True
                break
            cursor = mapping.text(page[-1], "cn")
        skip = offset - at
        chosen = users[skip : skip + limit]
        reached = at + len(users)
        if not ended and reached == offset + limit:
            self._cursor = (reached, cursor)
        total = reached if ended else reached + 1  # more follow: say so, unknown how many
        return SearchResult(tuple(await self._with_numbers(chosen)), total, offset)

    async def presence(self, user_names: list[str]) -> dict[str, Presence]:
        async def one(name: str) -> tuple[str, Presence]:
            obj = await self._request({"api": ADMIN, "mt": "GetObject", "h323": name})
            return name, mapping.colleague_presence(obj) if _found(obj) else Presence.UNKNOWN

        return dict(await asyncio.gather(*(one(n) for n in user_names)))

    async def create_contact(self, details: ContactDetails) -> Contact:
        raise _no_phonebook()

    async def update_contact(self, contact_id: str, details: ContactDetails) -> Contact:
        raise _no_phonebook()

    async def delete_contact(self, contact_id: str) -> None:
        raise _no_phonebook()

    async def resolve(self, number: str) -> NumberInfo:
        """Whose number it is (SearchUsers names users; their numbers come with GetObject)."""
        digits = number.strip()
        contacts = await self._with_numbers(await self._all_users())
        extension = self._plan.shown(digits)  # "0004989123102" is the node's extension 102
        for contact in contacts:
            if any(n.number in (digits, extension) for n in contact.numbers):
                return NumberInfo(digits, True, contact.name)
        return NumberInfo(digits, False)

    # -- presence ----------------------------------------------------------------------

    async def profiles(self) -> list[Profile]:
        return mapping.profiles(await self._read_me())

    async def activate_profile(self, profile_id: str) -> Profile:
        if profile_id not in mapping.ACTIVITIES:
            raise errors.BadRequest(f"There is no presence {profile_id!r} on an innovaphone PBX.")
        me = await self._read_me()
        update = {"api": ADMIN, "mt": "UpdateObject", "guid": mapping.text(me, "guid"),
                  "presence": mapping.with_activity(me, profile_id)}  # fmt: skip
        _check(await self._request(update, action=True), "change your presence")
        return Profile(profile_id, mapping.ACTIVITIES[profile_id], active=True)

    async def queues(self) -> list[QueueMembership]:
        raise not_offered(Feature.QUEUES)

    async def queue_login(self) -> None:
        raise not_offered(Feature.QUEUES)

    async def queue_logout(self) -> None:
        raise not_offered(Feature.QUEUES)

    async def queue_pause(self, reason: str = "") -> None:
        raise not_offered(Feature.QUEUES)

    async def queue_unpause(self) -> None:
        raise not_offered(Feature.QUEUES)

    # -- call forwarding and booleans ------------------------------------------------

    async def redirect(self) -> Redirect:
        me = await self._read_me()
        current = mapping.redirect(me, self._forward.target, self._plan)
        self._forward.remember(current.target)
        return current

    async def set_redirect(self, target: str) -> Redirect:
        """Forward every call to `target` ("" = off); the other diversions stay as they are."""
        me = await self._read_me()  # cds is replaced as a whole: read it just before
        update = {"api": ADMIN, "mt": "UpdateObject", "guid": mapping.text(me, "guid"),
                  "cds": mapping.cds_with_forward(me, target.strip(), self._plan)}  # fmt: skip
        _check(await self._request(update, action=True), "change your call forwarding")
        self._forward.remember(target.strip())
        return await self.redirect()

    async def redirect_off(self) -> Redirect:
        return await self.set_redirect("")

    async def redirect_on(self) -> Redirect:
        if not self._forward.target:
            raise errors.ConflictError(
                "There is no earlier forwarding target to switch back on: set a target."
            )
        return await self.set_redirect(self._forward.target)

    async def switches(self) -> list[Switch]:
        result = await self._request({"api": ADMIN, "mt": "GetBooleans"})
        booleans = result.get("booleans")
        if not isinstance(booleans, list):
            raise errors.UnexpectedResponse("The PBX's list of booleans is unreadable.")
        return [mapping.switch(b) for b in booleans if isinstance(b, dict)]

    async def set_switch(self, extension: str, on: bool) -> Switch:
        raise errors.NotSupported(
            "Companion shows the innovaphone PBX's booleans but cannot switch them: the "
            "PbxAdminApi offers no message for it."
        )

    # -- what these APIs do not offer -----------------------------------------------

    async def voicemail_counts(self) -> VoicemailCounts:
        raise not_offered(Feature.VOICEMAIL)

    async def voicemails(self, folder: str = "*", limit: int = 100) -> list[Voicemail]:
        raise not_offered(Feature.VOICEMAIL)

    async def voicemail_audio(self, voicemail_id: str) -> bytes:
        raise not_offered(Feature.VOICEMAIL)

    async def mark_heard(self, voicemail_id: str) -> None:
        raise not_offered(Feature.VOICEMAIL)

    async def delete_voicemail(self, voicemail_id: str) -> None:
        raise not_offered(Feature.VOICEMAIL)

    async def received_faxes(self) -> list[ReceivedFax]:
        raise not_offered(Feature.FAX)

    async def sent_faxes(self) -> list[SentFax]:
        raise not_offered(Feature.FAX)

    async def fax_pdf(self, fax: ReceivedFax) -> bytes:
        raise not_offered(Feature.FAX)

    async def send_fax(self, pdf: Path, number: str, title: str = "") -> str:
        raise not_offered(Feature.FAX)

    async def history(self, limit: int = 20) -> list[CallRecord]:
        raise not_offered(Feature.HISTORY)

    async def toggle_recording(self, device: str = "") -> None:
        raise errors.NotSupported("Companion cannot record calls on an innovaphone PBX.")


def _found(obj: Message) -> bool:
    return not obj.get("error") and bool(mapping.text(obj, "guid") or mapping.text(obj, "cn"))


def _check(result: Message, doing: str) -> None:
    error = result.get("error")
    if error:
        words = str(result.get("errorText") or error)[:200]
        raise errors.ConflictError(f"The PBX refused to {doing}: {words}")


def _no_phonebook() -> errors.NotSupported:
    return errors.NotSupported(
        "An innovaphone PBX has no phonebook Companion can change: its users are the directory."
    )
