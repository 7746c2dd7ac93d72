"""`hivemind-desktop --self-test`: can this installation contribute, and if not, why?

Every check returns one line (OK / WARN / FAIL + detail) and never raises, so the report
is complete even on a broken install. A FAIL in a *blocking* check (modules, Docker,
config, node pool) means the computer cannot contribute; the exit code says so.
Works in the frozen app too: modules are found through pkgutil (PyInstaller's
FrozenImporter supports iter_modules) and nothing here needs the source tree.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import hivemind_desktop
from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.settings import Settings, SettingsError

if TYPE_CHECKING:
    from hivemind_desktop.core.service_unit import Unit

OK, WARN, FAIL = "OK", "WARN", "FAIL"
POOL_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str  # OK | WARN | FAIL
    detail: str
    blocking: bool = False  # a FAIL here stops contribution

    @property
    def failed(self) -> bool:
        return self.status == FAIL


@dataclass
class SelfTestReport:
    checks: list[CheckResult] = field(default_factory=list)
    version: str = hivemind_desktop.__version__
    frozen: bool = bool(getattr(sys, "frozen", False))

    @property
    def blocking_failures(self) -> list[CheckResult]:
        return [c for c in self.checks if c.failed and c.blocking]

    @property
    def ok(self) -> bool:
        return not self.blocking_failures

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def get(self, name: str) -> CheckResult:
        return next(c for c in self.checks if c.name == name)


# -- checks -----------------------------------------------------------------------------------


def check_modules() -> list[CheckResult]:
    """Import every module of the package; the GUI only when PySide6 itself loads."""
    results: list[CheckResult] = []
    gui_ok = True
    try:
        import PySide6
        import PySide6.QtWidgets  # noqa: F401 - loads the Qt libraries, the usual failure

        results.append(CheckResult("qt", OK, f"PySide6 {PySide6.__version__} loads"))
    except Exception as exc:  # ImportError or a missing system library (OSError)
        gui_ok = False
        results.append(
            CheckResult(
                "qt",
                WARN,
                f"PySide6 does not load ({_one_line(exc)}): GUI modules skipped, "
                "--headless still works; install the Qt system libraries for the tray app",
            )
        )

    failures: list[str] = []
    count = 0
    gui_name = hivemind_desktop.__name__ + ".gui"
    pending: list[tuple[Sequence[str], str]] = [
        (hivemind_desktop.__path__, hivemind_desktop.__name__ + ".")
    ]
    while pending:  # walk by hand so a skipped GUI package is never imported at all
        path, prefix = pending.pop()
        for info in pkgutil.iter_modules(path, prefix):
            name = info.name
            if name.rsplit(".", 1)[-1] == "__main__":  # importing it would start the app
                continue
            if not gui_ok and (name == gui_name or name.startswith(gui_name + ".")):
                continue
            try:
                module = importlib.import_module(name)
                count += 1
            except Exception as exc:
                failures.append(f"{name}: {_one_line(exc)}")
                continue
            if info.ispkg:
                pending.append((module.__path__, name + "."))
    if failures:
        shown = "; ".join(failures[:3]) + (f" (+{len(failures) - 3} more)" if failures[3:] else "")
        detail = f"{len(failures)} module(s) fail to import: {shown}; reinstall the app"
        results.append(CheckResult("modules", FAIL, detail, blocking=True))
    else:
        scope = "GUI included" if gui_ok else "GUI skipped"
        results.append(CheckResult("modules", OK, f"{count} modules import ({scope})", True))
    return results


def check_resources() -> list[CheckResult]:
    """The icons and translations the GUI loads are in the package (a bundle built without
    them shows blank tray icons and English only). Skipped when the GUI does not load."""
    try:
        import PySide6.QtGui  # noqa: F401 - first, so a failing Qt never half-imports the GUI

        from hivemind_desktop.gui import resources
        from hivemind_desktop.gui.state import ICONS
    except Exception:  # the qt check already reports why
        return []
    templates = [f"{name}-template" for name in ICONS]  # the macOS menu bar's (tray.py)
    wanted = [
        resources.ICONS / f"{name}-{size}.png"
        for name in (*ICONS, *templates, "app")
        for size in resources.ICON_SIZES
    ]
    languages = [lang for lang in resources.LANGUAGES if lang != "en"]
    wanted += [resources.TRANSLATIONS / f"hivemind_{lang}.qm" for lang in languages]
    missing = [p.relative_to(resources.RESOURCES).as_posix() for p in wanted if not p.is_file()]
    if missing:
        shown = ", ".join(missing[:3]) + (f" (+{len(missing) - 3} more)" if missing[3:] else "")
        detail = f"missing in {resources.RESOURCES}: {shown}; reinstall the app"
        return [CheckResult("resources", WARN, detail)]
    detail = f"{len(wanted) - len(languages)} icons, translations: {', '.join(languages)}"
    return [CheckResult("resources", OK, detail)]


def check_config(config_file: Path | None = None) -> tuple[CheckResult, Settings | None]:
    path = config_file or settings_mod.config_file_path()
    try:
        loaded = settings_mod.load(config_file=path)
    except SettingsError as exc:
        return CheckResult("config", FAIL, str(exc), blocking=True), _env_only_settings()
    source = f"config file {path}" if path.exists() else f"defaults (no config file at {path})"
    return CheckResult("config", OK, f"valid: {source} + environment", blocking=True), loaded


def _env_only_settings() -> Settings | None:
    """Settings from the environment alone, so the other checks can still use e.g.
    MASTER_ADDRESS when the config file is what is broken."""
    with tempfile.TemporaryDirectory() as empty:
        try:
            return settings_mod.load(config_file=Path(empty) / "none.toml")
        except SettingsError:
            return None


def check_docker(settings: Settings) -> list[CheckResult]:
    """The engine answers (through the Docker runner, the app's one door to Docker), and
    the task image is there."""
    if not settings.docker_enabled:
        return [
            CheckResult(
                "docker",
                FAIL,
                "Docker is turned off in the settings (DOCKER_ENABLED=false): tasks only run "
                "in Docker; turn it on",
                blocking=True,
            )
        ]
    try:
        from hivemind_desktop.core.docker_runner import DockerRunner, DockerUnavailable
    except ImportError as exc:  # a broken installation: the SDK did not ship
        return [CheckResult("docker", FAIL, f"the Docker SDK is missing: {exc}", blocking=True)]
    runner = DockerRunner(install_id="self-test", runtime=settings.task_runtime)
    status = runner.status()
    if not status.available:
        reason = status.reason or "Docker does not answer"
        return [CheckResult("docker", FAIL, reason, blocking=True)]
    results = [
        CheckResult(
            "docker", OK, f"{status.engine} answers at {status.endpoint}", blocking=True
        )
    ]
    # What isolates tasks: gVisor, runc (a hint how to get gVisor), or nothing (runsc asked).
    if not status.runtime:
        results.append(CheckResult("isolation", FAIL, status.isolation, blocking=True))
    else:
        hint = WARN if status.runtime == "runc" and settings.task_runtime == "auto" else OK
        results.append(CheckResult("isolation", hint, status.isolation))
    image = settings.task_image
    try:
        installed = runner.has_image(image)
    except DockerUnavailable as exc:
        results.append(CheckResult("task image", WARN, f"cannot look up {image}: {exc}"))
        return results
    if installed:
        results.append(CheckResult("task image", OK, f"{image} present"))
    elif "Podman" in status.engine:  # a rootless engine has its own image store
        results.append(
            CheckResult(
                "task image",
                WARN,
                f"{image} is not in this user's Podman image store: run `podman pull {image}` "
                "(or, as root, scripts/import_task_images_rootless USER)",
            )
        )
    else:
        results.append(
            CheckResult(
                "task image",
                WARN,
                f"{image} is not installed: run `docker pull {image}` "
                "(or scripts/build_task_images)",
            )
        )
    return results


def check_keyring() -> CheckResult:
    """Which keyring holds the password; none is a warning (sign in each time instead)."""
    try:
        import keyring

        backend = keyring.get_keyring()
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        try:
            from hivemind_desktop.core.credentials import Credentials, KeyringUnavailable

            try:
                return CheckResult("keyring", OK, Credentials().backend_name())
            except KeyringUnavailable as exc:
                return CheckResult("keyring", WARN, f"{exc} (backend: {name})")
        except ImportError:
            pass
        if type(backend).__module__ in ("keyring.backends.fail", "keyring.backends.null"):
            return CheckResult(
                "keyring",
                WARN,
                f"no usable keyring ({name}): passwords cannot be remembered; start your "
                "desktop's keyring service or sign in each time",
            )
        return CheckResult("keyring", OK, getattr(backend, "name", name))
    except Exception as exc:
        return CheckResult("keyring", WARN, f"keyring cannot be checked: {_one_line(exc)}")


def check_gpu() -> CheckResult:
    """No NVIDIA GPU is normal (CPU tasks only), so this is never a failure."""
    try:
        from hivemind_desktop.core.gpu import read_gpus

        gpus, description = read_gpus()
        if not gpus:
            return CheckResult("gpu", OK, f"{description} (CPU tasks only)")
        names = ", ".join(f"{g.name} {g.memory_total_gb} GiB" for g in gpus)
        return CheckResult("gpu", OK, f"{len(gpus)} NVIDIA GPU(s): {names}")
    except ImportError:
        pass
    try:
        import pynvml

        pynvml.nvmlInit()
        try:
            count = pynvml.nvmlDeviceGetCount()
            gpu_names = [
                str(pynvml.nvmlDeviceGetName(pynvml.nvmlDeviceGetHandleByIndex(i)))
                for i in range(count)
            ]
        finally:
            pynvml.nvmlShutdown()
        if not gpu_names:
            return CheckResult("gpu", OK, "no NVIDIA GPU found (CPU tasks only)")
        return CheckResult("gpu", OK, f"{count} NVIDIA GPU(s): {', '.join(gpu_names)}")
    except Exception as exc:
        return CheckResult("gpu", OK, f"no NVIDIA GPU found ({_one_line(exc)}; CPU tasks only)")


def check_pool(settings: Settings, timeout_s: float = POOL_TIMEOUT_S) -> CheckResult:
    """The wizard's sign-in probe with empty credentials: any answer of the pool's proves
    that a node pool is there."""
    address = settings.master_address
    try:
        from hivemind_desktop.core.pool.probe import probe_sign_in
        from hivemind_desktop.core.pool.session import SignInOutcome
    except Exception as exc:
        return CheckResult("node pool", FAIL, f"gRPC does not load: {_one_line(exc)}", True)
    try:
        result = probe_sign_in(address, "", "", timeout_s=timeout_s)
    except Exception as exc:
        return CheckResult("node pool", FAIL, f"{address}: {_one_line(exc)}", blocking=True)
    if result.outcome == SignInOutcome.UNREACHABLE:
        return CheckResult(
            "node pool",
            FAIL,
            f"{result.message}; check MASTER_ADDRESS and that the VPN to the node pool is up",
            blocking=True,
        )
    if not result.pool_answered:  # not a node pool, or not an address at all
        return CheckResult("node pool", FAIL, f"{result.message} (MASTER_ADDRESS)", True)
    # A refusal is the expected answer; the deployed pool turns many errors into INTERNAL,
    # which came from a server speaking our protocol too.
    if result.outcome == SignInOutcome.ERROR:
        return CheckResult("node pool", OK, f"{address} answers: {result.message}", True)
    accepted = " (it accepted an empty username!)" if result.ok else ""
    return CheckResult("node pool", OK, f"{address} answers{accepted}", blocking=True)


def check_firewall(settings: Settings, answer: str | None = None) -> CheckResult:
    """Windows: does Windows Firewall let the node pool reach NODE_PORT? (It blocks inbound
    connections by default; the installer adds the rule.) `answer`: PowerShell's JSON, read
    from this system when None."""
    from hivemind_desktop.core import autostart, firewall

    if answer is None:
        answer = firewall.query_windows_firewall()
    if not answer:
        return CheckResult(
            "firewall",
            WARN,
            f"Windows Firewall could not be asked (PowerShell did not answer): make sure the "
            f"rule '{firewall.RULE_NAME}' allows inbound TCP port {settings.node_port}",
        )
    verdict = firewall.firewall_verdict(answer, settings.node_port, autostart.launch_command()[0])
    return CheckResult("firewall", OK if verdict.ok else WARN, verdict.detail)


def check_location(executable: str, platform: str = sys.platform) -> CheckResult | None:
    """macOS: an app run from its disk image or a translocated copy cannot start at login
    and loses its settings' place; None elsewhere (nothing to check)."""
    from hivemind_desktop.core import autostart

    if platform != "darwin":
        return None
    problem = autostart.location_problem(executable, platform)
    if problem:
        return CheckResult("location", WARN, problem)
    return CheckResult("location", OK, f"installed at {executable}")


# -- the whole test -------------------------------------------------------------------------


def run_self_test(
    settings: Settings | None = None,
    *,
    config_file: Path | None = None,
    progress: Callable[[CheckResult], None] | None = None,
    service: Unit | None = None,
) -> SelfTestReport:
    """Run every check. `settings`: what the app would run with (flags applied); None when
    building them failed or was not tried: the config check's own load() is used, else
    the defaults, so the other checks still run. `progress` sees each result as it lands.
    `service`: the Linux system service's unit (--service): its checks replace the
    keyring's, which a service does not use."""
    report = SelfTestReport()

    def add(results: CheckResult | list[CheckResult]) -> None:
        for result in results if isinstance(results, list) else [results]:
            report.checks.append(result)
            if progress:
                progress(result)

    add(check_modules())
    add(check_resources())
    config_result, loaded = check_config(config_file)
    add(config_result)
    effective = settings or loaded or Settings()
    add(check_docker(effective))
    if service is None:
        add(check_keyring())
    else:
        from hivemind_desktop.selftest_service import check_service

        add(check_service(service, effective))
    add(check_gpu())
    add(check_pool(effective))
    if sys.platform == "win32":
        add(check_firewall(effective))
    from hivemind_desktop.core.autostart import launch_command

    location = check_location(launch_command()[0])
    if location is not None:
        add(location)
    return report


def format_check(check: CheckResult) -> str:
    return f"{check.status:<4}  {check.name:<10}  {check.detail}"


def format_report(report: SelfTestReport) -> str:
    """A short report, one line per check, and a verdict line."""
    build = "frozen app" if report.frozen else f"Python {sys.version.split()[0]}"
    lines = [f"HiveMind Desktop {report.version} self-test ({build}, {sys.platform})"]
    lines += [format_check(c) for c in report.checks]
    if report.ok:
        warned = [c.name for c in report.checks if c.status == WARN]
        extra = f" with warnings ({', '.join(warned)})" if warned else ""
        lines.append(f"Result: OK{extra}: this computer can contribute")
    else:
        names = ", ".join(c.name for c in report.blocking_failures)
        lines.append(f"Result: FAIL ({names}): this computer cannot contribute until fixed")
    return "\n".join(lines)


def main(settings: Settings | None = None) -> int:
    """Print the report and return the exit code (what `--self-test` calls)."""
    started = time.monotonic()
    report = run_self_test(settings)
    print(format_report(report))
    print(f"({time.monotonic() - started:.1f} s)")
    return report.exit_code


def _one_line(exc: BaseException | None) -> str:
    """The error in one line; the root cause first when it was chained (numpy, for one,
    wraps the real failure in a page of advice)."""
    if exc is None:
        return "unknown error"
    root, seen = exc, {id(exc)}
    while True:
        nxt = root.__cause__ or (None if root.__suppress_context__ else root.__context__)
        if nxt is None or id(nxt) in seen:
            break
        root = nxt
        seen.add(id(nxt))
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    if root is not exc:
        cause = " ".join(str(root).split())[:200]
        return f"{name} caused by {type(root).__name__}: {cause}"
    return f"{name}: {text[:200]}" if text else name
