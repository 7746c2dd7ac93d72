# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for charts, account state, pause, quit and the core's messages (issue 9, defects 7-11)."""

ZH_TW = {
    "CPU % (whole computer)": "CPU %（整台電腦）",
    "HiveMind tasks CPU %": "HiveMind 任務 CPU %",
    "%n task(s) are running. Signing out stops them and sends what they produced so far back to the node pool.": "%n 個任務正在執行。登出會停止這些任務，並將目前的成果送回節點池。",
    "Stop tasks and sign out": "停止任務並登出",
    "Cancel": "取消",
    "Sign out": "登出",
    "%n task(s) are running. HiveMind can let them finish (it takes no new tasks meanwhile), or stop them now and send what they produced so far back to the node pool.": "%n 個任務正在執行。HiveMind 可以等它們完成（期間不再接收新任務），或立即停止並將目前的成果送回節點池。",
    "Finish running tasks, then quit": "完成執行中的任務後結束",
    "Stop tasks and quit": "停止任務並結束",
    "Quit HiveMind": "結束 HiveMind",
    "Quitting HiveMind": "正在結束 HiveMind",
    "Stop them now and quit": "立即停止並結束",
    "Shutting down…": "正在關閉…",
    "Waiting for %n task(s) to finish; no new tasks are taken.": "正在等待 %n 個任務完成；不再接收新任務。",
    "Stopping %n task(s) and sending their results…": "正在停止 %n 個任務並傳送結果…",
}
