"""Start at login: real files under a scratch XDG_CONFIG_HOME / HOME, parsed back."""

import configparser
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hivemind_desktop.core import autostart

ODD_COMMAND = ["/opt/Hive Mind/bin/hive$mind", "--tray", 'say "hi"', "100%", "back\\slash"]


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


def test_enable_writes_a_valid_desktop_entry_that_runs_the_command(xdg):
    assert not autostart.is_enabled(platform="linux")
    autostart.enable(ODD_COMMAND, platform="linux")

    assert xdg.is_file()
    entry = parse_desktop(xdg)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "HiveMind Desktop"
    assert entry["TryExec"] == ODD_COMMAND[0]
    assert split_exec(entry["Exec"]) == ODD_COMMAND
    assert autostart.is_enabled(platform="linux")

    result = subprocess.run(
        ["desktop-file-validate", str(xdg)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_disable_removes_the_entry_and_is_idempotent(xdg):
    autostart.enable(["/usr/bin/hivemind-desktop"], platform="linux")
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


def test_hidden_or_gnome_disabled_entry_counts_as_off(xdg):
    autostart.enable(["/usr/bin/hivemind-desktop"], platform="linux")
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


def test_launch_agent_plist_is_valid_and_runs_at_login():
    agent = plistlib.loads(autostart.launch_agent_plist(ODD_COMMAND))
    assert agent["Label"] == autostart.LAUNCH_AGENT_LABEL
    assert agent["ProgramArguments"] == ODD_COMMAND
    assert agent["RunAtLoad"] is True
    assert agent["KeepAlive"] is False
    assert agent["LimitLoadToSessionType"] == "Aqua"


def test_macos_enable_disable_writes_the_launch_agent(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = tmp_path / "Library/LaunchAgents/org.hivemind.desktop.plist"
    exe = "/Applications/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"
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
