"""The tray icon's call states: ringing, in a call, unseen missed calls, each visible at
tray sizes and readable next to the voicemail count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from companion.ui.icons import TrayState, state_icon, state_image

TRAY_SIZES = (16, 22, 24, 64)
SMALL_SIZES = (16, 22, 24)  # one badge at a time


def share(image: QImage, area: QRect, looks: str) -> float:
    """The share of the pixels in `area` that are clearly red, green or blue (or white)."""

    def matches(color: QColor) -> bool:
        r, g, b, a = color.red(), color.green(), color.blue(), color.alpha()
        if a < 200:
            return False
        return {
            "red": r > 150 and g < 90 and b < 90,
            "purple": 90 < r < 150 and g < 70 and b > 130,
            "green": g > 120 and r < 90 and b < 100,
            "blue": b > 150 and r < 60 and g < 130,
            "white": r > 220 and g > 220 and b > 220,
        }[looks]

    pixels = [
        image.pixelColor(x, y)
        for x in range(area.left(), area.right() + 1)
        for y in range(area.top(), area.bottom() + 1)
    ]
    return sum(matches(color) for color in pixels) / len(pixels)


def quarter(size: int, corner: str, part: float = 0.5) -> QRect:
    """The `part` of the icon's width and height in `corner` ("upper left", ...)."""
    side = int(size * part)
    x = 0 if "left" in corner else size - side
    y = 0 if "upper" in corner else size - side
    return QRect(x, y, side, side)


def test_call_states_each_look_different(qapp: QApplication) -> None:
    states = [
        TrayState(True),
        TrayState(True, ringing=True),
        TrayState(True, in_call=True),
        TrayState(True, missed_calls=2),
        TrayState(True, missed_calls=3),
        TrayState(True, new_voicemails=2),
    ]
    for size in TRAY_SIZES:
        images = [bytes(state_image(state, size).constBits()) for state in states]
        assert len(set(images)) == len(states), size


@pytest.mark.parametrize("size", TRAY_SIZES)
def test_ringing_is_a_green_badge_lower_left(qapp: QApplication, size: int) -> None:
    corner = quarter(size, "lower left")
    assert share(state_image(TrayState(True), size), corner, "green") == 0
    ringing = state_image(TrayState(True, ringing=True), size)
    assert share(ringing, corner, "green") > 0.3
    assert share(ringing, corner, "white") > 0.05  # the handset on it
    # the rest of the icon is untouched: the upper right corner is the plain mark's
    plain = state_image(TrayState(True), size)
    far = quarter(size, "upper right", 0.3)
    assert ringing.copy(far) == plain.copy(far)


@pytest.mark.parametrize("size", TRAY_SIZES)
def test_in_a_call_is_a_blue_badge_not_the_ringing_one(qapp: QApplication, size: int) -> None:
    corner = quarter(size, "lower left")
    in_call = state_image(TrayState(True, in_call=True), size)
    assert share(in_call, corner, "blue") > 0.25
    assert share(in_call, corner, "green") == 0
    # ringing wins while a second call rings during one
    both = state_image(TrayState(True, ringing=True, in_call=True), size)
    assert share(both, corner, "green") > 0.3


@pytest.mark.parametrize("size", (32, 64))
def test_missed_calls_and_voicemail_counts_show_side_by_side(qapp: QApplication, size: int) -> None:
    plain = state_image(TrayState(True), size)
    both = state_image(TrayState(True, new_voicemails=3, missed_calls=2), size)
    left, right = quarter(size, "upper left"), quarter(size, "upper right")
    assert share(plain, left, "purple") == 0 and share(plain, right, "red") == 0
    # each badge in its own corner, in its own colour (side by side they must not read
    # as one number: "1" "3" is not "13")
    assert share(both, left, "purple") > 0.25 and share(both, left, "red") == 0
    assert share(both, right, "red") > 0.25
    for corner in (left, right):
        assert share(both, corner, "white") > 0.05  # with a count on it
    # the count is drawn, not just a dot: another number looks different in its corner
    other = state_image(TrayState(True, new_voicemails=3, missed_calls=7), size)
    assert both.copy(left) != other.copy(left)
    assert both.copy(right) == other.copy(right)


def test_missed_calls_alone_are_in_the_upper_left(qapp: QApplication) -> None:
    image = state_image(TrayState(True, missed_calls=12), 22)
    assert share(image, quarter(22, "upper left"), "purple") > 0.3
    assert share(image, quarter(22, "upper right", 0.4), "purple") == 0


def test_calls_are_not_shown_while_the_pbx_is_unreachable(qapp: QApplication) -> None:
    for reachable in (False, None):
        stale = TrayState(reachable, ringing=True, in_call=True, missed_calls=3)
        plain = TrayState(reachable)
        assert state_image(stale, 22) == state_image(plain, 22)


def test_state_icon_has_every_tray_size(qapp: QApplication) -> None:
    icon = state_icon(TrayState(True, ringing=True, missed_calls=1))
    assert {size.width() for size in icon.availableSizes()} >= {16, 22, 24}


@pytest.mark.parametrize("size", SMALL_SIZES)
def test_a_small_icon_shows_one_badge_by_priority(qapp: QApplication, size: int) -> None:
    """At 16-24 px two badges cover the mark: only the first of ringing, in a call,
    voicemail, missed calls, redirect is drawn (the tooltip and menu say the rest)."""
    ladder = [
        TrayState(True, True, 3, True, True, 2),  # ringing wins over everything
        TrayState(True, True, 3, False, True, 2),  # in a call
        TrayState(True, True, 3, False, False, 2),  # voicemail
        TrayState(True, True, 0, False, False, 2),  # missed calls
        TrayState(True, True),  # redirect
    ]
    alone = [
        TrayState(True, ringing=True),
        TrayState(True, in_call=True),
        TrayState(True, new_voicemails=3),
        TrayState(True, missed_calls=2),
        TrayState(True, redirect=True),
    ]
    for crowded, single in zip(ladder, alone, strict=True):
        assert state_image(crowded, size) == state_image(single, size), (size, crowded)
    assert len({bytes(state_image(s, size).constBits()) for s in alone}) == len(alone)
    # one badge may be large: the voicemail count covers a good part of its corner
    counted = state_image(TrayState(True, new_voicemails=3), size)
    assert share(counted, quarter(size, "upper right"), "red") > 0.35


def test_more_than_nine_at_16_px_is_one_sign_and_differs_from_nine(qapp: QApplication) -> None:
    nine = state_image(TrayState(True, new_voicemails=9), 16)
    many = state_image(TrayState(True, new_voicemails=12), 16)
    more = state_image(TrayState(True, new_voicemails=40), 16)
    assert nine != many and many == more


def test_32_px_shows_at_most_two_badges(qapp: QApplication) -> None:
    everything = TrayState(True, True, 3, True, True, 2)
    assert state_image(everything, 32) == state_image(
        TrayState(True, ringing=True, new_voicemails=3), 32
    )  # ringing and voicemail: the two first by priority
    assert state_image(everything, 64) != state_image(
        TrayState(True, ringing=True, new_voicemails=3), 64
    )
