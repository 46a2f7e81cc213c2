"""The backends the relay acts through: one per PBX user, all with the relay's credential
(pascom: the REST user, sharing one connection pool; innovaphone: the App object, one
AppWebsocket per user, whose RCC follows that user's cn only).

A token's requests go to the backend built for the token's login (as
`companion.backends.open_pbx` builds the desktop's), so every path the backend sends
names that user. Where the backend takes an id that the PBX does not tie to the user
(phonebook entries, voicemail messages, faxes), the id is checked here against the user's
own lists first: someone else's id is "not found", exactly like an id that does not
exist.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from companion.forward_memory import ForwardMemory
from companion.pbx import errors
from companion.pbx.innovaphone import InnovaphonePbx, logins
from companion.pbx.innovaphone.address import ssl_context
from companion.pbx.innovaphone.wire import Connection
from companion.pbx.models import Contact, ContactSource, ReceivedFax, SearchResult
from companion.pbx.pascom import PascomPbx
from companion.pbx.pascom.answers import tls_context  # the same trust and words as the desktop's
from companion.pbx.protocol import Pbx
from companion.relay.config import RelayConfig
from companion.sent_faxes import SentFaxMemory

DIRECTORY_TTL = 300.0  # seconds the relay's copy of the phonebook is served
DIRECTORY_PAGE = 500  # entries per read of the PBX's phonebook
MAX_PAGES = 200  # a PBX that pages for ever is cut off here
OWN_VOICEMAILS = 1000  # messages looked through to find the user's own
IDLE = 900.0  # seconds a user's backend is kept without being used
POOL = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class _SharedPool(httpx.AsyncBaseTransport):
    """One connection pool to the PBX for every user's backend (closed once, by the relay:
    a backend that is closed leaves it open for the others)."""

    def __init__(self, pool: httpx.AsyncBaseTransport) -> None:
        self.pool = pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.pool.handle_async_request(request)

    async def aclose(self) -> None:
        pass


class UserBackends:
    """The backend of each user who used the relay lately (one is dropped after
    `IDLE` seconds without a request or an event stream: it is rebuilt when needed)."""

    def __init__(self, config: RelayConfig, password: str) -> None:
        self._config = config
        self._password = password
        self._by_login: dict[str, tuple[Pbx, float]] = {}
        self._data_dir = config.require_data_dir()
        # The TLS trust and the CA file's words as the desktop's backend has them.
        trust = tls_context(config.ca_file or None)
        self._pool = httpx.AsyncHTTPTransport(verify=trust, limits=POOL)
        self._closing: set[asyncio.Task[None]] = set()
        self.now = time.monotonic  # a test may move the clock
        self._pruned = self.now()
        # pascom's PBX-wide reads (cdr/live): no user of its own.
        self.wide: PascomPbx | None = self._pascom("") if self.kind == "pascom" else None
        self.directory = DirectoryCopy()

    @property
    def kind(self) -> str:
        return self._config.pbx_kind

    def _build(self, login: str) -> Pbx:
        if self.kind == "innovaphone":
            return self._innovaphone(login)
        return self._pascom(login)

    def _innovaphone(self, login: str) -> InnovaphonePbx:
        # "Switch forwarding back on" needs the last target: kept per user, like sent faxes.
        memory = ForwardMemory(
            f"{self._config.pbx_url.rstrip('/')} {login}",
            self._data_dir / "forward-targets" / f"{login.encode().hex()}.json",
        )
        return InnovaphonePbx(
            self._config.pbx_url,
            login,
            app=self._config.app,
            app_password=self._password,
            ca_file=self._config.ca_file or None,
            forward_memory=memory,
        )

    async def check_app_login(self) -> None:
        """innovaphone: one App-object login (and out again), so that a wrong address or
        password is said when the relay starts, not on the first desktop's connection."""
        url = f"{self._config.pbx_url.rstrip('/')}/APPS/websocket"
        context = ssl_context(url, self._config.ca_file or None)
        conn = await Connection.open(url, ssl_context=context)
        try:
            await logins.app_login(conn, self._config.app, self._password)
        finally:
            await conn.close()

    def _pascom(self, login: str) -> PascomPbx:
        memory = SentFaxMemory(
            f"{self._config.pbx_url.rstrip('/')} {login}",
            self._data_dir / "sent-faxes" / f"{login.encode().hex()}.json" if login else None,
        )
        return PascomPbx(
            self._config.pbx_url,
            self._config.rest_user,
            self._password,
            login,
            ca_file=self._config.ca_file or None,
            transport=_SharedPool(self._pool),
            sent_faxes=memory,
        )

    def of(self, login: str) -> Pbx:
        now = self.now()
        if now - self._pruned > IDLE / 4:
            self._prune(now)
        found = self._by_login.get(login)
        if found is None:
            for folder in ("sent-faxes", "forward-targets"):
                (self._data_dir / folder).mkdir(exist_ok=True, mode=0o700)
            pbx = self._build(login)
        else:
            pbx = found[0]
        self._by_login[login] = (pbx, now)
        return pbx

    def __len__(self) -> int:
        return len(self._by_login)

    def _prune(self, now: float) -> None:
        self._pruned = now
        for login, (pbx, used) in list(self._by_login.items()):
            if now - used > IDLE:
                del self._by_login[login]
                task = asyncio.ensure_future(pbx.close())
                self._closing.add(task)
                task.add_done_callback(self._closing.discard)

    async def close(self) -> None:
        backends = [p for p, _used in self._by_login.values()]
        await asyncio.gather(
            *([self.wide.close()] if self.wide else []),
            *(p.close() for p in backends),
            *self._closing,
            return_exceptions=True,
        )
        self._by_login.clear()
        await self._pool.aclose()


# -- the user's own ids ------------------------------------------------------------------


async def own_contact(pbx: Pbx, contact_id: str) -> None:
    for contact in await _all_pages(pbx, private_only=True):
        if contact.id == contact_id and contact.source is ContactSource.PRIVATE:
            return
    raise errors.NotFound("The phonebook entry no longer exists.")


async def own_voicemail(pbx: Pbx, voicemail_id: str) -> None:
    if not any(v.id == voicemail_id for v in await pbx.voicemails("*", OWN_VOICEMAILS)):
        raise errors.NotFound("This voicemail no longer exists.")


async def own_fax(pbx: Pbx, fax_id: str) -> ReceivedFax:
    for fax in await pbx.received_faxes():
        if fax.id == fax_id:
            return fax
    raise errors.NotFound("There is no such fax among yours.")


async def _all_pages(pbx: Pbx, private_only: bool) -> list[Contact]:
    contacts: list[Contact] = []
    for _page in range(MAX_PAGES):
        page = await pbx.directory_page(len(contacts), DIRECTORY_PAGE, private_only)
        contacts.extend(page.contacts)
        if not page.contacts or len(contacts) >= page.total:
            break
    return contacts


# -- the phonebook, one copy for everybody ------------------------------------------------


class DirectoryCopy:
    """The PBX-wide part of the phonebook (global entries and users), read once for all
    desktops and kept `DIRECTORY_TTL` seconds; each user's own entries are added per
    request (they are that user's only)."""

    def __init__(self, ttl: float = DIRECTORY_TTL) -> None:
        self.ttl = ttl
        self.reads = 0  # how often the PBX was asked (for tests and figures)
        self._copy: tuple[float, list[Contact]] | None = None
        self._lock = asyncio.Lock()

    async def shared(self, pbx: Pbx) -> list[Contact]:
        async with self._lock:
            if self._copy and time.monotonic() - self._copy[0] < self.ttl:
                return self._copy[1]
            everything = await _all_pages(pbx, private_only=False)
            self.reads += 1
            shared = [c for c in everything if c.source is not ContactSource.PRIVATE]
            self._copy = (time.monotonic(), shared)
            return shared

    async def page(self, pbx: Pbx, offset: int, limit: int, private_only: bool) -> SearchResult:
        if private_only:
            return await pbx.directory_page(offset, limit, True)
        shared, own = await asyncio.gather(self.shared(pbx), _all_pages(pbx, private_only=True))
        everything = shared + [c for c in own if c.source is ContactSource.PRIVATE]
        return SearchResult(tuple(everything[offset : offset + limit]), len(everything), offset)
