# ruff: noqa: E501 - the translation table reads best one entry a line
"""Refresh the app's translations: extract strings, fill zh_TW, compile .qm.

Run: .venv/bin/python scripts/update_translations.py
1. pyside6-lupdate collects every tr()/translate() string of hivemind_desktop/gui into
   resources/translations/hivemind_zh_TW.ts, the source translators edit (existing
   translations are kept);
2. strings still unfinished get their Traditional Chinese text from ZH_TW below;
3. scripts/build_resources.py compiles the .qm that the app loads into
   hivemind_desktop/resources/translations/.
Exits 1 and names them when a string has no translation (add it to ZH_TW).
Both the .ts and the .qm are committed, so the app needs no build step.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import build_resources  # scripts/ is on sys.path when this file runs as a script

REPO = Path(__file__).resolve().parent.parent
GUI = REPO / "hivemind_desktop" / "gui"
TS = REPO / "resources" / "translations" / "hivemind_zh_TW.ts"
BIN = Path(sys.executable).parent

ZH_TW = {
    "This computer": "這台電腦",
    "Node ID:": "節點 ID：",
    "Account:": "帳號：",
    "Node pool:": "節點池：",
    "State:": "狀態：",
    "Trust score:": "信任分數：",
    "Balance:": "餘額：",
    "Tasks:": "任務：",
    "CPU and memory": "CPU 與記憶體",
    "CPU %": "CPU %",
    "Memory %": "記憶體 %",
    "GPU": "GPU",
    "GPU utilisation %": "GPU 使用率 %",
    "GPU memory %": "GPU 記憶體 %",
    "seconds ago (last 10 minutes)": "秒前（最近 10 分鐘）",
    "(set after sign-in)": "（登入後設定）",
    "Signed in as %1": "已登入為 %1",
    "Not signed in": "尚未登入",
    "unknown": "未知",
    "high": "高",
    "medium": "中",
    "low": "低",
    "%1 / 100 (%2 group)": "%1 / 100（%2信任組）",
    "%1 CPT": "%1 CPT",
    "%1 running, %2 completed, %3 failed or stopped": "執行中 %1、已完成 %2、失敗或已停止 %3",
    "No NVIDIA GPU found": "找不到 NVIDIA GPU",
    "Waiting for the first measurement…": "正在等待第一次量測…",
    "This desktop has no system tray: HiveMind keeps running in this window and the "
    "taskbar. Closing the window quits.": "此桌面沒有系統匣：HiveMind 會在此視窗與工作列中繼續執行。"
    "關閉視窗即結束程式。",
    "HiveMind could not start: %1": "HiveMind 無法啟動：%1",
    "Your session is over; please sign in again.": "您的工作階段已結束，請重新登入。",
    "Your password cannot be remembered: %1": "無法記住您的密碼：%1",
    "%1 failed: %2": "%1 失敗：%2",
    "Quit HiveMind": "結束 HiveMind",
    "%n task(s) are running. Quitting stops them and sends what they produced so far back "
    "to the node pool.": "有 %n 個任務正在執行。結束程式會停止這些任務，並將目前的產出送回節點池。",
    "Stop tasks and quit": "停止任務並結束",
    "Stopping tasks and shutting down…": "正在停止任務並關閉…",
    "no keyring service is running (start GNOME Keyring or KWallet, or use the macOS "
    "Keychain or Windows Credential Manager).": "沒有執行中的金鑰圈服務（請啟動 GNOME Keyring 或 "
    "KWallet，或使用 macOS 鑰匙圈或 Windows 認證管理員）。",
    "the keyring is locked (unlock it in your desktop session).": "金鑰圈已鎖定（請在桌面工作階段中解鎖）。",
    "the keyring did not answer.": "金鑰圈沒有回應。",
    "All levels": "所有層級",
    "Info and above": "資訊及以上",
    "Warnings and errors": "警告與錯誤",
    "Errors only": "僅錯誤",
    "Search the log": "搜尋記錄",
    "Copy": "複製",
    "Copy the lines shown to the clipboard": "將顯示的記錄複製到剪貼簿",
    "HiveMind Desktop": "HiveMind 桌面版",
    "Dashboard": "儀表板",
    "Tasks": "任務",
    "Monitor": "監控",
    "Logs": "記錄",
    "Settings": "設定",
    "Sign out": "登出",
    "Sign in…": "登入…",
    "Resume": "繼續",
    "Pause": "暫停",
    "CPU in use:": "CPU 使用中：",
    "Memory in use:": "記憶體使用中：",
    "Free disk space:": "可用磁碟空間：",
    "Connections": "連線",
    "Docker engine:": "Docker 引擎：",
    "VPN:": "VPN：",
    "All health checks": "所有健康檢查",
    "waiting for the first measurement…": "正在等待第一次量測…",
    "%1 GiB (%2 %)": "%1 GiB（%2 %）",
    "%1 GiB free": "可用 %1 GiB",
    "not checked yet": "尚未檢查",
    "running, version %1": "執行中，版本 %1",
    "not available: %1": "無法使用：%1",
    "reachable": "可連線",
    "round trip %1 ms": "往返 %1 毫秒",
    "unreachable: %1": "無法連線：%1",
    "interface %1, address %2": "介面 %1，位址 %2",
    "no VPN interface: %1": "沒有 VPN 介面：%1",
    "Local status API:": "本機狀態 API：",
    "turned off (FLASK_PORT=0)": "已關閉（FLASK_PORT=0）",
    "on %1": "已開啟：%1",
    "off: %1": "已關閉：%1",
    "OK": "正常",
    "problem": "有問題",
    "exit code %1": "結束代碼 %1",
    "Task failed": "任務失敗",
    "Task %1 failed: %2": "任務 %1 失敗：%2",
    "Node pool is back": "節點池已恢復連線",
    "HiveMind is connected again.": "HiveMind 已重新連線。",
    "Node pool lost": "與節點池的連線中斷",
    "HiveMind cannot reach the node pool; it keeps trying.": "HiveMind 無法連上節點池，將持續重試。",
    "Connected": "已連線",
    "Unreachable, retrying": "無法連線，重試中",
    "Sign-in refused": "登入遭拒",
    "Share NVIDIA GPUs": "分享 NVIDIA GPU",
    "System language": "系統語言",
    "Start HiveMind when I log in": "登入時啟動 HiveMind",
    "Apply": "套用",
    "Revert": "還原",
    "Run setup again…": "重新執行設定精靈…",
    "The system tray is here now: closing this window keeps HiveMind running.": "系統匣已可使用：關閉此視窗後 HiveMind 會繼續執行。",
    "What this computer lends": "這台電腦分享的資源",
    "CPU cores:": "CPU 核心數：",
    "Memory (GiB):": "記憶體（GiB）：",
    "Tasks at the same time:": "同時執行的任務數：",
    "General": "一般",
    "Node-pool address:": "節點池位址：",
    "Language:": "語言：",
    "Not saved: %1": "未儲存：%1",
    "Applying…": "套用中…",
    "Applied and saved; no restart needed.": "已套用並儲存，無須重新啟動。",
    "Not applied: %1": "未套用：%1",
    "Sign in to HiveMind": "登入 HiveMind",
    "Sign in with your HiveMind account to start contributing.": "請以您的 HiveMind 帳號登入以開始貢獻。",
    "Remember me on this computer": "在這台電腦上記住我",
    "Sign in": "登入",
    "Not now": "稍後再說",
    "Username:": "使用者名稱：",
    "Password:": "密碼：",
    "Your password cannot be remembered: %1 You will be asked to sign in each time.": "無法記住您的"
    "密碼：%1 每次都需要重新登入。",
    "Signing in…": "登入中…",
    "Sign-in failed: %1": "登入失敗：%1",
    "Contributing": "貢獻中",
    "Idle, waiting for tasks": "閒置，等待任務",
    "Paused": "已暫停",
    "Not connected to the node pool": "未連線到節點池",
    "Error": "錯誤",
    "Starting": "啟動中",
    "Stopping": "停止中",
    "Received": "已接收",
    "Admitted": "已接受",
    "Preparing": "準備中",
    "Running": "執行中",
    "Uploading": "上傳中",
    "Completed": "已完成",
    "Failed": "失敗",
    "Stopped": "已停止",
    "Task": "任務",
    "Status": "狀態",
    "Started": "開始時間",
    "Elapsed": "經過時間",
    "CPU cores": "CPU 核心",
    "Memory GiB": "記憶體 GiB",
    "GPUs": "GPU 數",
    "Exit code": "結束代碼",
    "Select a task to see its details and console output.": "選取任務以查看詳細資料與主控台輸出。",
    "No console output yet.": "尚無主控台輸出。",
    "Stop task…": "停止任務…",
    "%1 (paused)": "%1（已暫停）",
    "Task %1: %2": "任務 %1：%2",
    "Container: %1": "容器：%1",
    "Stop task": "停止任務",
    "Stop task %1? What it produced so far goes back to the node pool.": "要停止任務 %1 嗎？"
    "目前的產出會送回節點池。",
    "Open HiveMind": "開啟 HiveMind",
    "Quit": "結束",
    "HiveMind: %1": "HiveMind：%1",
    "Running tasks: %1": "執行中的任務：%1",
    "Node pool: %1": "節點池：%1",
    # When to contribute (issue 12): states with their reason, tray snooze, Settings, wizard
    "Waiting": "等待中",
    "Snoozed": "已延後",
    "Snoozed until %1": "已延後至 %1",
    "%1: %2": "%1：%2",
    "computer in use": "電腦使用中",
    "on battery": "使用電池中",
    "outside your schedule": "不在您設定的時段內",
    "less than %1 GiB memory free": "可用記憶體不足 %1 GiB",
    "other programs use %1 % of the CPU": "其他程式使用了 %1 % 的 CPU",
    "Snooze for 1 hour": "延後 1 小時",
    "Snooze until tomorrow": "延後到明天",
    "Resume now": "立即繼續",
    "Input idle time from:": "輸入閒置時間來源：",
    "Battery state from:": "電池狀態來源：",
    "Run tasks at the lowest CPU priority": "以最低 CPU 優先順序執行任務",
    "Your own programs always come first.": "您自己的程式永遠優先。",
    "Suspend while the computer is in use": "電腦使用中時暫停",
    " min": " 分鐘",
    " GiB": " GiB",
    "The computer counts as idle after this long without keyboard or mouse input.": "鍵盤與滑鼠在這段時間內都沒有輸入，電腦即視為閒置。",
    "Suspend GPU tasks while the computer is in use": "電腦使用中時暫停 GPU 任務",
    "Suspend on battery power": "使用電池時暫停",
    "off": "關閉",
    "Measured without the tasks' own use; 0 turns it off.": "不計任務本身的用量；0 表示關閉。",
    "A task suspended longer than this is stopped and returned to the node pool.": "暫停超過此時間的任務會被停止並交回節點池。",
    "e.g. mon-fri 18:00-08:00; sat,sun": "例如 mon-fri 18:00-08:00; sat,sun",
    "Days (mon … sun, ranges like mon-fri) with optional hours HH:MM-HH:MM; parts separated by ';'. Empty: any time.": "星期（mon … sun，可用 mon-fri 這類範圍），可加上時段 HH:MM-HH:MM；各部分以「;」分隔。留空：任何時間。",
    "When to contribute": "何時貢獻",
    "Idle after no input for:": "無輸入多久後視為閒置：",
    "Suspend when other programs use more CPU than:": "其他程式的 CPU 用量超過此值時暫停：",
    "Allowed days and hours (empty: any time):": "允許的星期與時段（留空：任何時間）：",
    "Use at most this much CPU time:": "最多使用的 CPU 時間：",
    "Keep at least this much memory free:": "至少保留的可用記憶體：",
    "Return a task suspended longer than:": "任務暫停超過此時間即交回：",
    "Suspend while I use the computer": "我使用電腦時暫停",
    "yes": "是",
    "no": "否",
    "Waits while the computer is in use: %1; on battery: %2. CPU time: at most %3 %.": "電腦使用中時等待：%1；使用電池時等待：%2。CPU 時間：最多 %3 %。",
}


def fill(ts: Path) -> list[str]:
    """Give unfinished messages their ZH_TW text; returns the sources still missing."""
    tree = ET.parse(ts)  # noqa: S314 - our own committed file
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation.get("type") == "vanished":
            continue
        text = ZH_TW.get(source)
        if text is None:
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                missing.append(source)
            continue
        if message.get("numerus") == "yes":
            for form in list(translation):
                translation.remove(form)
            ET.SubElement(translation, "numerusform").text = text
        else:
            translation.text = text
        translation.attrib.pop("type", None)
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return missing


def main() -> int:
    sources = sorted(str(p) for p in GUI.rglob("*.py"))
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *sources,
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            "zh_TW",
            "-ts",
            str(TS),
        ],
        check=True,
    )
    missing = fill(TS)
    build_resources.main([])  # the .qm (and the icons) into the package
    if missing:
        print("untranslated (add to ZH_TW):", *missing, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
