"""Start the built app as a volunteer would, check it stays up, then quit it cleanly.

Usage: python installer/smoke_start.py APP_COMMAND...
  e.g. python installer/smoke_start.py "dist/HiveMind Desktop.app/Contents/MacOS/hivemind-desktop"
       python installer/smoke_start.py dist\\hivemind-desktop\\hivemind-desktop.exe
       python installer/smoke_start.py .venv/bin/python -m hivemind_desktop   (from source)

Runs in a scratch config/data folder (so no first-run wizard and nothing of the machine's
own install is touched) with Qt's offscreen platform: the app loads Qt, its plugins,
translations, keyring backends and the core, starts its worker, and waits at sign-in. It
must still be running after START_S; `APP --quit` must then end it with exit status 0.
The hosted installer workflow runs this on Windows and both macOS architectures, where
a missing plugin or DLL in the bundle would otherwise only show on a volunteer's machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START_S = 15


def main(command: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="hivemind-smoke-") as scratch:
        root = Path(scratch)
        config = root / "config.toml"
        config.write_text(
            'master_address = "127.0.0.1:9"\n'  # nothing listens: the app retries quietly
            f'data_dir = "{(root / "data").as_posix()}"\n'
            f'log_dir = "{(root / "logs").as_posix()}"\n'
            "status_port = 0\n",
            encoding="utf-8",
        )
        user = f"hmsmoke{os.getpid()}"  # its own single-instance channel
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            HIVEMIND_CONFIG_FILE=str(config),
            USER=user,
            LOGNAME=user,
            USERNAME=user,
        )
        app = subprocess.Popen([*command, "--minimized"], env=env)
        time.sleep(START_S)
        if app.poll() is not None:
            print(f"smoke: the app exited early with status {app.returncode}")
            return 1
        quit_run = subprocess.run(
            [*command, "--quit"], env=env, capture_output=True, text=True, timeout=120
        )
        print(quit_run.stdout.strip(), quit_run.stderr.strip())
        try:
            status = app.wait(60)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
            print("smoke: the app did not quit when asked")
            return 1
        logs = list((root / "logs").glob("*.log"))
        if not logs:
            print("smoke: the app wrote no log")
            return 1
        print(f"smoke: started, ran {START_S} s, quit with status {status}")
        return 0 if status == 0 and quit_run.returncode == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1:]))
