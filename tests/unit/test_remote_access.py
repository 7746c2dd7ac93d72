"""Pairing codes, tokens and the pairing link, on real files (no network)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.remote import identity
from hivemind_desktop.core.remote.access import (
    CODE_LIFETIME_S,
    CONTROL,
    MAX_WRONG_CODES,
    READ,
    AccessDenied,
    PairingLink,
    RemoteAccess,
    parse_link,
)


def test_a_code_works_once_and_not_after_it_expires(tmp_path: Path) -> None:
    now = [1000.0]
    access = RemoteAccess(tmp_path, clock=lambda: now[0])
    first = access.issue_code()
    token, client = access.redeem(first.code.lower().replace("-", " "), "laptop")
    assert client.permissions == (READ,) and access.check(token, READ) == client
    with pytest.raises(AccessDenied) as again:
        access.redeem(first.code, "laptop")
    assert again.value.reason == "wrong_code"
    late = access.issue_code((CONTROL,))
    now[0] += CODE_LIFETIME_S
    with pytest.raises(AccessDenied) as expired:
        access.redeem(late.code, "laptop")
    assert (expired.value.status, expired.value.reason) == (410, "code_expired")


def test_guessing_throws_every_pending_code_away(tmp_path: Path) -> None:
    access = RemoteAccess(tmp_path)
    real = access.issue_code()
    for _ in range(MAX_WRONG_CODES):
        with pytest.raises(AccessDenied):
            access.redeem("AAAA-AAAA-AAAA", "guesser")
    with pytest.raises(AccessDenied) as gone:
        access.redeem(real.code, "guesser")
    assert gone.value.reason == "wrong_code"


def test_tokens_are_kept_hashed_and_survive_a_restart(tmp_path: Path) -> None:
    access = RemoteAccess(tmp_path)
    token, _ = access.redeem(access.issue_code((CONTROL,)).code, "desk")
    path = tmp_path / "remote-clients.json"
    assert token not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = RemoteAccess(tmp_path)
    assert again.check(token, CONTROL).name == "desk"
    newer, _ = again.redeem(again.issue_code().code, "desk")  # pairing again: old one revoked
    restarted = RemoteAccess(tmp_path)
    with pytest.raises(AccessDenied) as replay:
        restarted.check(token, READ)
    assert replay.value.reason == "revoked_token"
    with pytest.raises(AccessDenied) as denied:
        restarted.check(newer, CONTROL)  # the new pairing asked for read only
    assert (denied.value.status, denied.value.reason) == (403, "not_permitted")
    with pytest.raises(AccessDenied) as wrong:
        restarted.check("not-a-token", READ)
    assert wrong.value.reason == "wrong_token"


@pytest.mark.parametrize("name", ["", " ", "x" * 65, "tab\there"])
def test_a_bad_computer_name_is_refused_and_keeps_the_code(tmp_path: Path, name: str) -> None:
    access = RemoteAccess(tmp_path)
    code = access.issue_code().code
    with pytest.raises(ValueError, match="printable"):
        access.redeem(code, name)
    assert access.redeem(code, "ok")[0]


def test_an_unknown_permission_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="read or control"):
        RemoteAccess(tmp_path).issue_code(("admin",))


def test_the_link_round_trips_and_damage_is_named() -> None:
    link = PairingLink("10.0.0.2", 5443, "ABCD-EFGH-JKMN", "0123456789abcdef" * 4)
    assert link.text() == "10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef"
    assert parse_link(link.text()) == PairingLink(
        "10.0.0.2", 5443, "ABCD-EFGH-JKMN", "0123456789abcdef"
    )
    assert parse_link(link.file_json()) == link
    v6 = PairingLink("fd00::2", 5443, "ABCD-EFGH-JKMN", "0123456789abcdef")
    assert parse_link(v6.text()) == v6
    for bad, words in [
        ("hello", "looks like"),
        ("host.example:5443/ABCD-EFGH-JKMN/0123456789abcdef", "not an IP address"),
        ("10.0.0.2:5443/ABCD-EFGH/0123456789abcdef", "incomplete"),
        ("10.0.0.2:5443/ABCD-EFGH-JKMN/0123", "damaged"),
        ("10.0.0.2:99999/ABCD-EFGH-JKMN/0123456789abcdef", "between 1 and 65535"),
        ('{"host": 1}', "not a HiveMind pairing file"),
    ]:
        with pytest.raises(ValueError, match=words):
            parse_link(bad)


def test_the_identity_is_made_once_with_an_owner_only_key(tmp_path: Path) -> None:
    first = identity.load_or_create(tmp_path)
    assert stat.S_IMODE(first.key_path.stat().st_mode) == 0o600
    assert identity.load_or_create(tmp_path).fingerprint == first.fingerprint
    assert identity.load_or_create(tmp_path / "other").fingerprint != first.fingerprint
    first.server_context()  # the pair loads as a TLS server's


def test_remote_access_settings(tmp_path: Path) -> None:
    none = tmp_path / "none.toml"
    loaded = settings_mod.load(
        env={"HIVEMIND_REMOTE_API_ADDRESS": "10.0.0.2", "HIVEMIND_REMOTE_API_PORT": "6000"},
        config_file=none,
    )
    assert (loaded.remote_api_address, loaded.remote_api_port) == ("10.0.0.2", 6000)
    assert settings_mod.load(env={}, config_file=none).remote_api_address == ""  # off
    for value in ("0.0.0.0", "::"):
        with pytest.raises(settings_mod.SettingsError, match="not every address"):
            settings_mod.load(env={"HIVEMIND_REMOTE_API_ADDRESS": value}, config_file=none)
    with pytest.raises(settings_mod.SettingsError, match="HIVEMIND_REMOTE_API_PORT"):
        settings_mod.load(env={"HIVEMIND_REMOTE_API_PORT": "0"}, config_file=none)
