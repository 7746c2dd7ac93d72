"""Words for the Computers page: a fleet problem in the volunteer's language, and when a
computer was last seen."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication

from hivemind_desktop.core.fleet import client
from hivemind_desktop.core.fleet.client import FleetError

ERROR_STYLE = "color: #d93025;"  # reads on light and dark windows alike


def error_text(error: FleetError, last_seen: float | None = None) -> str:
    """One line for the volunteer: what happened and what to do."""
    if error.kind == client.OFFLINE:
        if last_seen is None:
            return QCoreApplication.translate("Computers", "Offline: it has not answered yet")
        return QCoreApplication.translate("Computers", "Offline: last seen %1").replace(
            "%1", seen_text(last_seen)
        )
    words = {
        client.CERT_CHANGED: QCoreApplication.translate(
            "Computers",
            "Its certificate changed (reinstalled, or someone in between): remove it and "
            "pair it again if you trust it",
        ),
        client.WRONG_TOKEN: QCoreApplication.translate(
            "Computers", "It refused this app's token: remove it and pair it again"
        ),
        client.REVOKED: QCoreApplication.translate(
            "Computers", "Its pairing was withdrawn on that computer: pair it again"
        ),
        client.NOT_PERMITTED: QCoreApplication.translate(
            "Computers",
            "Not permitted: on that computer run 'hivemind-desktop pair --control' and pair "
            "again to pause or stop tasks",
        ),
        client.CODE_EXPIRED: QCoreApplication.translate(
            "Computers",
            "The pairing code has expired: run 'hivemind-desktop pair' on that computer again",
        ),
        client.WRONG_CODE: QCoreApplication.translate(
            "Computers",
            "The pairing code is not valid (mistyped or used already): run "
            "'hivemind-desktop pair' on that computer again",
        ),
        client.NO_KEYRING: QCoreApplication.translate(
            "Computers",
            "No keyring can keep this computer's token: start or unlock your desktop's "
            "keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager), "
            "then pair again",
        ),
        client.NO_TOKEN: QCoreApplication.translate(
            "Computers", "Its token is not in the keyring: remove it and pair it again"
        ),
    }
    return words.get(error.kind) or QCoreApplication.translate("Computers", "Problem: %1").replace(
        "%1", str(error)
    )


def seen_text(when: float, now: float | None = None) -> str:
    age = (now or time.time()) - when
    fmt = "%H:%M:%S" if age < 20 * 3600 else "%Y-%m-%d %H:%M"
    return time.strftime(fmt, time.localtime(when))
