"""The desktop app as a volunteer starts it, for the Xvfb tray test (run as a process).

argv: MASTER_ADDRESS ADVERTISE_ADDRESS NODE_PORT DATA_DIR USERNAME PASSWORD INSTANCE_NAME
Signs in with the given account (as `--headless` would with HIVEMIND_USERNAME/PASSWORD)
so the tray shows a connected worker; SIGTERM shuts it down cleanly. It starts as
`--minimized` does: in the tray, or in its window while there is no tray.
"""

from __future__ import annotations

import sys

from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.app import main

if __name__ == "__main__":
    master, host, port, data, username, password, instance = sys.argv[1:8]
    settings = Settings(
        master_address=master,
        advertise_address=host,
        busy_cpu_percent=0,  # the machine's own load (tests, CI) must not freeze tasks
        node_port=int(port),
        allowed_peers=("127.0.0.0/8",),
        status_port=0,
        data_dir=f"{data}/data",
        log_dir=f"{data}/logs",
        task_image="hivemind/task-busybox:latest",
        max_cpu_cores=1,
        max_memory_gb=1,
        language="en",
        username=username,
        password=password,
    )
    raise SystemExit(main(settings, argv=[sys.argv[0]], instance_name=instance, show_window=None))
