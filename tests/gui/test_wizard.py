"""The setup wizard, page by page and through every failure branch, on real parts:
a real node pool on loopback, the real Docker engine (and a bogus DOCKER_HOST for
"missing"), the real VPN core (no WireGuard interface exists in this namespace, so the
tunnel is really down) and a real closed port for an unreachable pool."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DBUS_SESSION_BUS_ADDRESS", "disabled:")  # no keyring: the real "missing"

import psutil  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QWizard  # noqa: E402

from hivemind_desktop.core import settings as settings_mod  # noqa: E402
from hivemind_desktop.core import vpn  # noqa: E402
from hivemind_desktop.core.credentials import Credentials  # noqa: E402
from hivemind_desktop.core.settings import Settings  # noqa: E402
from hivemind_desktop.core.vpn.config import valid_key  # noqa: E402
from hivemind_desktop.gui.wizard import (  # noqa: E402
    SetupWizard,
    WizardResult,
    needs_first_run,
    run_first_run_wizard_if_needed,
)
from hivemind_desktop.nodepool import NodePool, UserSpec  # noqa: E402

pytestmark = pytest.mark.gui

USER, PASSWORD = "wizvol", "wizvol-pw"
WAIT_MS = 30_000


def closed_port() -> str:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
def node_pool(tmp_path: Path) -> Iterator[NodePool]:
    pool = NodePool(
        listen="127.0.0.1:0", users=[UserSpec(USER, PASSWORD)], data_dir=tmp_path / "pool"
    ).start()
    yield pool
    pool.stop(grace=0)


@pytest.fixture
def wizard(qtbot, tmp_path: Path) -> Iterator[SetupWizard]:
    settings = Settings(
        language="en", data_dir=str(tmp_path / "data"), log_dir=str(tmp_path / "logs")
    )
    made = SetupWizard(
        settings,
        config_file=tmp_path / "cfg" / "config.toml",
        credentials=Credentials(service=f"HiveMind Desktop wizard test {os.getpid()}"),
    )
    qtbot.addWidget(made)
    made.show()
    yield made
    made.cancel_now()


def next_button(wizard: SetupWizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def go_to(qtbot, wizard: SetupWizard, page_id: int) -> None:
    """Walk with the real Next button, which only works when the page is complete."""
    while wizard.currentId() < page_id:
        assert next_button(wizard).isEnabled(), f"Next is disabled on page {wizard.currentId()}"
        qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)


def sign_in(qtbot, wizard: SetupWizard, address: str, password: str = PASSWORD) -> None:
    page = wizard.sign_in
    page.pool.setText(address)
    page.username.setText(USER)
    page.password.setText(password)
    qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page._busy, timeout=WAIT_MS)


def skip_sign_in(qtbot, wizard: SetupWizard) -> None:
    """Past the sign-in page the honest way for pages that do not test it."""
    sign_in(qtbot, wizard, closed_port())
    wizard.sign_in.later.setChecked(True)


# -- welcome ------------------------------------------------------------------------------


def test_welcome_explains_and_switches_language(qtbot, wizard: SetupWizard) -> None:
    assert wizard.currentId() == SetupWizard.WELCOME
    assert "Docker containers" in wizard.welcome.what.text()
    assert "half of the processor cores" in wizard.welcome.shared.text()
    assert "a quarter of the memory" in wizard.welcome.shared.text()
    assert next_button(wizard).isEnabled()
    combo = wizard.welcome.language
    combo.setCurrentIndex(combo.findData("zh_TW"))
    assert wizard.welcome.title() == "歡迎使用 HiveMind"
    assert wizard.sign_in.sign_in_button.text() == "登入"
    assert next_button(wizard).text() == "下一步 >"
    combo.setCurrentIndex(combo.findData("en"))
    assert wizard.welcome.title() == "Welcome to HiveMind"
    assert next_button(wizard).text() == "Next >"


# -- sign in ------------------------------------------------------------------------------


def test_sign_in_against_a_real_pool_without_keyring(
    qtbot, wizard: SetupWizard, node_pool: NodePool
) -> None:
    go_to(qtbot, wizard, SetupWizard.SIGN_IN)
    page = wizard.sign_in
    assert not next_button(wizard).isEnabled()
    assert not page.sign_in_button.isEnabled()  # nothing typed yet
    sign_in(qtbot, wizard, node_pool.address)
    assert page.signed_in
    assert page.message.text() == f"Signed in as {USER}."
    # No Secret Service on this bus: said plainly, and the volunteer may go on.
    assert not page.remembered
    assert "cannot be remembered" in page.keyring_note.text()
    assert "no keyring service is running" in page.keyring_note.text()
    assert next_button(wizard).isEnabled()
    page.password.setText("changed")  # what was checked is no longer what is typed
    assert not page.signed_in and not next_button(wizard).isEnabled()


def test_wrong_password_blocks_next(qtbot, wizard: SetupWizard, node_pool: NodePool) -> None:
    go_to(qtbot, wizard, SetupWizard.SIGN_IN)
    sign_in(qtbot, wizard, node_pool.address, password="wrong")
    page = wizard.sign_in
    assert not page.signed_in
    assert page.message.text().startswith("Sign-in failed: ")
    assert page.message.kind == "error"
    assert page.later.isHidden()  # a refusal is not "try later"
    assert not next_button(wizard).isEnabled()


def test_unreachable_pool_blocks_next_until_deferred(qtbot, wizard: SetupWizard) -> None:
    go_to(qtbot, wizard, SetupWizard.SIGN_IN)
    address = closed_port()
    sign_in(qtbot, wizard, address)
    page = wizard.sign_in
    assert not page.signed_in and page.unreachable
    assert f"the node pool at {address} does not answer" in page.message.text()
    assert not page.later.isHidden()
    assert not next_button(wizard).isEnabled()
    page.later.setChecked(True)
    assert next_button(wizard).isEnabled()


# -- docker -------------------------------------------------------------------------------


def test_docker_missing_blocks_until_fixed(qtbot, wizard: SetupWizard, monkeypatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    skip_sign_in(qtbot, wizard)
    go_to(qtbot, wizard, SetupWizard.DOCKER)
    page = wizard.docker
    qtbot.waitUntil(lambda: page.result is not None, timeout=WAIT_MS)
    assert not page.available
    assert page.status.text().startswith("Docker is not available: Docker is not running")
    assert "systemctl enable --now docker" in page.guidance.text()
    assert "only ever runs a task inside a Docker container" in page.why.text()
    assert not next_button(wizard).isEnabled()
    assert not page.skip.isHidden()
    # Fixed: the engine is reachable again, and Check again finds it.
    monkeypatch.delenv("DOCKER_HOST")
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.available, timeout=WAIT_MS)
    assert page.status.text().startswith("Docker is running (version ")
    # this engine has gVisor (scripts/enable-gvisor): the page says tasks get it
    assert page.guidance.text().startswith("Tasks run in gVisor, a sandbox with its own kernel")
    assert page.skip.isHidden()
    assert next_button(wizard).isEnabled()


def test_docker_step_recommends_gvisor_where_tasks_would_share_the_kernel(
    qtbot, wizard: SetupWizard
) -> None:
    from hivemind_desktop.core.docker_runner import DockerRunner
    from hivemind_desktop.gui.wizard import checks
    from tests.gui.test_contribution_gui import save_screenshot

    skip_sign_in(qtbot, wizard)
    go_to(qtbot, wizard, SetupWizard.DOCKER)
    page = wizard.docker
    qtbot.waitUntil(lambda: page.result is not None, timeout=WAIT_MS)
    save_screenshot(wizard, "wizard_docker_gvisor.png")
    # An engine whose tasks run in runc (here: the real engine, runc chosen).
    page.result = checks.DockerCheck(DockerRunner("wizard", runtime="runc").status(), "linux", None)
    page._render()
    text = page.guidance.text()
    assert text.startswith("Recommended: also install gVisor")
    assert "about 0.2 s slower" in text and "enable-gvisor</code>" in text
    save_screenshot(wizard, "wizard_docker_runc.png")
    page.result = checks.DockerCheck(page.result.status, "darwin", None)
    page._render()
    assert page.guidance.text() == ""  # gVisor is for Linux engines only


def test_docker_missing_can_be_skipped_with_its_cost(
    qtbot, wizard: SetupWizard, monkeypatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    skip_sign_in(qtbot, wizard)
    go_to(qtbot, wizard, SetupWizard.DOCKER)
    page = wizard.docker
    qtbot.waitUntil(lambda: page.result is not None, timeout=WAIT_MS)
    assert not next_button(wizard).isEnabled()
    assert "no tasks will run on this computer" in page.skip.text()
    page.skip.setChecked(True)
    assert page.skipped and next_button(wizard).isEnabled()


def test_docker_guidance_for_each_platform(wizard: SetupWizard) -> None:
    page = wizard.docker
    assert "Docker Desktop for Windows" in page.guidance_text("win32")
    assert "Docker Desktop for Mac" in page.guidance_text("darwin")
    linux = page.guidance_text("linux")
    assert "sudo systemctl enable --now docker" in linux
    assert all("Check again" in page.guidance_text(p) for p in ("win32", "darwin", "linux"))


# -- wireguard ----------------------------------------------------------------------------

BAD_CONFIGS = {
    "bad key": ("[Interface]\nPrivateKey = not-a-key\nAddress = 10.0.0.2/24\n", 2),
    "bad address": ("[Interface]\nPrivateKey = {priv}\nAddress = 10.0.0.300/24\n", 3),
    "missing peer": ("[Interface]\nPrivateKey = {priv}\nAddress = 10.0.0.2/24\n", None),
}


def valid_config() -> str:
    private, _ = vpn.generate_keypair()
    _, pool_public = vpn.generate_keypair()
    return vpn.new_config_template(private, "10.0.0.2/24", pool_public, "192.0.2.1:51820")


def at_wireguard(qtbot, wizard: SetupWizard, master: str) -> None:
    skip_sign_in(qtbot, wizard)
    wizard.sign_in.pool.setText(master)  # typed after the check: the page must re-check
    sign_in(qtbot, wizard, master)
    if not wizard.sign_in.signed_in:
        wizard.sign_in.later.setChecked(True)
    go_to(qtbot, wizard, SetupWizard.DOCKER)
    qtbot.waitUntil(lambda: wizard.docker.result is not None, timeout=WAIT_MS)
    go_to(qtbot, wizard, SetupWizard.WIREGUARD)
    qtbot.waitUntil(lambda: wizard.wireguard.tunnel is not None, timeout=WAIT_MS)


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_malformed_config_points_at_the_line(qtbot, wizard: SetupWizard, case: str) -> None:
    at_wireguard(qtbot, wizard, closed_port())
    page = wizard.wireguard
    template, line = BAD_CONFIGS[case]
    text = template.replace("{priv}", vpn.generate_keypair()[0])
    with pytest.raises(vpn.VpnConfigError) as expected:
        vpn.parse_config(text)
    page.editor.setPlainText(text)
    assert page.validation.text() == f"This config cannot be used: {expected.value}"
    assert page.validation.kind == "error"
    if line is not None:
        assert f"line {line}" in page.validation.text()
        marked = page.editor.extraSelections()
        assert [s.cursor.blockNumber() + 1 for s in marked] == [line]
    assert not page.save_button.isEnabled()
    assert not next_button(wizard).isEnabled()
    page.skip.setChecked(True)  # explicitly skipped: the volunteer may go on
    assert next_button(wizard).isEnabled()


def test_valid_config_is_saved_owner_only(qtbot, wizard: SetupWizard, tmp_path: Path) -> None:
    at_wireguard(qtbot, wizard, closed_port())
    page = wizard.wireguard
    text = valid_config()
    source = tmp_path / "from-hivemind.conf"
    source.write_text(text)
    assert page.import_file(source)
    assert page.validation.text().startswith("The config is valid: tunnel address 10.0.0.2")
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "cfg" / vpn.DEFAULT_CONFIG_NAME
    qtbot.waitUntil(lambda: page.saved_path == saved, timeout=WAIT_MS)  # saved off the GUI thread
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert vpn.parse_config(saved.read_text()).public_key == vpn.parse_config(text).public_key
    assert str(saved) in page.saved_message.text()
    plan = vpn.tunnel_up_plan(saved)
    assert plan.summary in page.plan_message.text()
    page.editor.appendPlainText("# edited")  # unsaved edits: the saved file is stale
    assert page.saved_path is None


def test_unreadable_file_is_refused(qtbot, wizard: SetupWizard, tmp_path: Path) -> None:
    page = wizard.wireguard
    assert not page.import_file(tmp_path / "missing.conf")
    assert "Cannot read" in page.validation.text() and page.validation.kind == "error"
    assert page.editor.toPlainText() == ""


def test_generated_key_pair_makes_a_config(qtbot, wizard: SetupWizard) -> None:
    page = wizard.wireguard
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    public = page.public_key.text()
    assert valid_key(public) == public
    page.address.setText("10.0.0.7/24")
    page.pool_key.setText(vpn.generate_keypair()[1])
    page.endpoint.setText("pool.example.org:51820")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    config = vpn.parse_config(page.editor.toPlainText())
    assert config.public_key == public  # the private key behind it stayed here
    assert config.tunnel_address == "10.0.0.7"
    page.pool_key.setText("nonsense")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    # Told against the field, not as "line 6" of a config the volunteer has not seen.
    assert page.keys_message.text().startswith("Node pool public key: this is not a WireGuard")
    assert "line" not in page.keys_message.text()
    assert "border" in page.pool_key.styleSheet()


def test_tunnel_down_and_pool_unreachable_block_next(qtbot, wizard: SetupWizard) -> None:
    master = closed_port()
    at_wireguard(qtbot, wizard, master)
    page = wizard.wireguard
    real_state = vpn.interface_state()
    assert not real_state.up  # no WireGuard interface in this namespace
    assert page.tunnel_line.text() == f"✘ Tunnel: {real_state.message}"
    assert f"cannot reach the node pool at {master}" in page.pool_line.text()
    assert page.address_line.text().startswith("✘ ")
    assert vpn.detect_advertise_address().address is None
    assert "Activate the tunnel above" in page.address_line.text()
    assert "Settings" not in page.address_line.text()  # Settings has no such field
    assert not next_button(wizard).isEnabled()
    assert "cannot send tasks to this computer" in page.skip.text()
    page.skip.setChecked(True)
    assert next_button(wizard).isEnabled()
    page.skip.setChecked(False)
    assert not next_button(wizard).isEnabled()


def test_tunnel_down_blocks_next_even_when_pool_answers(
    qtbot, wizard: SetupWizard, node_pool: NodePool
) -> None:
    at_wireguard(qtbot, wizard, node_pool.address)
    page = wizard.wireguard
    assert page.pool_line.text().startswith("✔ Node pool: ")
    assert "is reachable" in page.pool_line.text()
    assert page.tunnel_line.text().startswith("✘ Tunnel: ")
    assert not page.verified
    assert not next_button(wizard).isEnabled()


# -- resources and the whole way through ---------------------------------------------------


def test_resources_defaults(qtbot, wizard: SetupWizard) -> None:
    page = wizard.resources_page
    page.initializePage()
    qtbot.waitUntil(lambda: page.totals is not None, timeout=WAIT_MS)
    cores = psutil.cpu_count()
    memory = int(psutil.virtual_memory().total / 2**30)
    assert page.totals.cpu_cores == cores and page.totals.memory_gb == memory
    assert page.cpu.value() == max(0.5, cores / 2)
    assert page.memory.value() == max(1, memory // 4)
    assert not page.gpu.isEnabled() and not page.gpu.isChecked()  # no NVIDIA GPU here
    assert "No NVIDIA GPU found" in page.gpu_note.text()
    assert page.parallel.value() == max(1, min(3, int(max(0.5, cores / 2))))
    assert f"{cores} processor cores" in page.totals_label.text()


def test_resources_step_asks_when_to_contribute(qtbot, wizard: SetupWizard) -> None:
    page = wizard.resources_page
    page.initializePage()
    qtbot.waitUntil(lambda: page.totals is not None, timeout=WAIT_MS)
    assert not page.in_use.isChecked() and page.battery.isChecked()  # the core's defaults
    assert page.cpu_cap.value() == 100
    page.in_use.setChecked(True)
    page.battery.setChecked(False)
    page.cpu_cap.setValue(50)
    new = wizard.new_settings()
    assert (new.suspend_when_in_use, new.suspend_on_battery, new.cpu_cap_percent) == (
        True,
        False,
        50,
    )
    assert (
        "Waits while the computer is in use: yes; on battery: no. CPU time: at most 50 %."
        in wizard.summary_lines()
    )


def test_run_again_starts_from_the_shares_in_force(qtbot, tmp_path: Path) -> None:
    config_file = tmp_path / "cfg" / "config.toml"
    config_file.parent.mkdir()
    config_file.write_text("max_concurrent_tasks = 1\n")  # not the first run
    settings = Settings(
        language="en",
        max_cpu_cores=1.5,
        max_memory_gb=2,
        max_concurrent_tasks=1,
        share_gpu=False,
        data_dir=str(tmp_path / "data"),
        log_dir=str(tmp_path / "logs"),
    )
    again = SetupWizard(
        settings,
        config_file=config_file,
        credentials=Credentials(service=f"HiveMind Desktop wizard test {os.getpid()}"),
    )
    qtbot.addWidget(again)
    page = again.resources_page
    page.initializePage()
    qtbot.waitUntil(lambda: page.totals is not None, timeout=WAIT_MS)
    assert (page.cpu.value(), page.memory.value(), page.parallel.value()) == (1.5, 2, 1)
    again.cancel_now()


def test_happy_path_saves_settings_and_reports(
    qtbot, wizard: SetupWizard, node_pool: NodePool, tmp_path: Path
) -> None:
    config_file = tmp_path / "cfg" / "config.toml"
    assert needs_first_run(config_file)
    go_to(qtbot, wizard, SetupWizard.SIGN_IN)
    sign_in(qtbot, wizard, node_pool.address)
    assert wizard.sign_in.signed_in
    go_to(qtbot, wizard, SetupWizard.DOCKER)
    qtbot.waitUntil(lambda: wizard.docker.result is not None, timeout=WAIT_MS)
    assert wizard.docker.available, wizard.docker.status.text()
    go_to(qtbot, wizard, SetupWizard.WIREGUARD)
    page = wizard.wireguard
    qtbot.waitUntil(lambda: page.tunnel is not None, timeout=WAIT_MS)
    page.editor.setPlainText(valid_config())
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.saved_path is not None, timeout=WAIT_MS)
    page.skip.setChecked(True)  # no tunnel can come up in this namespace
    go_to(qtbot, wizard, SetupWizard.RESOURCES)
    qtbot.waitUntil(lambda: wizard.resources_page.totals is not None, timeout=WAIT_MS)
    wizard.resources_page.cpu.setValue(1.0)
    wizard.resources_page.memory.setValue(1)
    wizard.resources_page.parallel.setValue(2)
    go_to(qtbot, wizard, SetupWizard.FINISH)
    summary = wizard.finish.summary.text()
    assert f"Account: {USER}, signed in." in summary
    assert "Docker: running." in summary
    assert "WireGuard: skipped." in summary
    assert "Lent: 1 core, 1 GiB of memory, GPU not shared, up to 2 tasks at a time." in summary
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    with qtbot.waitSignal(wizard.completed, timeout=WAIT_MS) as done:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    result: WizardResult = done.args[0]
    assert result.signed_in and not result.remembered
    assert not result.docker_skipped and result.tunnel_skipped
    assert result.wireguard_config == tmp_path / "cfg" / vpn.DEFAULT_CONFIG_NAME
    assert result.settings.username == USER and result.settings.password == PASSWORD
    assert not needs_first_run(config_file)
    saved = settings_mod.load(env={}, config_file=config_file)
    assert saved.master_address == node_pool.address
    assert (saved.max_cpu_cores, saved.max_memory_gb, saved.max_concurrent_tasks) == (1.0, 1, 2)
    assert saved.share_gpu is False
    assert saved.language == "en"
    assert PASSWORD not in config_file.read_text()
    assert not wizard.isVisible()


def test_first_run_helper_skips_when_configured(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text("")
    settings = Settings(language="en")
    assert run_first_run_wizard_if_needed(settings, config_file=config_file) is settings
