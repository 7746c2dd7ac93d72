"""Start at login: real files under a scratch XDG_CONFIG_HOME / HOME, parsed back."""

import configparser
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hivemind_desktop.core import autostart

ODD_ARGS = ["--tray", 'say "hi"', "100%", "back\\slash"]


@pytest.fixture
def odd_command(tmp_path) -> list[str]:
    """A real program in a folder with a space and a dollar sign, and awkward arguments."""
    program = tmp_path / "Hive Mind" / "bin" / "hive$mind"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    return [str(program), *ODD_ARGS]


@pytest.fixture
def app_program(tmp_path) -> str:
    program = tmp_path / "bin" / "hivemind-desktop"
    program.parent.mkdir(parents=True, exist_ok=True)
    program.write_text("#!/bin/sh\n")
    return str(program)


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return config / "autostart" / "hivemind-desktop.desktop"


def parse_desktop(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # desktop keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def split_exec(value: str) -> list[str]:
    """Undo the desktop-file string escapes, then the Exec quoting (Desktop Entry spec)."""
    text = value.replace("\\\\", "\x00")  # string-level escape first
    text = text.replace("\x00", "\\")
    args, current, in_quotes, started, i = [], "", False, False, 0
    while i < len(text):
        c = text[i]
        if in_quotes:
            if c == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
                current += text[i + 1]
                i += 1
            elif c == '"':
                in_quotes = False
            else:
                current += c
        elif c == '"':
            in_quotes, started = True, True
        elif c == " ":
            if started:
                args.append(current)
            current, started = "", False
        else:
            current += c
            started = True
        i += 1
    assert not in_quotes, f"unterminated quote in Exec={value!r}"
    if started:
        args.append(current)
    return [a.replace("%%", "%") for a in args]


def test_enable_writes_a_valid_desktop_entry_that_runs_the_command(xdg, odd_command):
    assert not autostart.is_enabled(platform="linux")
    autostart.enable(odd_command, platform="linux")

    assert xdg.is_file()
    entry = parse_desktop(xdg)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "HiveMind Desktop"
    assert entry["TryExec"] == odd_command[0]
    assert split_exec(entry["Exec"]) == odd_command
    assert autostart.is_enabled(platform="linux")

    result = subprocess.run(
        ["desktop-file-validate", str(xdg)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_disable_removes_the_entry_and_is_idempotent(xdg, app_program):
    autostart.enable([app_program], platform="linux")
    assert autostart.is_enabled(platform="linux")
    autostart.disable(platform="linux")
    assert not xdg.exists()
    assert not autostart.is_enabled(platform="linux")
    autostart.disable(platform="linux")  # nothing to remove is fine
    assert not list(xdg.parent.iterdir())  # no temp file left behind


def test_apply_follows_the_start_at_login_setting(xdg):
    autostart.apply(True, ["/usr/bin/hivemind-desktop"], platform="linux")
    assert xdg.is_file()
    autostart.apply(False, platform="linux")
    assert not xdg.exists()


def test_hidden_or_gnome_disabled_entry_counts_as_off(xdg, app_program):
    autostart.enable([app_program], platform="linux")
    text = xdg.read_text()
    xdg.write_text(text + "Hidden=true\n")
    assert not autostart.is_enabled(platform="linux")
    xdg.write_text(
        text.replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false")
    )
    assert not autostart.is_enabled(platform="linux")


def test_relative_xdg_config_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.xdg_autostart_path() == tmp_path / ".config/autostart/hivemind-desktop.desktop"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert autostart.xdg_autostart_path() == tmp_path / ".config/autostart/hivemind-desktop.desktop"


@pytest.mark.parametrize(
    "bad, cause",
    [([], "non-empty"), (["hivemind-desktop"], "absolute"), (["/usr/bin/x", "a\nb"], "line")],
)
def test_bad_command_is_refused_and_writes_nothing(xdg, bad, cause):
    with pytest.raises(ValueError, match=cause):
        autostart.enable(bad, platform="linux")
    assert not xdg.exists()


def test_unwritable_folder_gives_a_clear_error(xdg):
    xdg.parent.parent.mkdir(parents=True)
    xdg.parent.write_text("a file where the autostart folder should be")
    with pytest.raises(autostart.AutostartError, match="cannot write .*writable"):
        autostart.enable(["/usr/bin/hivemind-desktop"], platform="linux")


def test_launch_command_prefers_frozen_binary_then_console_script(monkeypatch, tmp_path):
    command = autostart.launch_command()
    assert Path(command[0]).is_absolute()
    script = shutil.which("hivemind-desktop")
    if script:
        assert command == [str(Path(script).absolute())]
    else:
        assert command[1:] == ["-m", "hivemind_desktop"]

    frozen = tmp_path / "hivemind-desktop"
    frozen.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(frozen))
    assert autostart.launch_command() == [str(frozen.resolve())]


def test_default_login_entry_starts_the_app_minimized(xdg):
    autostart.enable(platform="linux")
    command = split_exec(parse_desktop(xdg)["Exec"])
    assert command == [*autostart.launch_command(), "--minimized"]


def test_launch_agent_plist_is_valid_and_runs_at_login(odd_command):
    agent = plistlib.loads(autostart.launch_agent_plist(odd_command))
    assert agent["Label"] == autostart.LAUNCH_AGENT_LABEL
    assert agent["ProgramArguments"] == odd_command
    assert agent["RunAtLoad"] is True
    assert agent["KeepAlive"] is False
    assert agent["LimitLoadToSessionType"] == "Aqua"


def test_macos_enable_disable_writes_the_launch_agent(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = tmp_path / "Library/LaunchAgents/org.hivemind.desktop.plist"
    exe = str(tmp_path / "Applications/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop")
    Path(exe).parent.mkdir(parents=True)
    Path(exe).write_text("")
    autostart.enable([exe], platform="darwin")
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == [exe]
    assert autostart.is_enabled(platform="darwin")
    path.write_bytes(b"not a plist")
    assert not autostart.is_enabled(platform="darwin")
    autostart.disable(platform="darwin")
    assert not path.exists() and not autostart.is_enabled(platform="darwin")


def test_windows_run_value_quotes_like_the_command_line_parser():
    exe = r"C:\Program Files\HiveMind Desktop\hivemind-desktop.exe"
    assert autostart.run_key_value([exe]) == f'"{exe}"'
    assert autostart.run_key_value([exe, "--tray", "a b"]) == f'"{exe}" --tray "a b"'
    with pytest.raises(ValueError, match="double quote"):
        autostart.run_key_value(['C:\\bad"name.exe'])


def test_windows_backend_without_winreg_says_so():
    with pytest.raises(autostart.AutostartError, match="registry is not available"):
        autostart.enable([r"C:\hivemind-desktop.exe"], platform="win32")


# -- what the system will do: Windows (Run key + Task Manager's StartupApproved) ------------

WIN_EXE = r"C:\Program Files\HiveMind Desktop\hivemind-desktop.exe"


@pytest.mark.parametrize(
    "data, on",
    [
        (None, True),  # never switched in Task Manager
        (b"", True),
        (bytes.fromhex("020000000000000000000000"), True),
        (bytes.fromhex("060000000000000000000000"), True),
        (bytes.fromhex("0300000066e3d8a1c35ad901"), False),  # off, with its timestamp
        (bytes.fromhex("0700000066e3d8a1c35ad901"), False),
    ],
)
def test_task_managers_startup_switch_is_read_from_its_first_byte(data, on):
    assert autostart.startup_approved_on(data) is on


def test_the_program_of_a_run_value_is_split_like_windows_does():
    value = autostart.run_key_value([WIN_EXE, "--minimized"])
    assert autostart.run_value_program(value) == WIN_EXE
    assert autostart.run_value_program(r"C:\HiveMind\hivemind-desktop.exe --minimized") == (
        r"C:\HiveMind\hivemind-desktop.exe"
    )
    assert autostart.run_value_program("") == ""


def test_windows_state_follows_the_run_value_and_task_managers_switch(tmp_path):
    exe = tmp_path / "HiveMind Desktop" / "hivemind-desktop.exe"
    exe.parent.mkdir()
    exe.write_bytes(b"MZ")
    value = autostart.run_key_value([str(exe), "--minimized"])
    on = autostart.windows_state(value, None)
    assert (on.enabled, on.entry, on.program) == (True, True, str(exe))

    # The installer wrote it, the volunteer switched it off in Task Manager: off, and why.
    off = autostart.windows_state(value, bytes.fromhex("030000000000000000000000"))
    assert (off.enabled, off.entry, off.reason) == (False, True, "switched-off")
    assert off.detail == "switched off in Task Manager (Startup apps)"

    assert autostart.windows_state(None, None) == autostart.AutostartState(
        False, False, detail="off"
    )
    exe.unlink()  # uninstalled by hand: the value starts nothing
    gone = autostart.windows_state(value, None)
    assert (gone.enabled, gone.reason) == (False, "missing")
    assert gone.detail == f"the start-at-login entry points to {exe}, which no longer exists"


def test_the_console_twin_records_the_windowed_app(tmp_path, monkeypatch):
    folder = tmp_path / "HiveMind Desktop"
    folder.mkdir()
    cli_exe = folder / "hivemind-desktop-cli.exe"
    gui_exe = folder / "hivemind-desktop.exe"
    cli_exe.write_bytes(b"MZ")
    assert autostart.gui_executable(cli_exe) == cli_exe  # no windowed twin: itself
    gui_exe.write_bytes(b"MZ")
    assert autostart.gui_executable(cli_exe) == gui_exe
    assert autostart.gui_executable(gui_exe) == gui_exe

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(cli_exe))
    assert autostart.login_command() == [str(gui_exe.resolve()), "--minimized"]


def test_windows_without_a_registry_reads_as_off():
    found = autostart.state(platform="win32")  # no winreg on this OS
    assert not found.enabled and found.detail == "the Windows registry is not available"


# -- macOS (LaunchAgent + Login Items' switch in launchd) ----------------------------------

PRINT_DISABLED_VENTURA = """disabled services = {
\t"com.apple.ScriptEditor.id.cookie" => enabled
\t"org.hivemind.desktop" => disabled
\t"com.docker.helper" => enabled
}
login item associations = {
}
"""
PRINT_DISABLED_OLD = """disabled services = {
\t"org.hivemind.desktop" => false
\t"com.example.other" => true
}
"""


def test_launchd_disabled_list_is_parsed_in_both_formats():
    assert autostart.parse_launchd_disabled(PRINT_DISABLED_VENTURA) == {
        "com.apple.ScriptEditor.id.cookie": False,
        "org.hivemind.desktop": True,
        "com.docker.helper": False,
    }
    assert autostart.parse_launchd_disabled(PRINT_DISABLED_OLD) == {
        "org.hivemind.desktop": False,
        "com.example.other": True,
    }
    assert autostart.parse_launchd_disabled("") == {}


def test_macos_state_follows_the_agent_and_the_login_items_switch(tmp_path):
    exe = tmp_path / "Applications/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    agent = autostart.launch_agent_plist([str(exe), "--minimized"])
    assert autostart.macos_state(agent, launchd_disabled=False).enabled
    off = autostart.macos_state(agent, launchd_disabled=True)
    assert (off.enabled, off.entry, off.detail) == (
        False, True, "switched off in System Settings (Login Items)",
    )  # fmt: skip
    with_key = plistlib.loads(agent) | {"Disabled": True}
    assert not autostart.macos_state(plistlib.dumps(with_key), launchd_disabled=False).enabled
    assert autostart.macos_state(b"not a plist", False).reason == "missing"
    assert not autostart.macos_state(None, False).entry
    exe.unlink()
    assert autostart.macos_state(agent, False).reason == "missing"


@pytest.mark.parametrize(
    "path, problem",
    [
        ("/Applications/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop", ""),
        (
            "/private/var/folders/xy/T/AppTranslocation/3F2A-11/d/HiveMind Desktop.app/"
            "Contents/MacOS/hivemind-desktop",
            "temporary copy (App Translocation): move HiveMind Desktop to the Applications",
        ),
        (
            "/Volumes/HiveMind Desktop/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop",
            "runs from the disk image or drive /Volumes/HiveMind Desktop: drag HiveMind "
            "Desktop to the Applications folder, eject the disk image",
        ),
    ],
)
def test_an_app_run_from_its_disk_image_or_translocated_is_named(path, problem):
    found = autostart.location_problem(path, "darwin")
    assert (problem in found) if problem else found == ""
    assert autostart.location_problem(path, "linux") == ""  # only macOS moves apps around


def test_macos_refuses_to_record_an_app_on_its_disk_image(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    exe = "/Volumes/HiveMind Desktop/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"
    with pytest.raises(autostart.AutostartError, match="Applications folder"):
        autostart.enable([exe], platform="darwin")
    assert not autostart.launch_agent_path().exists()


def test_repair_rewrites_an_agent_left_pointing_into_an_ejected_disk_image(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    installed = tmp_path / "Applications/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"
    installed.parent.mkdir(parents=True)
    installed.write_bytes(b"")
    dmg = "/Volumes/HiveMind Desktop/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"
    path = autostart.launch_agent_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(autostart.launch_agent_plist([dmg, "--minimized"]))  # an older build
    assert autostart.state(platform="darwin").reason == "missing"

    assert autostart.repair([str(installed), "--minimized"], platform="darwin") == "rewrite"
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == [str(installed), "--minimized"]
    assert autostart.is_enabled(platform="darwin")
    assert autostart.repair([str(installed), "--minimized"], platform="darwin") == "keep"

    # Run from the disk image itself, with a stale agent: nothing that lasts to point to.
    path.write_bytes(autostart.launch_agent_plist([dmg, "--minimized"]))
    assert autostart.repair([dmg, "--minimized"], platform="darwin") == "remove"
    assert not path.exists()
    assert autostart.repair([dmg], platform="darwin") == "keep"  # no entry: nothing to do


# -- Linux (XDG autostart), for real ---------------------------------------------------------


def test_an_entry_the_installer_wrote_counts_though_the_config_says_off(xdg, app_program):
    xdg.parent.mkdir(parents=True)
    # What a package's post-install step writes (not our own enable()).
    xdg.write_text(
        "[Desktop Entry]\nType=Application\nName=HiveMind Desktop\n"
        f"Exec={app_program} --minimized\nTryExec={app_program}\n"
    )
    found = autostart.state(platform="linux")
    assert (found.enabled, found.program) == (True, app_program)
    xdg.write_text(xdg.read_text() + "Hidden=true\n")
    found = autostart.state(platform="linux")
    assert (found.enabled, found.reason) == (False, "switched-off")
    assert found.detail == "switched off in the desktop's startup applications"


def test_repair_rewrites_an_xdg_entry_whose_program_was_deleted(xdg, tmp_path, app_program):
    old = tmp_path / "old" / "hivemind-desktop"
    old.parent.mkdir()
    old.write_text("")
    autostart.enable([str(old), "--minimized"], platform="linux")
    old.unlink()  # the app moved: the entry starts nothing
    assert autostart.state(platform="linux").reason == "missing"
    assert not autostart.is_enabled(platform="linux")
    assert autostart.repair([app_program, "--minimized"], platform="linux") == "rewrite"
    assert split_exec(parse_desktop(xdg)["Exec"]) == [app_program, "--minimized"]
    assert autostart.is_enabled(platform="linux")


def test_repair_plan_keeps_what_works():
    on = autostart.AutostartState(True, True, "/usr/bin/x", "", "on")
    off = autostart.AutostartState(False, True, "/usr/bin/x", "switched-off", "switched off")
    gone = autostart.AutostartState(False, True, "/gone/x", "missing", "gone")
    none = autostart.AutostartState(False, False, detail="off")
    assert autostart.repair_plan(on, "/usr/bin/y", "", "") == "keep"
    assert autostart.repair_plan(off, "/usr/bin/y", "", "") == "keep"  # the volunteer's switch
    assert autostart.repair_plan(none, "/usr/bin/y", "", "") == "keep"
    assert autostart.repair_plan(gone, "/usr/bin/y", "", "") == "rewrite"
    assert autostart.repair_plan(gone, "/Volumes/x", "on a disk image", "") == "remove"
    assert autostart.repair_plan(on, "/Applications/x", "", "on a disk image") == "rewrite"


def test_a_bare_tryexec_is_looked_up_in_path_as_the_spec_says(xdg, tmp_path, monkeypatch):
    bin_dir = tmp_path / "path-bin"
    bin_dir.mkdir()
    program = bin_dir / "hivemind-desktop"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    xdg.parent.mkdir(parents=True)
    xdg.write_text(
        "[Desktop Entry]\nType=Application\nExec=hivemind-desktop\nTryExec=hivemind-desktop\n"
    )
    found = autostart.state(platform="linux")
    assert (found.enabled, found.program) == (True, str(program))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert autostart.state(platform="linux").reason == "missing"  # the desktop skips it too
