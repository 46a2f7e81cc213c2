"""Numbers as the innovaphone PBX writes them, to the forms the faces show, and back.

An innovaphone PBX writes an outside number with the prefixes of the user's node: with
`prefixIntl` "000" and `prefixNtl` "00", `0004930123456` and `0030123456` are both
+4930123456. `UserInitializeResult` gives those prefixes; `GetNormalizedNumber` of the
user's own object gives the node's own number ("+4989123" before the extension), read once
per connection. A number in the node's own range is shown as the extension it reaches, so
that a colleague's call matches them however the PBX wrote it; docs/pbx-assumptions.md,
"innovaphone number display".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_EXTENSION = 6  # digits: longer is not an extension of the node (as companion.numbers)


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class NumberPlan:
    """The user's node's prefixes; an empty plan shows every number as it is."""

    international: str = ""  # prefixIntl: what the PBX writes before a country code
    national: str = ""  # prefixNtl: what it writes before an area code
    country: str = ""  # the node's country code, without "+"
    node: str = ""  # the node's own number in E.164 ("+4989123"): extensions follow it

    @classmethod
    def read(
        cls, prefixes: dict[str, Any], extension: str = "", normalized: str = ""
    ) -> NumberPlan:
        """From UserInitializeResult's prefixes and the user's GetNormalizedNumber, which
        a PBX may give as +E.164 or with its own prefixes (both are read)."""
        plan = cls(_text(prefixes, "prefixIntl"), _text(prefixes, "prefixNtl"),
                   _text(prefixes, "country").lstrip("+"))  # fmt: skip
        full = plan.international_form(normalized.replace(" ", ""))
        if extension and full.startswith("+") and full.endswith(extension):
            node = full[: -len(extension)]
            if len(node) > 1:
                return cls(plan.international, plan.national, plan.country, node)
        return plan

    def international_form(self, number: str) -> str:
        """`number` in +E.164 where the node's prefixes say what it is; else as it is."""
        digits = number.strip()
        if not digits or digits.startswith("+") or not digits.isdigit():
            return digits
        # the longer prefix first: "000" (international) also starts with "00" (national)
        for prefix, country in sorted(
            ((self.international, ""), (self.national, self.country)),
            key=lambda p: -len(p[0]),
        ):
            if prefix and digits.startswith(prefix) and len(digits) > len(prefix) + 2:
                if prefix == self.national and not country:
                    continue  # a national number without the node's country: leave it
                return f"+{country}{digits[len(prefix) :]}"
        return digits

    def shown(self, number: str) -> str:
        """What the faces show: +E.164 for an outside number, the extension for one of
        the node's own numbers, anything else (an extension, a name) as it is."""
        full = self.international_form(number)
        if self.node and full.startswith(self.node):
            rest = full[len(self.node) :]
            if rest.isdigit() and not rest.startswith("0") and len(rest) <= MAX_EXTENSION:
                return rest
        return full

    def dialled(self, number: str) -> str:
        """A +E.164 number as the PBX dials it from the user's node (the reverse)."""
        digits = number.replace(" ", "")
        if not digits.startswith("+") or not self.international:
            return digits
        if self.node and digits.startswith(self.node):
            rest = digits[len(self.node) :]
            if rest.isdigit() and not rest.startswith("0") and len(rest) <= MAX_EXTENSION:
                return rest
        if self.country and self.national and digits.startswith(f"+{self.country}"):
            return self.national + digits[1 + len(self.country) :]
        return self.international + digits[1:]
