"""The `companion` command: the GUI by default, subcommands for scripting.

Subcommands print human-readable text (or JSON with --json) and fail with one line on
stderr and a non-zero exit code, never a traceback. Command paths that open no window
import no Qt, and the HTTP stack only once a command needs the PBX, so a dial from a
script or a link costs little more than Python starting.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING

from companion import __version__
from companion.output import UserError

if TYPE_CHECKING:  # argparse only once the command line is parsed: not on a hand-over
    import argparse
    from collections.abc import Sequence

EXIT_FAILED = 1
MOST = 1000
"""The largest --limit: more is a listing for an export, not for the command line."""


class _Skipped:
    """Stands in for the parser of a command that `_parser(only=...)` leaves out."""

    def add_argument(self, *args: object, **kwargs: object) -> None:
        pass


@functools.cache  # made once: the running app parses every handed-over command with it
def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, the parser of that one command (building
    every command's costs each cold command ~15 ms), or all of them if there is none."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="companion",
        description="Companion for pascom phone systems: dial, presence, redirects, "
        "switches, voicemail and fax from the desktop or a script.",
        epilog="Without a COMMAND, Companion starts on the desktop. See: companion COMMAND --help",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use an embedded demo PBX (throwaway settings, in-memory keyring)",
    )
    parser.add_argument(
        "--kind", dest="demo_kind", choices=["pascom", "innovaphone"], default="pascom",
        help="with --demo: which kind of demo PBX (default: pascom)",
    )  # fmt: skip
    parser.add_argument("--open", metavar="URI", help=argparse.SUPPRESS)  # GUI start with a link
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str, *examples: str) -> argparse.ArgumentParser | _Skipped:
        if only is not None and name != only:
            return _Skipped()
        # Each command's --help ends with examples: the quickest way to the right line.
        lines = "\n".join(f"  companion {name}{' ' if e else ''}{e}" for e in examples)
        command = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example{'s' if len(examples) > 1 else ''}:\n{lines}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.set_defaults(usage_error=command.error)  # for the checks in parse()
        return command

    def as_json(p: argparse.ArgumentParser | _Skipped) -> None:
        p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = add(
        "login",
        "check the PBX credentials, then save them (password in the OS keyring); or connect"
        " to a Companion relay with the code from your administrator",
        "--url https://pbx.example.com/office --user mmuster",
        "--relay https://relay.example.com --code K7QM-3XPR-9DWT",
    )
    p.add_argument(
        "--kind", choices=["pascom", "innovaphone"], default=None,
        help="which PBX (default: pascom)",
    )  # fmt: skip
    p.add_argument(
        "--url",
        help="the PBX address: pascom https://HOST/INSTANCE, innovaphone wss://HOST/PBX0",
    )  # fmt: skip
    p.add_argument("--rest-user", default="moby", help="pascom: REST user (default: moby)")
    p.add_argument(
        "--user",
        help="your login name (pascom: the user name; innovaphone: your myApps name)",
    )  # fmt: skip
    p.add_argument(
        "--app", default="",
        help="innovaphone: log in with this App object's password instead of as yourself",
    )  # fmt: skip
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.add_argument("--ca-file", default="", help="PEM file of the PBX's (or relay's) own CA")
    p.add_argument("--relay", help="connect to a Companion relay at this address instead")
    p.add_argument("--code", help="the one-time enrolment code for --relay")
    p.add_argument("--device", default="", help="this desktop's name at the relay")
    add("logout", "remove the REST password from the keyring and the local directory", "")
    p = add(
        "config",
        "show or change a setting, e.g. `companion config dialing.region DE`",
        "",
        "dialing.region DE",
    )
    p.add_argument("key", nargs="?", help="the setting (all of them when left out)")
    p.add_argument("value", nargs="?", help="its new value (shown when left out)")

    p = add(
        "dial",
        "call a number, tel:/callto:/sip: URI, or a contact by name",
        '"089 123456"',
        '"Tina Sander"',
    )
    p.add_argument(
        "number",
        nargs="?",
        help="a number or link; a name dials the one contact it matches (quote it)",
    )
    p.add_argument("--device", help="dial from this device instead of the default device")
    p.add_argument(
        "--selection",
        action="store_true",
        help="dial the selected text (bind this to a key where global hotkeys are not offered)",
    )
    for name, text in (
        ("hangup", "hang up the current call"),
        ("hold", "put the current call on hold (or take it back)"),
        ("pickup", "answer the ringing call"),
        ("offhook", "take the device off hook"),
        ("conference", "join the held and the current call"),
    ):
        add(name, text, "").add_argument("--device", help="act on this device")
    p = add("transfer", "transfer the current call", "222")
    p.add_argument("number", help="where the call goes: a number or an extension")
    p.add_argument("--device", help="act on this device")
    p = add("dtmf", "send touch-tone digits in the current call", '"1234#"')
    p.add_argument("digits", type=_digits, help="the digits: 0-9, * and #")
    p.add_argument("--device", help="act on this device")

    p = add("search", "search the phonebook (private and global)", "mueller --limit 5")
    p.add_argument("text", help="part of a name, an organisation or a number")
    p.add_argument("--limit", type=_limit, default=20, help="at most this many (default: 20)")
    as_json(p)
    p.add_argument("--remote", action="store_true", help="ask the PBX, not the local directory")
    p = add("directory", "the local directory: status, or sync it from the PBX now", "sync")
    p.add_argument(
        "action",
        nargs="?",
        choices=["status", "sync"],
        default="status",
        help="status (the default) or sync",
    )
    p = add("presence", "show or set your presence profile", "--list", "Office")
    p.add_argument("profile", nargs="?", help="profile name (or id) to activate")
    p.add_argument("--list", action="store_true", help="list your profiles")
    as_json(p)
    p = add("queue", "queue agent: status, login, logout, pause [REASON], unpause", "pause lunch")
    p.add_argument(
        "action",
        nargs="?",
        choices=["status", "login", "logout", "pause", "unpause"],
        help="what to do (status when left out)",
    )
    p.add_argument("reason", nargs="?", default="", help="pause: a pause reason the queues offer")
    as_json(p)
    p = add(
        "redirect",
        "show the redirect of your extension, set a TARGET, or switch it off/on",
        '"030 123456"',
        "off --json",
    )
    p.add_argument(
        "target",
        nargs="?",
        help="off, on, a number, an extension or a name from the phonebook (quoted)",
    )
    p.add_argument("--json", action="store_true", help="print JSON: the redirect before and after")
    p = add("switch", "list extension switches, or set one on/off/toggle", "AfterHours toggle")
    p.add_argument("name", nargs="?", help="switch name or extension")
    p.add_argument("state", nargs="?", choices=["on", "off", "toggle"], help="its new state")
    as_json(p)
    p = add("voicemail", "list, save, mark heard or delete voicemail", "", "save ID ~/message.wav")
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "save", "heard", "delete"],
        help="list (the default), save, heard or delete",
    )
    p.add_argument("id", nargs="?", help="the message's ID, as voicemail list shows it")
    p.add_argument("file", nargs="?", help="save: a WAV file name, or a directory to save in")
    as_json(p)
    p = add(
        "fax",
        "list received or sent faxes, save one as PDF, send a PDF",
        "sent",
        'send letter.pdf "030 123456"',
    )
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "sent", "save", "send"],
        help="list (the default), sent, save or send",
    )
    p.add_argument("args", nargs="*", help="save: ID FILE, send: PDF NUMBER")
    as_json(p)
    p = add(
        "history", "your recent calls, newest first (talk time; unanswered marked)", "--limit 50"
    )
    p.add_argument("--limit", type=_limit, default=20, help="at most this many (default: 20)")
    as_json(p)
    p = add("calls", "your live calls; --watch prints one line per call event", "--watch")
    p.add_argument("--watch", action="store_true", help="follow calls until Ctrl+C")
    p.add_argument("--json", action="store_true", help="JSON (with --watch: one object a line)")
    p.add_argument("--interval", type=_interval, default=2.0, help="seconds between looks (1-30)")
    p = add("status", "whether the PBX answers, your user, and what each feature can do now", "")
    as_json(p)
    p = add(
        "open",
        "hand a tel:/callto:/sip:/sips: link to the running app, or start it",
        "tel:+4989123456",
    )
    p.add_argument("uri", help="the link")
    add(
        "install-url-handler",
        "make Companion this user's handler for tel:, callto:, sip:, sips:",
        "",
    )
    add("uninstall-url-handler", "undo install-url-handler", "")
    p = add("url-handler-status", "which application opens each phone-link scheme now", "")
    as_json(p)
    p = add(
        "simulator",
        "run the demo PBX (a pascom REST API, or with --kind innovaphone an AppWebsocket, "
        "on loopback)",
        "--port 8080 --variant reference",
    )
    p.add_argument(
        "--kind",
        choices=("pascom", "innovaphone"),
        default="pascom",
        help="which phone system to simulate (default: pascom)",
    )
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    p.add_argument("--port", type=_port, default=8080, help="0 picks a free port")
    p.add_argument(
        "--data",
        help="IO-JSON file to provision from (innovaphone: its demo file; default: the demo data)",
    )
    p.add_argument(
        "--extras",
        help="queues, voicemail, faxes, ... beyond the IO-JSON (default: the demo's, "
        "unless --data is given)",
    )
    p.add_argument("--rest-user", default="moby", help="the REST user it accepts")
    p.add_argument("--rest-password", default="demo-secret", help="that user's password")
    p.add_argument(
        "--variant",
        choices=("default", "reference"),
        default="default",
        help="'reference' answers literally as the reference's examples do",
    )
    p.add_argument(
        "--challenge-as-number",
        action="store_true",
        help="innovaphone: send the login challenge as a number, as older PBXs do",
    )
    p.add_argument(
        "--scripted-calls",
        action="store_true",
        help="a known contact calls mmuster 20 s after the start, then every few minutes",
    )
    if only in (None, "relay"):
        from companion.relay.cli import add_relay_commands  # argparse only

        add_relay_commands(sub)
    if only is not None and only not in sub.choices:  # no such command: say so, with all
        return _parser()
    return parser


def parse(arguments: list[str]) -> argparse.Namespace:
    """The command line, checked: a usage mistake exits 2 before the PBX is asked, here
    and in the running app (which parses handed-over commands with this)."""
    first = arguments[0] if arguments and not arguments[0].startswith("-") else None
    args = _parser(first).parse_args(arguments)
    problem = _usage_problem(args)
    if problem:
        args.usage_error(problem)  # the command's usage and the problem, exit 2
    return args


def _usage_problem(args: argparse.Namespace) -> str:
    """What argparse alone cannot see: arguments that only some actions take."""
    command = args.command
    if command == "login":
        if args.relay:
            if not args.code:
                return "--relay needs the --code your administrator gave you"
            if args.url or args.user or args.password_stdin or args.kind or args.app:
                return (
                    "--relay takes --code (and --ca-file, --device), not --url, --user, "
                    "--kind or --app"
                )
        elif args.code or args.device:
            return "--code and --device go with --relay"
        elif not args.url or not args.user:
            return "login needs --url and --user (or --relay and --code for a Companion relay)"
    elif command == "dial":
        if args.selection and args.number:
            return "give a NUMBER or --selection, not both"
        if not args.selection and not args.number:
            return "dial needs a NUMBER, a NAME (or --selection)"
    elif command == "voicemail":
        if args.action == "list" and args.id:
            return "voicemail list takes no ID"
        if args.action != "list" and not args.id:
            return f"voicemail {args.action} needs the ID shown by: companion voicemail list"
        if args.action == "save" and not args.file:
            return "voicemail save needs a FILE (or a directory) to write the WAV to"
        if args.action != "save" and args.file:
            return f"voicemail {args.action} takes only an ID"
    elif command == "fax":
        wanted = {"save": ("ID FILE", 2), "send": ("PDF NUMBER", 2)}.get(args.action)
        if wanted and len(args.args) != wanted[1]:
            return f"fax {args.action} needs {wanted[0]}"
        if not wanted and args.args:
            return f"fax {args.action} takes no arguments"
    elif command == "simulator":
        if args.kind == "innovaphone" and args.extras:
            return "--extras is for the pascom demo PBX only"
        if args.kind == "pascom" and args.challenge_as_number:
            return "--challenge-as-number is for the innovaphone demo PBX only"
    elif command == "queue" and args.reason and args.action != "pause":
        return "only queue pause takes a REASON"
    elif command == "config" and args.key is not None:
        from companion import config

        if args.key.strip().lower() not in config.KEYS:
            return f"there is no setting {args.key!r}; the settings are: {', '.join(config.KEYS)}"
    return ""


DESKTOP_COMMANDS = {"open", "install-url-handler", "uninstall-url-handler", "url-handler-status"}


def _interval(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 1 <= value <= 30:
        raise argparse.ArgumentTypeError("the interval must be 1 to 30 seconds")
    return value


def _limit(text: str) -> int:
    import argparse

    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= MOST:
        raise argparse.ArgumentTypeError(f"the limit must be 1 to {MOST}")
    return value


def _digits(text: str) -> str:
    import argparse

    digits = text.replace(" ", "")
    if not digits or any(c not in "0123456789*#" for c in digits):
        raise argparse.ArgumentTypeError(f"'{text}' are not touch-tone digits (0-9, *, #)")
    return text


def _port(text: str) -> int:
    import argparse

    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= value <= 65535:  # getaddrinfo would silently take 99999 as 34463
        raise argparse.ArgumentTypeError("the port must be 0 to 65535")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """The `companion` command (the console script starts at :func:`companion.entry.main`,
    which hands links and call actions to a running app first, then runs :func:`run`)."""
    from companion.entry import main as entry

    return entry(argv)


def run(arguments: list[str]) -> int:
    """The command line, parsed and carried out by this process."""
    arguments = _with_open(arguments)
    # The plain desktop start needs no parser (building it costs the start ~20 ms); this
    # is what the parser makes of `companion` and `companion --demo`.
    if arguments in ([], ["--demo"]):
        import argparse

        args = argparse.Namespace(command=None, open=None, demo=bool(arguments), demo_kind="pascom")
    else:
        args = parse(arguments)
    if args.demo:  # a separate instance: a demo never takes the real Companion's links
        import os

        os.environ["COMPANION_INSTANCE"] = "companion-demo"
    try:
        if args.command in DESKTOP_COMMANDS:
            # Light on purpose (a clicked link runs this): no settings, keyring, Qt or HTTP.
            from companion.desktop import commands as desktop

            return {
                "open": desktop.open_uri,
                "install-url-handler": desktop.install_url_handler,
                "uninstall-url-handler": desktop.uninstall_url_handler,
                "url-handler-status": desktop.url_handler_status,
            }[args.command](args)
        if args.demo:
            _enter_demo(getattr(args, "demo_kind", "pascom"))
        if args.command is None:
            return _gui(args)
        if args.command == "relay":
            from companion.relay.cli import run as relay

            return relay(args)
        if args.command == "dial":  # the common cold case in one request, without asyncio
            from companion.cold_dial import dial

            code = dial(args)
            if code is not None:
                return code
        from companion.commands import command

        return command(args.command)(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # every failure ends in one line, never a traceback
        print(f"companion: {_message(exc)}", file=sys.stderr)
        return EXIT_FAILED


def _message(exc: BaseException) -> str:
    # Only the error types of modules this run imported: wording an error must not load
    # the keyring or phonenumbers into a forwarder that never needed them.
    known: list[type[BaseException]] = [UserError]
    for module, name in (
        ("companion.config", "ConfigError"),
        ("companion.credentials", "CredentialError"),
        ("companion.numbers", "NumberError"),
    ):
        if module in sys.modules:
            known.append(getattr(sys.modules[module], name))
    if isinstance(exc, tuple(known)) or type(exc).__module__.startswith("companion.pbx"):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"


def _with_open(arguments: list[str]) -> list[str]:
    """`companion tel:221` (as desktop files and the OS pass a link) is `companion open tel:221`."""
    from companion.entry import is_dial_uri

    for index, argument in enumerate(arguments):
        if argument.startswith("-") or arguments[index - 1 : index] == ["--open"]:
            continue  # an option, or the link that --open (the GUI start) takes
        return (
            [*arguments[:index], "open", *arguments[index:]] if is_dial_uri(argument) else arguments
        )
    return arguments


def _gui(args: argparse.Namespace) -> int:
    _core_before_qt()
    from companion.early_start import EarlyStart

    early = EarlyStart.begin()  # the password is read while Qt loads
    from companion.gui_process import run  # Qt is imported only here, on the GUI path

    return run(demo=args.demo, open_uri=args.open, early=early)


def _core_before_qt() -> None:
    """Import the app's Qt-free core before PySide6 is imported.

    PySide6 checks every module imported after it for its ``__feature__`` switches by
    reading that module's source (``inspect.getsource``, kept in ``linecache``): for
    httpx, keyring, phonenumbers and the rest that cost the start time and memory.
    httpx's async client loads httpcore and anyio's asyncio backend only when it is made
    and sends its first request: here they are loaded ahead of Qt too.
    """
    import anyio._backends._asyncio  # noqa: F401
    import httpcore  # noqa: F401

    import companion.credentials
    import companion.directory
    import companion.handover
    import companion.keyring_help
    import companion.pbx.pascom.client
    import companion.sent_faxes
    import companion.session  # noqa: F401


# -- the demo PBX ---------------------------------------------------------------------


def _enter_demo(kind: str = "pascom") -> None:
    """Start the embedded demo PBX and point this process at it, away from real settings."""
    from companion.demo import start_demo

    start_demo(kind)


if __name__ == "__main__":
    sys.exit(main())
