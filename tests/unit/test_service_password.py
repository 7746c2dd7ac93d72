"""The service's password: from systemd's credential or a password file, real files with
real modes; a file others may read is refused with the fix, never used."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from hivemind_desktop.core.service_password import (
    CREDENTIAL_NAME,
    DEFAULT_SOURCE,
    PasswordFileError,
    find_service_password,
    read_password_file,
)

SECRET = "s3cret pw with spaces"


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_first_line_is_the_password(tmp_path: Path) -> None:
    path = write(tmp_path / "pw", f"{SECRET}\nanything after the first line\n")
    assert read_password_file(path) == SECRET
    assert read_password_file(write(tmp_path / "crlf", f"{SECRET}\r\n")) == SECRET
    assert read_password_file(write(tmp_path / "bare", SECRET, 0o400)) == SECRET


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o602])
def test_a_file_others_may_read_or_change_is_refused_with_the_fix(
    tmp_path: Path, mode: int
) -> None:
    path = write(tmp_path / "pw", SECRET, mode)
    with pytest.raises(PasswordFileError) as caught:
        read_password_file(path)
    message = str(caught.value)
    assert f"mode {mode:04o}" in message
    assert f"chmod 600 {path}" in message
    assert SECRET not in message
    assert path.read_text() == SECRET and (path.stat().st_mode & 0o777) == mode  # unchanged


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: write(p, ""), "is empty"),
        (lambda p: write(p, "\nsecond line\n"), "is empty"),
        (lambda p: write(p, "x" * 5000), "over 4096 bytes"),
        (lambda p: p, "does not exist"),
        (lambda p: (p.mkdir(mode=0o700), p)[1], "not a plain file"),
    ],
)
def test_unusable_files_are_named_with_the_reason(tmp_path: Path, make, expected: str) -> None:
    path = tmp_path / "pw"
    make(path)
    with pytest.raises(PasswordFileError, match=expected) as caught:
        read_password_file(path)
    assert str(path) in str(caught.value)


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pw"
    path.write_bytes(b"\xff\xfe\x00bad")
    os.chmod(path, 0o600)
    with pytest.raises(PasswordFileError, match="not UTF-8"):
        read_password_file(path)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a second user: runs as root in CI")
def test_a_file_this_user_cannot_read_says_so(tmp_path: Path) -> None:
    """A real second identity: a forked child that became nobody opens root's 0600 file
    (the interpreter may live where nobody cannot run it, so no exec)."""
    path = write(tmp_path / "pw", SECRET)
    os.chmod(tmp_path, 0o755)
    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become nobody, report the outcome, never return to pytest
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                read_password_file(path)
                answer = "read it"
            except PasswordFileError as exc:
                answer = str(exc)
            os.write(write_end, answer.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    assert "cannot be read by this user" in answer, answer
    assert f"uid {nobody.pw_uid}" in answer and "LoadCredential=" in answer


def test_systemd_credential_comes_first(tmp_path: Path) -> None:
    creds = tmp_path / "credentials"
    creds.mkdir(mode=0o500)
    write(creds / CREDENTIAL_NAME, SECRET, 0o400)
    other = write(tmp_path / "other", "from the password_file")
    found = find_service_password(str(other), env={"CREDENTIALS_DIRECTORY": str(creds)})
    assert found is not None
    assert found.password == SECRET
    assert found.source == f"systemd credential {creds / CREDENTIAL_NAME}"
    assert SECRET not in repr(found.source)


def test_password_file_setting_when_no_credential(tmp_path: Path) -> None:
    path = write(tmp_path / "pw", SECRET)
    found = find_service_password(str(path), env={})
    assert found is not None and found.password == SECRET
    assert found.source == f"password file {path}"
    assert find_service_password("", env={}) is None  # nothing named: the keyring's turn


def test_credentials_directory_without_ours_is_an_error_naming_the_file(tmp_path: Path) -> None:
    creds = tmp_path / "credentials"
    creds.mkdir()
    with pytest.raises(PasswordFileError) as caught:
        find_service_password("", env={"CREDENTIALS_DIRECTORY": str(creds)})
    assert f"no credential {CREDENTIAL_NAME}" in str(caught.value)
    assert DEFAULT_SOURCE in str(caught.value)


def test_a_bad_credential_names_the_file_the_admin_edits(tmp_path: Path) -> None:
    creds = tmp_path / "credentials"
    creds.mkdir()
    write(creds / CREDENTIAL_NAME, "", 0o400)
    with pytest.raises(PasswordFileError) as caught:
        find_service_password("", env={"CREDENTIALS_DIRECTORY": str(creds)})
    assert "is empty" in str(caught.value) and DEFAULT_SOURCE in str(caught.value)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a second user: runs as root in CI")
def test_a_credential_folder_this_user_may_not_enter_is_a_clear_error(tmp_path: Path) -> None:
    """Seen under a real systemd whose credential folder stayed root's 0700: the worker
    must say so in one line, not die with a traceback."""
    creds = tmp_path / "credentials"
    creds.mkdir(mode=0o700)
    write(creds / CREDENTIAL_NAME, SECRET, 0o400)
    os.chmod(tmp_path, 0o755)
    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                find_service_password("", env={"CREDENTIALS_DIRECTORY": str(creds)})
                answer = "no error"
            except PasswordFileError as exc:
                answer = str(exc)
            except Exception as exc:  # the bug: a traceback-worthy exception
                answer = f"unexpected {type(exc).__name__}"
            os.write(write_end, answer.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    assert answer.startswith(f"systemd's credential folder {creds} cannot be read"), answer
    assert "Permission denied" in answer and "LoadCredential=" in answer


def test_a_loose_source_behind_systemds_tidy_copy_is_refused_too(tmp_path: Path) -> None:
    """systemd's copy is always 0400: the source file the unit loads is looked at too."""
    creds = tmp_path / "credentials"
    creds.mkdir()
    write(creds / CREDENTIAL_NAME, SECRET, 0o400)
    source = write(tmp_path / "password", SECRET, 0o644)
    env = {"CREDENTIALS_DIRECTORY": str(creds)}
    with pytest.raises(PasswordFileError) as caught:
        find_service_password("", env=env, credential_source=source)
    assert f"chmod 600 {source}" in str(caught.value) and "mode 0644" in str(caught.value)
    os.chmod(source, 0o600)
    found = find_service_password("", env=env, credential_source=source)
    assert found is not None and found.password == SECRET
    found = find_service_password("", env=env, credential_source=tmp_path / "elsewhere")
    assert found is not None  # the unit loads another file: nothing to look at
