# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for Windows and macOS behaviour: start at login, the tray, WireGuard."""

ZH_TW = {
    "Move HiveMind Desktop to the Applications folder and open it from there: from the disk image it cannot start at login.": "請將 HiveMind Desktop 移到「應用程式」資料夾並從那裡開啟：從磁碟映像檔執行時無法在登入時啟動。",
}
