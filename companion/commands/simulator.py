"""`companion simulator`: the demo PBX (pascom or innovaphone) in the foreground."""

from __future__ import annotations

import argparse

from companion.output import UserError


def simulator(args: argparse.Namespace) -> int:
    if args.kind == "innovaphone":
        return _innovaphone_simulator(args)
    from companion.simulator import IoJsonError, serve

    try:
        serve(
            host=args.host,
            port=args.port,
            data=args.data,
            extras=args.extras,
            instance="demo",
            rest_user=args.rest_user,
            rest_password=args.rest_password,
            ssl_certfile=None,
            ssl_keyfile=None,
            variant=args.variant,
            scripted_calls=args.scripted_calls,
        )
    except IoJsonError as exc:  # the file and the place, in words
        raise UserError(str(exc)) from None
    except OSError as exc:  # bind: a host that does not resolve, a port in use or not allowed
        raise UserError(
            f"the demo PBX cannot listen on {args.host} port {args.port}: {exc.strerror or exc}"
        ) from None
    return 0


def _innovaphone_simulator(args: argparse.Namespace) -> int:
    from companion.simulator.innovaphone import DemoFileError, serve_forever

    try:
        serve_forever(
            host=args.host,
            port=args.port,
            data=args.data,
            variant=args.variant,
            challenge_as_number=args.challenge_as_number,
            scripted_calls=args.scripted_calls,
        )
    except DemoFileError as exc:  # the file and the place, in words
        raise UserError(str(exc)) from None
    except OSError as exc:  # bind: a host that does not resolve, a port in use or not allowed
        raise UserError(
            f"the demo PBX cannot listen on {args.host} port {args.port}: {exc.strerror or exc}"
        ) from None
    return 0
