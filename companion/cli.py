"""The `companion` command: the GUI by default, subcommands for scripting.

Subcommands print human-readable text (or JSON with --json) and fail with one line on
stderr and a non-zero exit code, never a traceback. Command paths that open no window
import no Qt, and the HTTP stack only once a command needs the PBX, so a dial from a
script or a link costs little more than Python starting.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from companion import __version__
from companion.output import UserError

if TYPE_CHECKING:  # argparse only once the command line is parsed: not on a hand-over
    import argparse
    from collections.abc import Sequence

EXIT_FAILED = 1


def _parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="companion",
        description="Companion for pascom phone systems: dial, presence, redirects, "
        "switches, voicemail and fax from the desktop or a script.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use an embedded demo PBX (throwaway settings, in-memory keyring)",
    )
    parser.add_argument("--open", metavar="URI", help=argparse.SUPPRESS)  # GUI start with a link
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text)

    p = add("login", "check the PBX credentials, then save them (password in the OS keyring)")
    p.add_argument("--url", required=True, help="the PBX address, https://HOST/INSTANCE")
    p.add_argument("--rest-user", default="moby", help="REST user (default: moby)")
    p.add_argument("--user", required=True, help="your pascom login name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.add_argument("--ca-file", default="", help="PEM file of the PBX's own CA")
    add("logout", "remove the REST password from the keyring and the local directory")
    p = add("config", "show or change a setting, e.g. `companion config dialing.region DE`")
    p.add_argument("key", nargs="?")
    p.add_argument("value", nargs="?")

    p = add("dial", "call a number, tel:/callto:/sip: URI or contact number")
    p.add_argument("number", nargs="?")
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
        add(name, text).add_argument("--device", help="act on this device")
    p = add("transfer", "transfer the current call")
    p.add_argument("number")
    p.add_argument("--device", help="act on this device")
    p = add("dtmf", "send touch-tone digits in the current call")
    p.add_argument("digits")
    p.add_argument("--device", help="act on this device")

    p = add("search", "search the phonebook (private and global)")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--remote", action="store_true", help="ask the PBX, not the local directory"
    )
    p = add("directory", "the local directory: status, or sync it from the PBX now")
    p.add_argument("action", nargs="?", choices=["status", "sync"], default="status")
    p = add("presence", "show or set your presence profile")
    p.add_argument("profile", nargs="?", help="profile name (or id) to activate")
    p.add_argument("--list", action="store_true", help="list your profiles")
    p.add_argument("--json", action="store_true")
    p = add("queue", "queue agent: status, login, logout, pause [REASON], unpause")
    p.add_argument("action", nargs="?", choices=["status", "login", "logout", "pause", "unpause"])
    p.add_argument("reason", nargs="?", default="")
    p.add_argument("--json", action="store_true")
    p = add("redirect", "show the redirect of your extension, set a TARGET, or switch it off/on")
    p.add_argument(
        "target", nargs="?", help="a number, an extension or a name from the phonebook (quoted)"
    )
    p.add_argument("--json", action="store_true")
    p = add("switch", "list extension switches, or set one on/off/toggle")
    p.add_argument("name", nargs="?", help="switch name or extension")
    p.add_argument("state", nargs="?", choices=["on", "off", "toggle"])
    p.add_argument("--json", action="store_true")
    p = add("voicemail", "list, save, mark heard or delete voicemail")
    p.add_argument("action", nargs="?", default="list", choices=["list", "save", "heard", "delete"])
    p.add_argument("id", nargs="?")
    p.add_argument("file", nargs="?")
    p.add_argument("--json", action="store_true")
    p = add("fax", "list received or sent faxes, save one as PDF, send a PDF")
    p.add_argument("action", nargs="?", default="list", choices=["list", "sent", "save", "send"])
    p.add_argument("args", nargs="*", help="save: ID FILE, send: PDF NUMBER")
    p.add_argument("--json", action="store_true")
    p = add("history", "your recent calls, newest first")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p = add("calls", "your live calls; --watch prints one line per call event")
    p.add_argument("--watch", action="store_true", help="follow calls until Ctrl+C")
    p.add_argument("--json", action="store_true", help="JSON (with --watch: one object a line)")
    p.add_argument(
        "--interval", type=_interval, default=2.0, help="seconds between looks (1-30)"
    )
    p = add("status", "whether the PBX answers, your user, and what each feature can do now")
    p.add_argument("--json", action="store_true")
    p = add("open", "hand a tel:/callto:/sip:/sips: link to the running app, or start it")
    p.add_argument("uri")
    add("install-url-handler", "make Companion this user's handler for tel:, callto:, sip:, sips:")
    add("uninstall-url-handler", "undo install-url-handler")
    p = add("url-handler-status", "which application opens each phone-link scheme now")
    p.add_argument("--json", action="store_true")
    p = add("simulator", "run the demo PBX (a pascom REST API on loopback)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_port, default=8080, help="0 picks a free port")
    p.add_argument("--data", help="IO-JSON file to provision from (default: the demo data)")
    p.add_argument(
        "--extras",
        help="queues, voicemail, faxes, ... beyond the IO-JSON (default: the demo's, "
        "unless --data is given)",
    )
    p.add_argument("--rest-user", default="moby")
    p.add_argument("--rest-password", default="demo-secret")
    p.add_argument(
        "--variant",
        choices=("default", "reference"),
        default="default",
        help="'reference' answers literally as the pascom reference's examples do",
    )
    p.add_argument(
        "--scripted-calls",
        action="store_true",
        help="a known contact calls mmuster 20 s after the start, then every few minutes",
    )
    return parser


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
    arguments = list(sys.argv[1:] if argv is None else argv)
    code = _hand_over(arguments)
    if code is not None:
        return code
    arguments = _with_open(arguments)
    args = _parser().parse_args(arguments)
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
            _enter_demo()
        if args.command is None:
            return _gui(args)
        from companion.commands import COMMANDS

        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # every failure ends in one line, never a traceback
        print(f"companion: {_message(exc)}", file=sys.stderr)
        return EXIT_FAILED


def _hand_over(arguments: list[str]) -> int | None:
    """A call action carried out by the running app (before anything else is imported or
    parsed: the app parses it); None when this process must do it itself."""
    from companion import handover

    if not arguments or arguments[0] not in handover.CALL_COMMANDS:
        return None  # --demo (an option first) is never handed over
    try:
        return handover.hand_over(arguments)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
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
    from companion.desktop.commands import is_dial_uri

    for index, argument in enumerate(arguments):
        if argument.startswith("-") or arguments[index - 1 : index] == ["--open"]:
            continue  # an option, or the link that --open (the GUI start) takes
        return (
            [*arguments[:index], "open", *arguments[index:]] if is_dial_uri(argument) else arguments
        )
    return arguments


def _gui(args: argparse.Namespace) -> int:
    from companion.app import run  # Qt is imported only here, on the GUI path

    return run(demo=args.demo, open_uri=args.open)


# -- the demo PBX ---------------------------------------------------------------------


def _enter_demo() -> None:
    """Start the embedded demo PBX and point this process at it, away from real settings."""
    from companion.demo import start_demo

    start_demo()


if __name__ == "__main__":
    sys.exit(main())
