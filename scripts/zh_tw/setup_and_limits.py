# ruff: noqa: E501, RUF001 - the translation table reads best one entry a line
"""Refused tasks, notices, the session timeout, the Settings page's machine limits and the
setup wizard's sign-in, Docker and WireGuard pages (issue 9, defects 1-6)."""

ZH_TW = {
    # Refused tasks and notices
    "Refused": "已拒絕",
    "Task refused": "任務被拒絕",
    "Task %1 was refused: %2": "任務 %1 被拒絕：%2",
    "%1 did not work: %2": "%1失敗：%2",
    "Pausing": "暫停",
    "Resuming": "繼續",
    "Snoozing": "延後",
    "Resuming now": "立即繼續",
    "Stopping the task": "停止任務",
    "Signing in": "登入",
    "Signing out": "登出",
    "Ending the session": "結束工作階段",
    "Checking the password again": "重新確認密碼",
    "That": "此操作",
    # Session timeout
    "Your session ended after %1 hours: HiveMind takes no new tasks until you sign in again.": "您的工作階段已在 %1 小時後結束：在您重新登入之前，HiveMind 不會接收新任務。",
    "The node pool refused the remembered password: %1": "節點池拒絕了記住的密碼：%1",
    # Settings page
    "Node-pool address: write it with its port, as HOST:PORT, e.g. 10.0.0.1:50051.": "節點池位址：請連同連接埠寫成 HOST:PORT，例如 10.0.0.1:50051。",
    "%1: use %2.": "%1：請使用 %2。",
    "Memory": "記憶體",
    "Tasks at the same time": "同時執行的任務數",
    "Allowed days and hours": "允許的星期與時段",
    "Idle after no input for": "無輸入多久後視為閒置",
    "Suspend when other programs use more CPU than": "其他程式的 CPU 用量超過此值時暫停",
    "Use at most this much CPU time": "最多使用的 CPU 時間",
    "Keep at least this much memory free": "至少保留的可用記憶體",
    "Return a task suspended longer than": "任務暫停超過此時間即交回",
    "Language": "語言",
    "of 1 core on this computer; leaves %1 free": "本機共 1 核心；保留 %1 核心給您",
    "of %2 cores on this computer; leaves %1 free": "本機共 %2 核心；保留 %1 核心給您",
    "of %1 GiB on this computer": "本機共 %1 GiB",
    "each task gets its share of the cores": "每個任務分得一部分核心",
    "The saved settings ask for %1 cores and %2 GiB, more than this computer has: HiveMind lends at most what is shown. Apply to save it.": "已儲存的設定要求 %1 核心與 %2 GiB，超過本機所有：HiveMind 最多只出借這裡顯示的量。按「套用」即可儲存。",
    "More tasks at the same time (%1) than cores lent (%2): each task gets less than a core, or waits for one.": "同時執行的任務數（%1）多於出借的核心數（%2）：每個任務分得不到一個核心，或需等待。",
    # Wizard: summary and cancel
    "1 core": "1 個核心",
    "%1 cores": "%1 個核心",
    "1 task at a time": "一次 1 個任務",
    "up to %1 tasks at a time": "一次最多 %1 個任務",
    "Lent: %1, %2 GiB of memory, GPU %3, %4.": "出借：%1、%2 GiB 記憶體、GPU %3、%4。",
    "Quit the setup?": "要結束設定嗎？",
    "Quit the setup": "結束設定",
    "Continue the setup": "繼續設定",
    "What you changed here is not saved; your current settings stay.": "您在這裡所做的變更不會儲存；目前的設定維持不變。",
    "Nothing is saved and HiveMind does not contribute yet. The setup opens again the next time you start HiveMind.": "不會儲存任何設定，HiveMind 也還不會開始貢獻。下次啟動 HiveMind 時會再次開啟設定。",
    # Wizard: sign-in page
    "Write the node pool's address with its port, as HOST:PORT, e.g. 10.0.0.1:50051.": "請連同連接埠填寫節點池位址，格式為 HOST:PORT，例如 10.0.0.1:50051。",
    "Enter your username, your password and the node pool's address, then click Sign in. Next is available once you are signed in.": "請輸入使用者名稱、密碼與節點池位址，然後按「登入」。登入後即可按「下一步」。",
    "Correct the node pool's address to sign in.": "請更正節點池位址後再登入。",
    "Next is available once you are signed in, or once you tick Sign in later.": "登入後，或勾選「稍後登入」後，即可按「下一步」。",
    "Click Sign in; Next is available once you are signed in.": "請按「登入」；登入後即可按「下一步」。",
    # Wizard: Docker page
    "The task image %1 is not installed, so tasks that need it are refused. Get it with <code>docker pull %1</code> (or, from the HiveMind source folder, <code>scripts/build_task_images</code>), then click Check again.": "尚未安裝任務映像 %1，需要它的任務都會被拒絕。請執行 <code>docker pull %1</code> 取得（或在 HiveMind 原始碼資料夾中執行 <code>scripts/build_task_images</code>），然後按「再檢查一次」。",
    "The task images could not be looked up: %1": "無法查詢任務映像：%1",
    "The task image %1 is installed.": "任務映像 %1 已安裝。",
    # Wizard: WireGuard page
    "Your tunnel address: write the address HiveMind sent you, e.g. 10.0.0.2/24.": "您的通道位址：請填寫 HiveMind 寄給您的位址，例如 10.0.0.2/24。",
    "Node pool public key: this is not a WireGuard key (44 characters ending in '='). Copy it again from HiveMind's reply.": "節點池公開金鑰：這不是 WireGuard 金鑰（44 個字元，以「=」結尾）。請從 HiveMind 的回覆中重新複製。",
    "Node pool endpoint: write it as host:port, e.g. pool.example.org:51820.": "節點池端點：請寫成 host:port，例如 pool.example.org:51820。",
    "The config could not be made: %1": "無法產生設定：%1",
    "The node pool cannot reach this computer yet: no WireGuard tunnel is up. Activate the tunnel above; its address is then found by itself.": "節點池目前還無法連到這台電腦：沒有啟用中的 WireGuard 通道。請啟用上方的通道，系統便會自動找到其位址。",
}
