# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for which container engine runs the tasks, where it was found,
and the rootless way to contribute without the docker group."""

ZH_TW = {
    "running: %1, at %2": "執行中：%1，位於 %2",
    "Engine found: %1, at %2": "找到的引擎：%1，位於 %2",
    "Looked at: %1": "已查看：%1",
    "%1 is running. Tasks can run on this computer.": "%1 執行中。這台電腦可以執行任務。",
    "Or, without giving your account the power of root that the docker group brings: install Podman (<code>sudo apt install podman uidmap</code>) and start its service for your account with <code>systemctl --user enable --now podman.socket</code>. It holds tasks to their limits only on Linux with cgroup v2.": "或者，不讓您的帳號取得 docker 群組所帶來的 root 權限：安裝 Podman（<code>sudo apt install podman uidmap</code>），並以 <code>systemctl --user enable --now podman.socket</code> 為您的帳號啟動它的服務。只有在使用 cgroup v2 的 Linux 上，它才能讓任務遵守資源上限。",
    "Your Windows account may not use Docker Desktop: an administrator adds it to the <code>docker-users</code> group (Computer Management, or <code>net localgroup docker-users YOUR-NAME /add</code>), then sign out and back in.": "您的 Windows 帳號不能使用 Docker Desktop：請系統管理員將它加入 <code>docker-users</code> 群組（電腦管理，或 <code>net localgroup docker-users 您的名稱 /add</code>），然後登出再重新登入。",
}
