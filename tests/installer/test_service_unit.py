"""The Linux system service's unit and the package parts around it, checked without
systemd as PID 1: `systemd-analyze verify` and `security --offline` on the real unit
file, the unit read by the app's own reader (what --service and scripts/start_as_unit
use), the maintainer scripts, and the macOS LaunchDaemon template. Running it for real
(user, sandbox, a task) is scripts/check_installed_package."""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.service_password import CREDENTIAL_NAME, DEFAULT_SOURCE
from hivemind_desktop.core.service_unit import UNIT_NAME, UnitError, parse_unit, read_unit
from tests.kit import REPO

UNIT = REPO / "installer/linux/hivemind-desktop.service"
LINUX = REPO / "installer/linux"


def analyze_root(tmp_path: Path, unit_text: str) -> Path:
    """A root for `systemd-analyze --root`: the system's units, ours, and an executable
    where the package puts the app (the check is about the unit, not the binary)."""
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    (root / "usr/lib/systemd/system" / UNIT_NAME).write_text(unit_text)
    app = root / "usr/bin/hivemind-desktop"
    app.parent.mkdir(parents=True)
    app.write_text("#!/bin/sh\n")
    app.chmod(0o755)
    return root


def analyze(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["systemd-analyze", *args, f"--root={root}", UNIT_NAME],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_systemd_analyze_verify_is_clean(tmp_path: Path) -> None:
    done = analyze(analyze_root(tmp_path, UNIT.read_text()), "verify")
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), done.stderr


def test_verify_would_catch_a_mistake(tmp_path: Path) -> None:
    """The check above can fail: a misspelt directive is reported."""
    text = UNIT.read_text().replace("ProtectClock=yes", "ProtectClck=yes")
    done = analyze(analyze_root(tmp_path, text), "verify")
    assert "Unknown key 'ProtectClck'" in done.stderr


def exposure(root: Path) -> float:
    done = analyze(root, "security", "--offline=true")
    found = re.search(r"exposure level for \S+: ([0-9.]+)", done.stdout)
    assert found, done.stdout + done.stderr
    return float(found.group(1))


def test_hardening_lowers_the_exposure_systemd_measures(tmp_path: Path) -> None:
    hardened = exposure(analyze_root(tmp_path / "a", UNIT.read_text()))
    keys = r"(NoNewPrivileges|CapabilityBoundingSet|AmbientCapabilities|Protect\w+|Private\w+|"
    keys += r"Restrict\w+|LockPersonality|SystemCallArchitectures|UMask)="
    bare = re.sub(rf"^{keys}.*\n", "", UNIT.read_text(), flags=re.M)
    baseline = exposure(analyze_root(tmp_path / "b", bare))
    print(f"systemd-analyze security: {hardened} hardened, {baseline} without (ratio "
          f"{hardened / baseline:.2f})")  # fmt: skip
    assert hardened < baseline
    assert hardened <= 4.0  # systemd's "OK" band and better


def test_the_unit_says_what_the_app_expects() -> None:
    unit = read_unit(UNIT)
    assert unit.exec_start == ("/usr/bin/hivemind-desktop", "--headless")
    assert unit.exec_start_pre == (("-+", ("/usr/bin/hivemind-desktop", "prepare-service")),)
    assert (unit.user, unit.group) == ("hivemind", "hivemind")
    env = unit.environment
    # The folders the worker is told about are the ones systemd makes and lets it write.
    assert unit.state_paths == (Path(env["HIVEMIND_DATA_DIR"]),)
    assert unit.logs_paths == (Path(env["HIVEMIND_LOG_DIR"]),)
    assert unit.working_directory == env["HIVEMIND_DATA_DIR"]
    assert unit.state_directory_mode == unit.logs_directory_mode == 0o700
    assert unit.umask == 0o077
    # /var/lib/hivemind-desktop itself stays root's (task-area images live there).
    assert unit.state_directories == ("hivemind-desktop/worker",)
    assert env["HIVEMIND_CONFIG_FILE"] == "/etc/hivemind-desktop/config.toml"
    assert unit.credentials == {CREDENTIAL_NAME: Path(DEFAULT_SOURCE)}
    assert unit.environment_files == ((Path("/etc/default/hivemind-desktop"), True),)
    # Every variable is one the app reads, and none is a password.
    known = {s.env for s in settings_mod.SPECS.values() if s.env} | {"HIVEMIND_CONFIG_FILE"}
    assert set(env) - {"PYTHONUNBUFFERED"} <= known
    assert "HIVEMIND_PASSWORD" not in UNIT.read_text()
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
        "RestartPreventExitStatus": "2",
    }.items():
        assert unit.directives[key] == (value,), key
    assert "[Install]\nWantedBy=multi-user.target" in UNIT.read_text()
    # Documentation= names a file the package installs.
    doc = re.search(r"^Documentation=file://(\S+)$", UNIT.read_text(), flags=re.M)
    assert doc and doc.group(1) == "/usr/share/doc/hivemind-desktop/service.md"
    build = (REPO / "scripts/build_linux_package").read_text()
    assert 'docs/service.md "$STAGE/usr/share/doc/hivemind-desktop/service.md"' in build


def test_the_environment_it_gives_the_worker() -> None:
    unit = read_unit(UNIT)
    env = unit.service_environment(home="/var/lib/hivemind-desktop/worker")
    assert env["CREDENTIALS_DIRECTORY"] == "/run/credentials/hivemind-desktop.service"
    assert env["STATE_DIRECTORY"] == "/var/lib/hivemind-desktop/worker"
    assert env["LOGS_DIRECTORY"] == "/var/log/hivemind-desktop"
    assert env["USER"] == "hivemind" and env["HOME"] == "/var/lib/hivemind-desktop/worker"


def test_the_reader_follows_systemd_rules(tmp_path: Path) -> None:
    defaults = tmp_path / "defaults"
    defaults.write_text('# comment\nDOCKER_HOST="unix:///run/x.sock"\n\nNODE_PORT=6000\n')
    text = f"""[Unit]
Description=x %n is fine outside [Service]
[Service]
ExecStart=/usr/bin/app \\
  --headless
Environment="A=one two" B=2
Environment=B=3
LoadCredential=old:/etc/old
LoadCredential=
LoadCredential=pw:/etc/pw
EnvironmentFile=-{tmp_path}/missing
EnvironmentFile={defaults}
StateDirectory=a/b c
"""
    unit = parse_unit(text)
    assert unit.exec_start == ("/usr/bin/app", "--headless")
    assert dict(unit.environment) == {"A": "one two", "B": "3"}
    assert dict(unit.credentials) == {"pw": Path("/etc/pw")}  # the empty one reset the list
    assert unit.state_directories == ("a/b", "c")
    env = unit.service_environment(home="/h")
    assert env["DOCKER_HOST"] == "unix:///run/x.sock" and env["NODE_PORT"] == "6000"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Environment=HOME=%h", "specifiers"),
        ("StateDirectory=/var/lib/x", "relative to its root"),
        ("LoadCredential=pw", "ID:/ABSOLUTE/PATH"),
        ("ExecStart=/bin/other", "expected one ExecStart="),
        ("UMask=rw", "not an octal mode"),
        ("ExecStartPre=!/bin/x", "prefixes other than"),
    ],
)
def test_what_the_reader_does_not_understand_is_refused(line: str, expected: str) -> None:
    text = UNIT.read_text().replace("\n[Install]", f"\n{line}\n[Install]", 1)
    with pytest.raises(UnitError, match=expected):
        parse_unit(text)


def test_maintainer_scripts_parse_and_do_their_jobs() -> None:
    for name in ("postinst", "prerm", "postrm"):
        path = LINUX / name
        subprocess.run(["sh", "-n", str(path)], check=True)
        assert os.access(path, os.X_OK), f"{name} must be executable"
    postinst = (LINUX / "postinst").read_text()
    assert "adduser --system --group" in postinst and "--shell /usr/sbin/nologin" in postinst
    assert "deb-systemd-helper update-state" in postinst  # recorded, never enabled
    assert "enable" not in re.sub(r"#.*", "", postinst).replace("was-enabled", "")
    assert 'deb-systemd-invoke start "$SERVICE"' in postinst  # after an upgrade, if enabled
    assert "deb-systemd-invoke stop hivemind-desktop.service" in (LINUX / "prerm").read_text()
    postrm = (LINUX / "postrm").read_text()
    for what in ("deluser", "/var/lib/hivemind-desktop/worker", "/var/log/hivemind-desktop"):
        assert what in postrm
    config = (LINUX / "config.toml").read_text()
    settings_mod.load(env={}, config_file=LINUX / "config.toml")  # valid, all defaults
    assert "password =" not in config


def test_the_config_template_names_real_settings() -> None:
    names = re.findall(r"^#(\w+) = ", (LINUX / "config.toml").read_text(), flags=re.M)
    assert names and set(names) <= set(settings_mod.SPECS)


def test_launch_daemon_template_runs_headless_without_a_password_in_it() -> None:
    plist = plistlib.loads((REPO / "installer/macos/org.hivemind.worker.plist").read_bytes())
    assert plist["Label"] == "org.hivemind.worker"
    assert plist["ProgramArguments"][1:] == ["--headless"]
    assert plist["UserName"] not in ("root", "") and plist["RunAtLoad"] is True
    env = plist["EnvironmentVariables"]
    known = {s.env for s in settings_mod.SPECS.values() if s.env}
    assert set(env) - {"DOCKER_HOST"} <= known | {"HIVEMIND_CONFIG_FILE"}
    assert "HIVEMIND_PASSWORD" not in env and env["HIVEMIND_PASSWORD_FILE"].endswith("/password")
    assert plist["Umask"] == 0o077


def test_start_as_unit_reproduces_every_directive_it_meets() -> None:
    """scripts/start_as_unit (the package check's systemd stand-in) accepts the real unit
    and builds the sandbox its directives ask for; a value it would not honour stops it."""
    import runpy

    script = runpy.run_path(str(REPO / "scripts/start_as_unit"), run_name="start_as_unit")
    unit = read_unit(UNIT)
    script["check_supported"](unit)  # raises SystemExit on anything not reproduced
    shell = script["sandbox_script"](unit, list(unit.state_paths), ["setpriv", "app"])
    assert "mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp" in shell  # PrivateTmp
    assert "mount --bind /var/lib/hivemind-desktop/worker /var/lib/hivemind-desktop/worker" in shell
    assert "mount -o remount,bind,ro /" in shell  # ProtectSystem=strict
    assert shell.splitlines()[-2:] == ["cd /var/lib/hivemind-desktop/worker", "exec setpriv app"]
    loose = parse_unit(UNIT.read_text().replace("ProtectSystem=strict", "ProtectSystem=full"))
    with pytest.raises(SystemExit):
        script["check_supported"](loose)


def test_the_service_checks_are_executable_scripts() -> None:
    """scripts/check_installed_package (no systemd) and check_service_systemd (systemd as
    PID 1 in a container) run in .ci/run after the tests; here they must at least parse."""
    for name in ("check_installed_package", "check_service_systemd", "start_as_unit"):
        path = REPO / "scripts" / name
        assert os.access(path, os.X_OK), f"{name} must be executable"
    for name in ("check_installed_package", "check_service_systemd"):
        subprocess.run(["bash", "-n", str(REPO / "scripts" / name)], check=True)
    ci = (REPO / ".ci/run").read_text()
    assert "scripts/check_service_systemd --deb" in ci
