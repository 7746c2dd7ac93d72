"""The core's own texts in the volunteer's language (core/i18n.py, gui/core_text.py):
every marked core text has its Traditional Chinese, and texts the real core makes (task
reasons, a reason inside a reason, the GPU reader's, a sign-in error from a real gRPC
call, the policy's) show translated where the volunteer sees them."""

from __future__ import annotations

import importlib
import pkgutil
import time
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

import hivemind_desktop.core as core
from hivemind_desktop.core import i18n, policy, vpn
from hivemind_desktop.core.docker_runner import TIME_LIMIT_REACHED
from hivemind_desktop.core.engine import FROZEN_TOO_LONG
from hivemind_desktop.core.gpu import GpuReader
from hivemind_desktop.core.models import Resources, TaskRecord, TaskState
from hivemind_desktop.core.pool.session import PoolSession, SignInError
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.texts import state_line
from tests.kit import REPO, free_port, make_zip
from tests.kit.desktop import make_settings

ARTIFACTS = REPO / "artifacts"

pytestmark = pytest.mark.gui


def all_core_templates() -> dict[str, str]:
    for info in pkgutil.walk_packages(core.__path__, core.__name__ + "."):
        importlib.import_module(info.name)
    return i18n.templates()


def test_every_marked_core_text_is_extracted_and_translated(translations):
    templates = all_core_templates()
    assert len(templates) >= 30
    ts = ET.parse(REPO / "resources" / "translations" / "hivemind_zh_TW.ts")  # noqa: S314
    extracted = {
        (context.findtext("name"), message.findtext("source"))
        for context in ts.getroot().iter("context")
        for message in context.iter("message")
    }
    assert translations.install("zh_TW")
    for source, context in templates.items():
        assert (context, source) in extracted, f"not in the .ts: {source!r}"
        assert core_text(source) != source, f"no Traditional Chinese for {source!r}"


def test_core_texts_in_traditional_chinese(translations):
    assert translations.install("zh_TW")
    assert core_text(i18n.say(TIME_LIMIT_REACHED, 60)) == "已達 60 秒的時間上限"
    # a reason inside a reason: the policy's "computer in use" inside the frozen-too-long one
    rules = policy.Rules(suspend_when_in_use=True, idle_minutes=3)
    decision = policy.decide(policy.Readings(now=datetime.now(), idle_s=5.0), rules)
    nested = i18n.say(FROZEN_TOO_LONG, "30", decision.detail)
    assert core_text(nested) == "凍結 30 分鐘後停止（電腦使用中）：已退回，讓節點池改在別處執行"
    low = policy.decide(
        policy.Readings(now=datetime.now(), free_memory_gb=0.2),
        policy.Rules(min_free_memory_gb=1.5),
    )
    assert state_line("waiting", low.detail) == "等待中：可用記憶體不足 1.5 GiB"
    # this machine has no NVIDIA GPU: the reader's real reason
    reader = GpuReader()
    try:
        _gpus, message = reader.read()
    finally:
        reader.shutdown()
    assert core_text(message).startswith("找不到 NVIDIA GPU")
    # a sign-in against a port where nothing listens: real gRPC on loopback
    session = PoolSession(f"127.0.0.1:{free_port('127.0.0.1')}")
    try:
        with pytest.raises(SignInError) as failed:
            session.sign_in("vol", "pw")
    finally:
        session.channel.close()
    assert "does not answer" in str(failed.value)  # English for the log and the CLI
    shown = core_text(str(failed.value))
    assert "沒有回應" in shown and "127.0.0.1" in shown
    assert core_text("something the core never marked") == "something the core never marked"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "time limit of 60 s reached"), ("zh_TW", "已達 60 秒的時間上限")],
)
def test_the_tasks_page_shows_a_task_reason_in_the_language(
    qtbot, translations, language, expected
):
    assert translations.install(language)
    state = AppState()
    window = MainWindow(state, Settings(language=language))
    qtbot.addWidget(window)
    window.show()
    task = TaskRecord(
        "t-limit", TaskState.FAILED, Resources(100, 1, 0, 0), time.time() - 90,
        started_at=time.time() - 80, finished_at=time.time() - 20,
        message=i18n.say(TIME_LIMIT_REACHED, 60),
    )  # fmt: skip
    state.on_core_event("task_changed", {"task": task})
    window.tabs.setCurrentWidget(window.tasks)
    window.tasks.select_task("t-limit")
    assert expected in window.tasks.details.text()


@pytest.mark.docker
def test_a_sign_in_error_from_the_core_shows_in_chinese(qtbot, make_desktop, tmp_path):
    nowhere = f"127.0.0.1:{free_port('127.0.0.1')}"  # no pool listens there
    app = make_desktop(make_settings(tmp_path, nowhere).replace(language="zh_TW"))
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=30_000)
    dialog = app.sign_in_dialog
    assert dialog.pool.text() == nowhere
    dialog.username.setText("vol")
    dialog.password.setText("pw")
    dialog.remember.setChecked(False)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: "沒有回應" in dialog.message.text(), timeout=30_000)
    assert "does not answer" not in dialog.message.text()

    # the Monitor page's health lines, made by the real worker's checks
    window = app.window
    window.tabs.setCurrentWidget(window.monitor)  # shown: it asks for health
    page = window.monitor
    qtbot.waitUntil(lambda: "可用 CPU 核心" in page.raw.toPlainText(), timeout=30_000)
    raw = page.raw.toPlainText()
    assert "of" not in raw.split("resources:")[1].splitlines()[0]  # no English left there
    assert page.battery_source.text() in ("沒有電池", "找到電池，電源不明", "psutil 電池狀態")


def test_the_wizard_shows_the_cores_checks_in_chinese(qtbot, translations, tmp_path):
    """The sign-in error, the tunnel state and the pool check come from the core; in a
    zh_TW wizard they read in Chinese (real closed port, no WireGuard interface here)."""
    from hivemind_desktop.core.credentials import Credentials
    from hivemind_desktop.gui.wizard import SetupWizard
    from tests.gui.test_wizard import at_wireguard, closed_port, go_to, sign_in

    assert translations.install("zh_TW")
    settings = Settings(
        language="zh_TW", data_dir=str(tmp_path / "data"), log_dir=str(tmp_path / "logs")
    )
    wizard = SetupWizard(
        settings,
        config_file=tmp_path / "cfg" / "config.toml",
        credentials=Credentials(service=f"HiveMind Desktop zh test {time.time()}"),
    )
    qtbot.addWidget(wizard)
    wizard.show()
    try:
        go_to(qtbot, wizard, SetupWizard.SIGN_IN)
        address = closed_port()
        sign_in(qtbot, wizard, address)
        text = wizard.sign_in.message.text()
        assert "沒有回應" in text and address in text and "does not answer" not in text
        at_wireguard(qtbot, wizard, closed_port())
        page = wizard.wireguard
        english = vpn.interface_state().message  # the real state: no tunnel in this namespace
        assert core_text(english) != english
        assert core_text(english) in page.tunnel_line.text()
        assert "無法連到位於" in page.pool_line.text()
        # a pasted config with a mistyped pool key: the core's reason, read in Chinese
        page.editor.setPlainText(BAD_PEER_KEY.replace("{priv}", vpn.generate_keypair()[0]))
        shown = page.validation.text()
        assert "第 6 行：PublicKey 不是有效的 WireGuard 金鑰（'PublicKey = not-a-key'）" in shown
        assert "valid" not in shown and "line" not in shown
        ARTIFACTS.mkdir(exist_ok=True)
        wizard.grab().save(str(ARTIFACTS / "core_text_wireguard_bad_key_zh_TW.png"))
    finally:
        wizard.cancel_now()  # reject() would ask first; this closes (and drops zh_TW)


@pytest.mark.parametrize(
    ("source", "english", "chinese"),
    [
        ("podman", "Podman is not running: nothing answers at", "Podman 未在執行："),
        ("docker_host", "or unset DOCKER_HOST", "取消設定 DOCKER_HOST"),
        ("default", "Docker is not running: nothing answers at", "Docker 未在執行："),
    ],
)
def test_why_the_engine_is_not_reachable_reads_in_chinese(
    translations, tmp_path, source, english, chinese
):
    """The engine's causes and fixes (core/engine_errors.py), for a real socket path where
    nothing listens, as the Monitor page and the wizard show them."""
    from hivemind_desktop.core import engine_endpoint, engine_errors

    names = {
        "podman": engine_endpoint.SOURCE_PODMAN,
        "docker_host": engine_endpoint.SOURCE_DOCKER_HOST,
        "default": engine_endpoint.SOURCE_DEFAULT,
    }
    endpoint = engine_endpoint.Endpoint(f"unix://{tmp_path}/nothing.sock", names[source])
    text = engine_errors.not_running_reason(endpoint, platform="linux", installed=True)
    assert english in text
    assert translations.install("zh_TW")
    shown = core_text(text)
    assert chinese in shown and f"{tmp_path}/nothing.sock" in shown
    for english_left in ("nothing answers", "start that engine", "start Podman", "or the "):
        assert english_left not in shown


def refused_archive(tmp_path, files: dict[str, str | bytes]) -> str:
    """The engine's reason for a real archive the core refuses (engine.py wraps it so)."""
    from hivemind_desktop.core.archive import (
        ArchiveRejected,
        entry_command,
        unpack_task_archive,
    )
    from hivemind_desktop.core.engine import ARCHIVE_REFUSED

    folder = tmp_path / f"task-{len(list(tmp_path.iterdir()))}"
    with pytest.raises(ArchiveRejected) as refused:
        entry_command(folder, unpack_task_archive(make_zip(files), folder))
    return i18n.say(ARCHIVE_REFUSED, refused.value)


def test_a_refused_archive_reads_in_chinese(translations, tmp_path):
    slip = refused_archive(tmp_path, {"main.py": "print(1)", "../evil.py": "x"})
    assert slip == (
        "task archive refused: entry '../evil.py' climbs out of the task folder with '..'"
    )
    no_entry = refused_archive(tmp_path, {"notes.txt": "no script"})
    assert no_entry.startswith("task archive refused: no entry point: the archive needs main.py")
    manifest = refused_archive(tmp_path, {"main.py": "", "hivemind.json": '{"network": "yes"}'})
    assert manifest == "task archive refused: hivemind.json: network must be true or false"
    assert translations.install("zh_TW")
    assert core_text(slip) == "已拒絕工作壓縮檔：項目「../evil.py」以「..」跑出工作資料夾"
    assert core_text(no_entry) == (
        "已拒絕工作壓縮檔：沒有進入點：壓縮檔的最上層需要 main.py、app.py、run.py、"
        "start.py 或 run.sh（或在 hivemind.json 中指定 command）"
    )
    assert core_text(manifest) == "已拒絕工作壓縮檔：hivemind.json：network 必須是 true 或 false"


def test_an_accountant_refusal_reads_in_chinese_part_by_part(translations):
    from hivemind_desktop.core.accountant import ResourceAccountant

    never = ResourceAccountant(Resources(100, 8, 0, 0)).explain_refusal(Resources(250, 9, 1, 4))
    taken = ResourceAccountant(Resources(400, 8))
    assert taken.allocate("a", Resources(100, 6))
    busy = taken.explain_refusal(Resources(100, 4))
    assert busy == "asks 4 GiB memory but only 2 GiB of the 8 GiB shared are free"
    assert translations.install("zh_TW")
    assert core_text(busy) == "要求 4 GiB 記憶體，但分享的 8 GiB 中只有 2 GiB 空閒"
    assert core_text(never) == (
        "要求 2.5 個 CPU 核心，但只分享了 1 個核心；"
        "要求 9 GiB 記憶體，但只分享了 8 GiB；"
        "要求 1 個 GPU，但沒有分享任何此資源（GPU 分享已關閉或找不到 NVIDIA GPU）；"
        "要求 4 GiB GPU 記憶體，但沒有分享任何此資源（GPU 分享已關閉或找不到 NVIDIA GPU）"
    )
    assert not any(word in core_text(never) for word in ("asks", "shared", "memory", "core "))


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_the_tasks_page_shows_an_archive_refusal_in_the_language(
    qtbot, translations, tmp_path, language
):
    reason = refused_archive(tmp_path, {"main.py": "", "/etc/evil": "x"})
    assert translations.install(language)
    state = AppState()
    window = MainWindow(state, Settings(language=language))
    qtbot.addWidget(window)
    window.show()
    task = TaskRecord(
        "t-slip", TaskState.REFUSED, Resources(100, 1, 0, 0), time.time(), message=reason
    )
    state.on_core_event("task_changed", {"task": task})
    window.tabs.setCurrentWidget(window.tasks)
    window.tasks.select_task("t-slip")
    shown = window.tasks.details.text()
    for size in ((800, 600), None):  # the smallest window we support, then the default
        if size:
            window.resize(*size)
        else:
            window.resize(window.sizeHint())
        qtbot.wait(50)  # let the layout settle before the screenshot
        details = window.tasks.details
        assert details.mapTo(window, details.rect().topRight()).x() <= window.width()
        name = f"core_text_task_refused_{language}_{size[0] if size else 'default'}.png"
        ARTIFACTS.mkdir(exist_ok=True)
        window.grab().save(str(ARTIFACTS / name))
    if language == "en":
        assert "task archive refused: entry '/etc/evil' has an absolute path" in shown
    else:
        assert "已拒絕工作壓縮檔：項目「/etc/evil」使用絕對路徑：請使用相對路徑" in shown
        assert "refused" not in shown and "absolute" not in shown


def test_engine_and_runtime_refusals_read_in_chinese(translations):
    """What an engine that cannot hold a task's limits, or a missing gVisor, makes the
    worker refuse: the Monitor page and the Tasks page show these lines."""
    from hivemind_desktop.core import task_runtime
    from hivemind_desktop.core.engine_profile import detect
    from tests.unit.test_engine_profile import PODMAN_COMPAT_INFO, PODMAN_VERSION, libpod

    v1 = detect(PODMAN_VERSION, PODMAN_COMPAT_INFO, libpod(True, "v1", [])).refusal
    partial = detect(PODMAN_VERSION, {}, libpod(True, "v2", ["cpu", "pids"])).refusal
    no_gvisor = task_runtime.choose("runsc", ["runc"], network=False).problem
    assert v1.startswith("rootless Podman cannot limit a task's memory, CPU or processes")
    assert no_gvisor.startswith("gVisor (runsc) is not available to the Docker engine")
    assert translations.install("zh_TW")
    assert core_text(v1).startswith(
        "rootless Podman 無法限制工作的記憶體、CPU 或處理程序數（cgroup v1 只允許 root 設定限制）"
    )
    assert core_text(partial) == (
        "rootless Podman 無法限制工作的記憶體（您的使用者沒有取得這些 cgroup 控制器），"
        "因此不會執行任何工作：請委派這些控制器（systemd：在 "
        "/etc/systemd/system/user@.service.d/delegate.conf 中寫入 "
        "`Delegate=memory pids cpu cpuset`），然後登出再登入"
    )
    shown = core_text(no_gvisor)
    assert shown.startswith("Docker 引擎無法使用 gVisor（runsc）")
    assert f"請執行 `{task_runtime.enable_command()}`（安裝 gVisor 並向 Docker 註冊）" in shown
    assert "available" not in shown and "installs" not in shown


BAD_PEER_KEY = """[Interface]
PrivateKey = {priv}
Address = 10.0.0.2/24

[Peer]
PublicKey = not-a-key
AllowedIPs = 10.0.0.0/24
Endpoint = pool.example.org:51820
"""


@pytest.mark.parametrize(
    ("config", "english", "chinese"),
    [
        (
            BAD_PEER_KEY,
            "line 6: PublicKey is not a valid WireGuard key ('PublicKey = not-a-key'): "
            "a key is 44 characters of base64 ending in '=', as `wg genkey` prints",
            "第 6 行：PublicKey 不是有效的 WireGuard 金鑰（'PublicKey = not-a-key'）："
            "金鑰是 44 個以「=」結尾的 base64 字元，就像 `wg genkey` 印出的那樣",
        ),
        (
            "[Interface]\nPrivateKey = {priv}\nAddress = 10.0.0.2/24\n\n[Peer]\n"
            "AllowedIPs = 10.0.0.0/24\n",
            "[Peer] (line 5) has no PublicKey: add 'PublicKey = <the node pool's public key>'",
            "[Peer]（第 5 行） 沒有 PublicKey：請加入「PublicKey = <節點池的公開金鑰>」",
        ),
        (
            "[Interface]\nPrivateKey = {priv}\nAddress = 10.0.0.2/24\nPostUp = rm -rf /\n",
            "line 4: PostUp would run a command as administrator; a HiveMind tunnel does not "
            "need it: remove the line",
            "第 4 行：PostUp 會以系統管理員身分執行指令；HiveMind 通道不需要它：請刪除這一行",
        ),
        (
            "[Interface]\nPrivateKey = {priv}\nAddress = 10.0.0.2/24\nMTU = 12\n",
            "line 4: MTU must be a whole number from 576 to 65535 ('MTU = 12')",
            "第 4 行：MTU 必須是 576 到 65535 之間的整數（'MTU = 12'）",
        ),
    ],
)
def test_a_bad_wireguard_config_reads_in_chinese(translations, config, english, chinese):
    """Real configs the core refuses, as the wizard's WireGuard page shows the reason."""
    with pytest.raises(vpn.VpnConfigError) as refused:
        vpn.parse_config(config.replace("{priv}", vpn.generate_keypair()[0]))
    assert str(refused.value) == english
    assert translations.install("zh_TW")
    assert core_text(english) == chinese


def test_sign_in_and_registration_details_read_in_chinese(translations):
    """A node-pool address without a port, refused by the real session before any call,
    and the pool states' details as the status line shows them."""
    from hivemind_desktop.core.pool.client import SIGNED_OUT
    from hivemind_desktop.core.pool.liveness import REGISTRATION_REFUSED
    from hivemind_desktop.gui.texts import pool_state_text

    session = PoolSession("pool.example.org")
    try:
        with pytest.raises(SignInError) as refused:
            session.sign_in("vol", "pw")
    finally:
        session.channel.close()
    english = str(refused.value)
    assert english == (
        "the node-pool address 'pool.example.org' is not HOST:PORT: "
        "write it with its port, e.g. 10.0.0.1:50051"
    )
    assert pool_state_text("rejected", REGISTRATION_REFUSED) == (
        "Sign-in refused (registration refused)"
    )
    assert translations.install("zh_TW")
    assert core_text(english) == (
        "節點池位址 'pool.example.org' 不是 主機:連接埠 格式：請寫上連接埠，例如 10.0.0.1:50051"
    )
    shown = pool_state_text("rejected", REGISTRATION_REFUSED)
    assert "註冊遭拒" in shown and "registration" not in shown
    assert pool_state_text("signed_out", SIGNED_OUT) == "尚未登入 (已登出)"


def test_what_a_setting_allows_reads_in_chinese(qtbot, translations, tmp_path):
    """The Settings page's refusal and the start error name what a setting takes; that
    text is the core's (core/settings.py) and reads in the volunteer's language."""
    from hivemind_desktop.core import settings as settings_mod
    from hivemind_desktop.gui.pages.settings import SettingsPage
    from hivemind_desktop.gui.start_error import problem_text

    config = tmp_path / "config.toml"
    config.write_text("max_concurrent_tasks = 500\n", encoding="utf-8")
    with pytest.raises(settings_mod.SettingsError) as bad:
        settings_mod.load(env={}, config_file=config)
    assert problem_text(bad.value).endswith("Allowed: a whole number from 1 to 64.")
    assert translations.install("zh_TW")
    shown = problem_text(bad.value)
    assert "1 到 64 的整數" in shown and "whole number" not in shown
    page = SettingsPage(Settings(language="zh_TW"))
    qtbot.addWidget(page)
    page.schedule.setText("mon-fri 25:00")
    refusal = page.error.text()
    assert "星期與時段，例如「mon-fri 18:00-08:00; sat,sun」" in refusal
    assert "weekdays and hours" not in refusal
