"""Lint of the installer sources that cannot be built here (Windows, macOS) and of the
Linux package parts: plist validity, tray-only app, desktop entry, the Inno Setup
script's required behaviour, shell syntax, and that each agrees with core/autostart."""

import configparser
import plistlib
import re
import subprocess

from hivemind_desktop.core import autostart
from tests.kit import REPO

INSTALLER = REPO / "installer"
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
    # Optional start at login: a task writing the same HKCU Run value the app writes.
    assert re.search(r'^Name: "autostart"', sections["Tasks"], flags=re.M)
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


def test_ci_workflow_builds_the_three_installers():
    text = read(".github/workflows/installers.yml")
    assert "\t" not in text
    import yaml

    workflow = yaml.safe_load(text)  # valid YAML, three jobs each with runnable steps
    assert set(workflow["jobs"]) == {"linux", "windows", "macos"}
    for job in workflow["jobs"].values():
        assert job["steps"] and all("run" in step or "uses" in step for step in job["steps"])
    for runner in ("ubuntu-latest", "windows-latest", "macos-latest"):
        assert f"runs-on: {runner}" in text
    for step in ("scripts/build_linux_package", "ISCC.exe", "make_dmg.sh", "build.spec"):
        assert step in text
    assert text.count("actions/upload-artifact@v4") == 3


def test_the_package_depends_on_a_cjk_font_and_dpkg_accepts_the_control(tmp_path):
    """Traditional Chinese needs a CJK font: the app bundles none (Qt uses the system's
    through fontconfig), so the .deb depends on one. dpkg-deb builds a package from the
    control as build_linux_package renders it, so the field is valid as written."""
    import shutil
    import subprocess

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
