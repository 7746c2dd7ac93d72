# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for Windows and macOS behaviour: start at login, the tray, WireGuard."""

ZH_TW = {
    "Move HiveMind Desktop to the Applications folder and open it from there: from the disk image it cannot start at login.": "請將 HiveMind Desktop 移到「應用程式」資料夾並從那裡開啟：從磁碟映像檔執行時無法在登入時啟動。",
    "Show in folder": "在資料夾中顯示",
    "Copy path": "複製路徑",
    "No file manager could be opened. The config is saved at %1": "無法開啟檔案管理員。設定檔已儲存於 %1",
    "Path copied: in WireGuard's Import dialog, paste it as the file name (on a Mac, press Cmd+Shift+G first).": "已複製路徑：在 WireGuard 的匯入對話框中，將它貼到檔案名稱欄（Mac 上請先按 Cmd+Shift+G）。",
    "on %1: port %2 is taken by another program (on macOS often the AirPlay Receiver), so this one is used; `hivemind-desktop status` finds it": "於 %1：連接埠 %2 已被其他程式占用（在 macOS 上通常是 AirPlay 接收器），因此改用此連接埠；`hivemind-desktop status` 會找到它",
    "Task Manager > Startup apps": "工作管理員 > 啟動應用程式",
    "System Settings > General > Login Items": "系統設定 > 一般 > 登入項目",
    "your desktop's startup applications": "桌面環境的啟動應用程式",
    "Switched off in %1. Tick the box and Apply to turn it on.": "已在%1中關閉。勾選此方塊並按「套用」即可重新開啟。",
    "The start-at-login entry points to a program that no longer exists. Tick the box and Apply to point it to this one.": "登入時啟動的項目指向一個已不存在的程式。勾選此方塊並按「套用」即可改為指向此程式。",
}
