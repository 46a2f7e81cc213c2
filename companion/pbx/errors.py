"""The errors a PBX backend raises: one class per thing a user must be told differently.

Every error carries `message`, a sentence the user can act on. Backends map their
transport and status failures onto these classes; the UI and the CLI show `str(err)`.
"""

from __future__ import annotations


class PbxError(Exception):
    """Base class. `str(err)` is the user-facing message."""

    default_message = "The PBX did not do what was asked."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class AuthenticationError(PbxError):
    default_message = (
        "The PBX refused the REST user name or password. "
        "Copy them again from the PBX web UI (Information > Developer > Show REST credentials)."
    )


class PermissionDenied(PbxError):
    default_message = "The PBX does not allow this for your user."


class NotFound(PbxError):
    default_message = "The PBX does not know what was asked for."


class BadRequest(PbxError):
    default_message = "The PBX rejected the request as invalid."


class ConflictError(PbxError):
    default_message = "The PBX cannot do this in the current state."


class NoDefaultDevice(ConflictError):
    default_message = (
        "You are not logged in to the pascom client, so the PBX has no default device "
        "to dial from. Log in to the pascom client and choose a device for outgoing calls."
    )


class NoExtension(PbxError):
    default_message = (
        "Your user has no extension on this PBX, so there is no call redirect to show or "
        "set. Ask your PBX administrator to give your user an extension."
    )


class PbxUnreachable(PbxError):
    default_message = "The PBX cannot be reached. Check the PBX address and your network."


class PbxTimeout(PbxError):
    default_message = "The PBX did not answer in time. Try again in a moment."


class CertificateError(PbxError):
    default_message = (
        "The PBX's TLS certificate is not trusted. If your PBX uses its own certificate, "
        "set its CA file: companion config pbx.ca_file /path/to/ca.pem"
    )


class UnexpectedResponse(PbxError):
    default_message = "The PBX sent an answer Companion does not understand."


class NotSupported(PbxError):
    default_message = "This PBX does not offer this feature."


class ActionUnconfirmed(PbxTimeout):
    """An action whose request was sent but whose answer never came: it may have been done."""

    default_message = (
        "The PBX did not answer in time; it may have done what was asked. "
        "Check before you try again."
    )


class AnswerTooLarge(UnexpectedResponse):
    default_message = "The PBX sent more than Companion accepts."
