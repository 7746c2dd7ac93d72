# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for how tasks are isolated (gVisor or runc): task list, details, Monitor."""

ZH_TW = {
    "gVisor": "gVisor",
    "runc": "runc",
    "gVisor sandbox: the task runs on its own kernel": "gVisor 沙箱：任務在自己的核心上執行",
    "runc container: the task shares this computer's kernel": "runc 容器：任務與這台電腦共用核心",
    "Isolation": "隔離方式",
    "Isolation: %1": "隔離方式：%1",
    "Task isolation:": "任務隔離：",
    "unknown until Docker runs": "Docker 執行後才會知道",
    "No task can run: the settings require gVisor, which Docker does not have. Install it: sudo bash scripts/enable-gvisor": "無法執行任何任務：設定要求使用 gVisor，但 Docker 沒有安裝它。請安裝：sudo bash scripts/enable-gvisor",
    "For a stronger sandbox, install gVisor: sudo bash scripts/enable-gvisor": "如需更強的沙箱，請安裝 gVisor：sudo bash scripts/enable-gvisor",
}
