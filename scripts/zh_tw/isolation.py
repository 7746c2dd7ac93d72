# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for how tasks are isolated (gVisor or runc): task list, details, Monitor."""

ZH_TW = {
    "gVisor": "gVisor",
    "runc": "runc",
    "gVisor sandbox: the task runs on its own kernel": "gVisor 沙箱：任務在自己的核心上執行",
    "runc container: the task shares this computer's kernel": "runc 容器：任務與這台電腦共用核心",
    "Isolation": "隔離方式",
    "What isolates the task: gVisor gives it a kernel of its own": "任務的隔離方式：gVisor 讓任務擁有自己的核心",
    "exit code %1 (or gVisor ended the task for too many processes)": "結束代碼 %1（或因程序過多而被 gVisor 結束）",
    "Isolation: %1": "隔離方式：%1",
    "Task isolation:": "任務隔離：",
    "unknown until Docker runs": "Docker 執行後才會知道",
    "No task can run: the settings require gVisor, which Docker does not have. Install it: %1": "無法執行任何任務：設定要求使用 gVisor，但 Docker 沒有安裝它。請安裝：%1",
    "For a stronger sandbox, install gVisor: %1": "如需更強的沙箱，請安裝 gVisor：%1",
    "Tasks run in gVisor, a sandbox with its own kernel: code from other people never talks to this computer's kernel directly.": "任務在 gVisor 中執行，這是擁有自己核心的沙箱：他人撰寫的程式碼不會直接接觸這台電腦的核心。",
    "Recommended: also install gVisor, a sandbox that gives each task its own kernel (tasks start about 0.2 s slower): %1": "建議：另外安裝 gVisor，這個沙箱讓每個任務擁有自己的核心（任務啟動約慢 0.2 秒）：%1",
}
