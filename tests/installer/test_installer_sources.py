"""Lint of the installer sources that cannot be built here (Windows, macOS) and of the
Linux package parts: plist validity, tray-only app, desktop entry, the Inno Setup
script's required behaviour, shell syntax, and that each agrees with core/autostart."""

import configparser
import os
import plistlib
import re
import stat
import struct
import subprocess
import sys

from hivemind_desktop.core import autostart
from tests.kit import REPO

INSTALLER = REPO / "installer"
APP_MODULE = "hivemind_desktop"
MAC_EXE = "/Applications/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"


def read(rel: str) -> str:
    return (REPO / rel).read_text(encoding="utf-8")


# -- macOS -------------------------------------------------------------------------------------


def test_info_plist_is_valid_and_tray_only():
    info = plistlib.loads((INSTALLER / "macos/Info.plist").read_bytes())
    assert info["LSUIElement"] is True  # no Dock icon: the app lives in the menu bar
    assert info["CFBundlePackageType"] == "APPL"
    assert info["CFBundleExecutable"] == "hivemind-desktop"  # build.spec's EXE name
    assert info["CFBundleIdentifier"] == "org.hivemind.desktop"
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", info["LSMinimumSystemVersion"])
    # The pinned PySide6 (Qt 6.7+) runs on macOS 12 and later: an older minimum would let
    # macOS 11 start an app that crashes on launch.
    assert tuple(map(int, info["LSMinimumSystemVersion"].split("."))) >= (12, 0)


def test_launch_agent_template_matches_what_the_app_writes():
    template = plistlib.loads((INSTALLER / "macos/org.hivemind.desktop.plist").read_bytes())
    assert template == plistlib.loads(
        autostart.launch_agent_plist([MAC_EXE, *autostart.LOGIN_ARGS])
    )
    assert template["Label"] == autostart.LAUNCH_AGENT_LABEL
    assert template["ProgramArguments"][0].startswith("/Applications/HiveMind Desktop.app/")


def test_make_dmg_script_is_valid_shell_and_uses_hdiutil():
    script = INSTALLER / "macos/make_dmg.sh"
    subprocess.run(["sh", "-n", str(script)], check=True)
    text = script.read_text()
    assert "hdiutil create" in text and "/Applications" in text
    assert script.stat().st_mode & 0o111, "make_dmg.sh must be executable"
    assert "--deep" not in text  # signing is sign_app.sh's, inside out
    assert "sign_app.sh" in text
    assert "-$ARCH.dmg" in text  # one image per architecture
    assert "until hdiutil create" in text  # retried on "Resource busy"


def test_signing_scripts_parse_and_notarize_with_notarytool():
    for name in ("sign_app.sh", "notarize.sh"):
        path = INSTALLER / "macos" / name
        subprocess.run(["sh", "-n", str(path)], check=True)
        assert path.stat().st_mode & 0o111, f"{name} must be executable"
    notarize = (INSTALLER / "macos/notarize.sh").read_text()
    assert "xcrun notarytool submit" in notarize and "--wait" in notarize
    assert "xcrun stapler staple" in notarize
    entitlements = plistlib.loads((INSTALLER / "macos/entitlements.plist").read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


def _macho(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack("<IiiIIII", 0xFEEDFACF, 0x01000007, 3, 6, 0, 0, 0) + bytes(64))


def test_sign_app_signs_inside_out_with_the_hardened_runtime(tmp_path):
    """sign_app.sh on a real bundle tree with real Mach-O headers (`file` recognises them);
    only `codesign` itself, which exists on macOS alone, is a recording stand-in."""
    app = tmp_path / "HiveMind Desktop.app"
    contents = app / "Contents"
    _macho(contents / "MacOS/hivemind-desktop")
    _macho(contents / "Frameworks/QtCore.framework/Versions/A/QtCore")
    _macho(contents / "Frameworks/PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui")
    _macho(contents / "Frameworks/lib-dynload/_ssl.cpython-311-darwin.so")
    (contents / "Resources").mkdir()
    (contents / "Resources/base_library.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (contents / "Info.plist").write_bytes(plistlib.dumps({"CFBundleExecutable": "x"}))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "codesign.log"
    fake = bin_dir / "codesign"
    fake.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> "{record}"; echo >> "{record}"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", CODESIGN_IDENTITY="Dev ID")
    subprocess.run(["sh", str(INSTALLER / "macos/sign_app.sh"), str(app)], env=env, check=True)
    calls = [line.rstrip("|").split("|") for line in record.read_text().splitlines()]
    signs = [" ".join(c) for c in calls if c[0] == "--force"]
    targets = [c[-1].removeprefix(str(contents) + "/") for c in calls if c[0] == "--force"]
    assert all("--deep" not in c for c in signs)
    assert all("--options runtime" in c and "--timestamp" in c for c in signs)
    assert all("entitlements.plist" in c and "--sign Dev ID" in c for c in signs)
    assert "Resources/base_library.zip" not in " ".join(targets)  # only Mach-O files
    assert targets[-1] == str(app)  # the bundle last
    frameworks = [t for t in targets if t.endswith(".framework")]
    assert sorted(frameworks) == sorted(
        ["Frameworks/QtCore.framework", "Frameworks/PySide6/Qt/lib/QtGui.framework"]
    )
    for framework in frameworks:  # each framework after the code inside it
        inner = next(t for t in targets if t.startswith(framework + "/"))
        assert targets.index(inner) < targets.index(framework)
    assert "MacOS/hivemind-desktop" in targets
    assert any(c[0] == "--verify" for c in calls)


def test_sign_app_without_identity_leaves_the_build_unsigned(tmp_path):
    app = tmp_path / "X.app"
    app.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CODESIGN_IDENTITY"}
    done = subprocess.run(
        ["sh", str(INSTALLER / "macos/sign_app.sh"), str(app)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "unsigned" in done.stdout


# -- Linux -------------------------------------------------------------------------------------


def test_desktop_file_is_valid_and_launches_the_installed_app():
    path = REPO / "resources/linux/hivemind-desktop.desktop"
    result = subprocess.run(
        ["desktop-file-validate", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "hivemind-desktop"  # /usr/bin/hivemind-desktop from the .deb
    assert entry["Icon"] == autostart.APP_ID  # the hicolor icon name the .deb installs
    assert entry["Terminal"] == "false"


def test_control_template_recommends_docker_and_wireguard():
    control = read("installer/linux/control.in")
    fields = dict(
        line.split(": ", 1) for line in control.splitlines() if line and not line[0].isspace()
    )
    assert fields["Package"] == "hivemind-desktop"
    assert {"@VERSION@", "@ARCH@", "@DEPENDS@", "@INSTALLED_SIZE@"} <= set(
        re.findall(r"@[A-Z_]+@", control)
    )
    assert "docker.io | docker-ce" in fields["Recommends"]
    assert "wireguard-tools" in fields["Recommends"]
    assert fields["Description"].strip()


def test_shell_scripts_parse():
    for rel in (
        "installer/linux/postrm",
        "scripts/build_linux_package",
        "scripts/check_installed_package",
    ):
        path = REPO / rel
        shell = "sh" if path.read_text().startswith("#!/bin/sh") else "bash"
        subprocess.run([shell, "-n", str(path)], check=True)
        assert path.stat().st_mode & 0o111, f"{rel} must be executable"
    assert "rm -rf /opt/hivemind-desktop" in read("installer/linux/postrm")


# -- Windows ---------------------------------------------------------------------------------


def iss_sections(text: str) -> dict[str, str]:
    parts = re.split(r"^\[(\w+)\]\s*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_inno_setup_script_has_the_required_behaviour():
    text = read("installer/windows/hivemind-desktop.iss")
    sections = iss_sections(text)
    assert {"Setup", "Files", "Icons", "Tasks", "Registry", "Run", "UninstallRun", "Code"} <= set(
        sections
    )
    # Start-menu entry for the windowed exe.
    assert "{autoprograms}" in sections["Icons"]
    assert '#define AppExe "hivemind-desktop.exe"' in text
    assert r'#define BundleDir "..\..\dist\hivemind-desktop"' in text
    # Optional start at login: a task writing the same HKCU Run value the app writes, offered
    # in a per-user install only (in an all-users one HKCU is the administrator's).
    autostart_task = re.search(r'^Name: "autostart".*$', sections["Tasks"], flags=re.M)
    assert autostart_task and "Check: not IsAdminInstallMode" in autostart_task.group(0)
    registry = sections["Registry"]
    assert "Tasks: autostart" in registry and "Root: HKCU" in registry
    assert f'#define RunValueName "{autostart.RUN_VALUE_NAME}"' in text
    assert f'#define RunKey "{autostart.RUN_KEY}"' in text
    value = autostart.run_key_value([r"C:\x\hivemind-desktop.exe", *autostart.LOGIN_ARGS])
    assert value == r'"C:\x\hivemind-desktop.exe" --minimized'
    assert 'ValueData: """{app}\\{#AppExe}"" --minimized"' in registry  # the same value
    # The uninstaller stops the app first and removes a Run value the app itself wrote.
    assert "CloseApplications=force" in sections["Setup"]
    assert "taskkill.exe" in sections["UninstallRun"] and "{#AppExe}" in sections["UninstallRun"]
    assert "RegDeleteValue(HKCU" in sections["Code"]
    # ...after asking the app to stop its tasks and quit (before upgrades too), and asking
    # the volunteer before removing their data.
    code = sections["Code"]
    assert "'--quit'" in code and "PrepareToInstall" in code
    assert "'forget --yes'" in code and "MsgBox(" in code and "not UninstallSilent" in code
    # Upgrades drop the old bundle's libraries.
    assert r'Name: "{app}\_internal"' in sections["InstallDelete"]
    # The firewall rule: all-users installs, the worker's port, the VPN's subnet, the app's
    # programs; removed on uninstall.
    firewall = re.search(r'^Name: "firewall".*$', sections["Tasks"], flags=re.M)
    assert firewall and "Check: IsAdminInstallMode" in firewall.group(0)
    rules = [line for line in sections["Run"].splitlines() if "add rule" in line]
    assert len(rules) == 2
    for rule in rules:
        assert "localport={#WorkerPort}" in rule and "remoteip=LocalSubnet" in rule
        assert "dir=in" in rule and 'program=""{app}' in rule and "Tasks: firewall" in rule
    assert '#define WorkerPort "50053"' in text
    assert "delete rule" in sections["UninstallRun"]
    # The finishing page checks for Docker Desktop and WireGuard and links to them.
    code = sections["Code"]
    assert "wpFinished" in code
    assert "DockerDesktopInstalled" in code and "WireGuardInstalled" in code
    assert "https://www.docker.com/products/docker-desktop/" in text
    assert "https://www.wireguard.com/install/" in text


def test_inno_setup_code_blocks_balance():
    """A cheap Pascal structure check: every begin/case/try has its end."""
    code = iss_sections(read("installer/windows/hivemind-desktop.iss"))["Code"]
    code = re.sub(r"\{[^}]*\}|//[^\n]*", "", code)  # comments (and ISPP {#...} names)
    code = re.sub(r"'[^']*'", "''", code)  # strings
    words = re.findall(r"\b(begin|case|try|end)\b", code, flags=re.I)
    opened = sum(1 for w in words if w.lower() != "end")
    assert opened == sum(1 for w in words if w.lower() == "end")
    assert code.count("(") == code.count(")")


# -- build.spec and CI -----------------------------------------------------------------------


def test_build_spec_compiles_and_leaves_out_tests():
    spec = read("build.spec")
    compile(spec, "build.spec", "exec")
    assert "installer/launcher.py" in spec
    for name in ('"tests"', '"pytest"', '"hypothesis"', '"tkinter"'):
        assert name in spec
    for module in ("keyring.backends.SecretService", "keyring.backends.macOS"):
        assert module in spec
    assert "keyring.backends.Windows" in spec and "docker.transport.npipeconn" in spec
    assert 'APP = "hivemind-desktop"' in spec
    compile(read("installer/launcher.py"), "launcher.py", "exec")


def test_ci_workflow_tests_on_every_os_and_builds_the_installers():
    text = read(".github/workflows/installers.yml")
    assert "\t" not in text
    import yaml

    workflow = yaml.safe_load(text)  # valid YAML, jobs each with runnable steps
    jobs = workflow["jobs"]
    assert set(jobs) == {"tests", "linux", "windows", "macos"}
    for job in jobs.values():
        assert job["steps"] and all("run" in step or "uses" in step for step in job["steps"])
    # The tests run on Windows and on macOS for both architectures.
    systems = {entry["os"] for entry in jobs["tests"]["strategy"]["matrix"]["include"]}
    assert systems == {"windows-latest", "macos-14", "macos-15-intel"}
    test_step = " ".join(step.get("run", "") for step in jobs["tests"]["steps"])
    assert "pytest" in test_step and "not docker" in test_step
    # Both Mac architectures get their own image.
    macs = {(m["runner"], m["arch"]) for m in jobs["macos"]["strategy"]["matrix"]["include"]}
    assert macs == {("macos-14", "arm64"), ("macos-15-intel", "x86_64")}
    for step in ("scripts/build_linux_package", "ISCC.exe", "make_dmg.sh", "build.spec",
                 "installer/smoke_start.py", "notarize.sh", "sign.ps1"):  # fmt: skip
        assert step in text, step
    assert re.search(r"choco install innosetup --version=\d+\.\d+\.\d+", text)  # pinned
    assert text.count("actions/upload-artifact@v4") == 3


def test_smoke_start_script_starts_and_quits_the_app(tmp_path):
    """What the workflow runs against each frozen app, run here against the source tree."""
    done = subprocess.run(
        [sys.executable, str(INSTALLER / "smoke_start.py"), sys.executable, "-m", APP_MODULE],
        capture_output=True, text=True, timeout=200, cwd=REPO,
        env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS="disabled:"),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "quit with status 0" in done.stdout


def test_the_package_depends_on_a_cjk_font_and_dpkg_accepts_the_control(tmp_path):
    """Traditional Chinese needs a CJK font: the app bundles none (Qt uses the system's
    through fontconfig), so the .deb depends on one. dpkg-deb builds a package from the
    control as build_linux_package renders it, so the field is valid as written."""
    import shutil

    control = read("installer/linux/control.in")
    rendered = (
        control.replace("@VERSION@", "1.0.0")
        .replace("@ARCH@", "all")
        .replace("@INSTALLED_SIZE@", "1")
        .replace("@DEPENDS@", "libc6 (>= 2.17)")
    )
    fields = dict(
        line.split(": ", 1) for line in rendered.splitlines() if line and not line[0].isspace()
    )
    alternatives = [a.strip() for a in fields["Depends"].split(",")]
    assert "fonts-noto-cjk | fonts-wqy-zenhei | fonts-wqy-microhei" in alternatives
    if shutil.which("dpkg-deb") is None:
        return  # the field's text is checked above; dpkg checks it where it exists
    (tmp_path / "stage" / "DEBIAN").mkdir(parents=True)
    (tmp_path / "stage" / "DEBIAN" / "control").write_text(rendered, encoding="utf-8")
    stage, deb = str(tmp_path / "stage"), str(tmp_path / "p.deb")
    built = subprocess.run(
        ["dpkg-deb", "--root-owner-group", "--build", stage, deb],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    shown = subprocess.run(
        ["dpkg-deb", "--field", str(tmp_path / "p.deb"), "Depends"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "fonts-noto-cjk" in shown
