"""The dialing region: the regions offered, their names, the system's region, and the
settings dialog's region row (shared with the guided first start)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QComboBox, QWidget

from companion import numbers
from companion.ui.settings_form import SettingsForm, select

REGIONS = (
    "DE", "AT", "CH", "LI", "LU", "BE", "NL", "FR", "IT", "ES", "PT", "GB", "IE", "DK",
    "SE", "NO", "FI", "PL", "CZ", "SK", "HU", "SI", "HR", "US", "CA",
)  # fmt: skip


def _tr(text: str) -> str:
    return QCoreApplication.translate("SettingsDialog", text)  # the dialog's, as before


def system_region() -> str | None:
    """The region used when none is set: the environment's locale, else QLocale's."""
    found = numbers.default_region(None)
    if found:
        return found
    code = QLocale.territoryToCode(QLocale.system().territory())
    return numbers.default_region(code) if code else None


def region_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    name = QLocale.territoryToString(territory) if territory else ""
    return f"{name} ({code})" if name else code


def region_combo(parent: QWidget, form: SettingsForm, region: str) -> QComboBox:
    """The "Dialing region:" row: the system's, a listed region, or a code typed in."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    system = system_region()
    combo.addItem(
        _tr("From the system ({region})").format(region=system)
        if system
        else _tr("From the system"),
        "",
    )
    for code in REGIONS:
        combo.addItem(region_name(code), code)
    select(combo, region, free_text=True)
    form.row(
        _tr("Dialing region:"),
        combo,
        "dialing.region",
        _tr("For numbers typed without a country code, like 089 123456."),
    )
    return combo


def region_text(combo: QComboBox) -> str:
    """The region code chosen or typed ("" for the system's)."""
    text = combo.currentText().strip()
    index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if index >= 0:
        return str(combo.itemData(index))
    if text.endswith(")") and "(" in text:  # "France (FR)" typed by hand
        return text[text.rindex("(") + 1 : -1].strip()
    return text
