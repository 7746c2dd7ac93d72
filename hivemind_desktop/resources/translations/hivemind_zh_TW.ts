<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_TW">
  <context>
    <name>DashboardPage</name>
    <message>
      <source>This computer</source>
      <translation>這台電腦</translation>
    </message>
    <message>
      <source>Node ID:</source>
      <translation>節點 ID：</translation>
    </message>
    <message>
      <source>Account:</source>
      <translation>帳號：</translation>
    </message>
    <message>
      <source>Node pool:</source>
      <translation>節點池：</translation>
    </message>
    <message>
      <source>State:</source>
      <translation>狀態：</translation>
    </message>
    <message>
      <source>Trust score:</source>
      <translation>信任分數：</translation>
    </message>
    <message>
      <source>Balance:</source>
      <translation>餘額：</translation>
    </message>
    <message>
      <source>Tasks:</source>
      <translation>任務：</translation>
    </message>
    <message>
      <source>CPU and memory</source>
      <translation>CPU 與記憶體</translation>
    </message>
    <message>
      <source>CPU %</source>
      <translation>CPU %</translation>
    </message>
    <message>
      <source>Memory %</source>
      <translation>記憶體 %</translation>
    </message>
    <message>
      <source>GPU</source>
      <translation>GPU</translation>
    </message>
    <message>
      <source>GPU utilisation %</source>
      <translation>GPU 使用率 %</translation>
    </message>
    <message>
      <source>GPU memory %</source>
      <translation>GPU 記憶體 %</translation>
    </message>
    <message>
      <source>seconds ago (last 10 minutes)</source>
      <translation>秒前（最近 10 分鐘）</translation>
    </message>
    <message>
      <source>(set after sign-in)</source>
      <translation>（登入後設定）</translation>
    </message>
    <message>
      <source>Signed in as %1</source>
      <translation>已登入為 %1</translation>
    </message>
    <message>
      <source>Not signed in</source>
      <translation>尚未登入</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>未知</translation>
    </message>
    <message>
      <source>high</source>
      <translation>高</translation>
    </message>
    <message>
      <source>medium</source>
      <translation>中</translation>
    </message>
    <message>
      <source>low</source>
      <translation>低</translation>
    </message>
    <message>
      <source>%1 / 100 (%2 group)</source>
      <translation>%1 / 100（%2信任組）</translation>
    </message>
    <message>
      <source>%1 CPT</source>
      <translation>%1 CPT</translation>
    </message>
    <message>
      <source>%1 running, %2 completed, %3 failed or stopped</source>
      <translation>執行中 %1、已完成 %2、失敗或已停止 %3</translation>
    </message>
    <message>
      <source>No NVIDIA GPU found</source>
      <translation>找不到 NVIDIA GPU</translation>
    </message>
    <message>
      <source>Waiting for the first measurement…</source>
      <translation>正在等待第一次量測…</translation>
    </message>
  </context>
  <context>
    <name>DesktopApp</name>
    <message>
      <source>This desktop has no system tray: HiveMind keeps running in this window and the taskbar. Closing the window quits.</source>
      <translation>此桌面沒有系統匣：HiveMind 會在此視窗與工作列中繼續執行。關閉視窗即結束程式。</translation>
    </message>
    <message>
      <source>HiveMind could not start: %1</source>
      <translation>HiveMind 無法啟動：%1</translation>
    </message>
    <message>
      <source>Your session is over; please sign in again.</source>
      <translation>您的工作階段已結束，請重新登入。</translation>
    </message>
    <message>
      <source>Your password cannot be remembered: %1</source>
      <translation>無法記住您的密碼：%1</translation>
    </message>
    <message>
      <source>%1 failed: %2</source>
      <translation>%1 失敗：%2</translation>
    </message>
    <message>
      <source>Quit HiveMind</source>
      <translation>結束 HiveMind</translation>
    </message>
    <message numerus="yes">
      <source>%n task(s) are running. Quitting stops them and sends what they produced so far back to the node pool.</source>
      <translation>
        <numerusform>有 %n 個任務正在執行。結束程式會停止這些任務，並將目前的產出送回節點池。</numerusform>
      </translation>
    </message>
    <message>
      <source>Stop tasks and quit</source>
      <translation>停止任務並結束</translation>
    </message>
    <message>
      <source>Stopping tasks and shutting down…</source>
      <translation>正在停止任務並關閉…</translation>
    </message>
  </context>
  <context>
    <name>Keyring</name>
    <message>
      <source>no keyring service is running (start GNOME Keyring or KWallet, or use the macOS Keychain or Windows Credential Manager).</source>
      <translation>沒有執行中的金鑰圈服務（請啟動 GNOME Keyring 或 KWallet，或使用 macOS 鑰匙圈或 Windows 認證管理員）。</translation>
    </message>
    <message>
      <source>the keyring is locked (unlock it in your desktop session).</source>
      <translation>金鑰圈已鎖定（請在桌面工作階段中解鎖）。</translation>
    </message>
    <message>
      <source>the keyring did not answer.</source>
      <translation>金鑰圈沒有回應。</translation>
    </message>
  </context>
  <context>
    <name>LogsPage</name>
    <message>
      <source>All levels</source>
      <translation>所有層級</translation>
    </message>
    <message>
      <source>Info and above</source>
      <translation>資訊及以上</translation>
    </message>
    <message>
      <source>Warnings and errors</source>
      <translation>警告與錯誤</translation>
    </message>
    <message>
      <source>Errors only</source>
      <translation>僅錯誤</translation>
    </message>
    <message>
      <source>Search the log</source>
      <translation>搜尋記錄</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>複製</translation>
    </message>
    <message>
      <source>Copy the lines shown to the clipboard</source>
      <translation>將顯示的記錄複製到剪貼簿</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>HiveMind Desktop</source>
      <translation>HiveMind 桌面版</translation>
    </message>
    <message>
      <source>Dashboard</source>
      <translation>儀表板</translation>
    </message>
    <message>
      <source>Tasks</source>
      <translation>任務</translation>
    </message>
    <message>
      <source>Monitor</source>
      <translation>監控</translation>
    </message>
    <message>
      <source>Logs</source>
      <translation>記錄</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>設定</translation>
    </message>
    <message>
      <source>Signed in as %1</source>
      <translation>已登入為 %1</translation>
    </message>
    <message>
      <source>Sign out</source>
      <translation>登出</translation>
    </message>
    <message>
      <source>Not signed in</source>
      <translation>尚未登入</translation>
    </message>
    <message>
      <source>Sign in…</source>
      <translation>登入…</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>繼續</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>暫停</translation>
    </message>
  </context>
  <context>
    <name>MonitorPage</name>
    <message>
      <source>This computer</source>
      <translation>這台電腦</translation>
    </message>
    <message>
      <source>CPU in use:</source>
      <translation>CPU 使用中：</translation>
    </message>
    <message>
      <source>Memory in use:</source>
      <translation>記憶體使用中：</translation>
    </message>
    <message>
      <source>Free disk space:</source>
      <translation>可用磁碟空間：</translation>
    </message>
    <message>
      <source>Connections</source>
      <translation>連線</translation>
    </message>
    <message>
      <source>Docker engine:</source>
      <translation>Docker 引擎：</translation>
    </message>
    <message>
      <source>Node pool:</source>
      <translation>節點池：</translation>
    </message>
    <message>
      <source>VPN:</source>
      <translation>VPN：</translation>
    </message>
    <message>
      <source>All health checks</source>
      <translation>所有健康檢查</translation>
    </message>
    <message>
      <source>waiting for the first measurement…</source>
      <translation>正在等待第一次量測…</translation>
    </message>
    <message>
      <source>%1 GiB (%2 %)</source>
      <translation>%1 GiB（%2 %）</translation>
    </message>
    <message>
      <source>%1 GiB free</source>
      <translation>可用 %1 GiB</translation>
    </message>
    <message>
      <source>not checked yet</source>
      <translation>尚未檢查</translation>
    </message>
    <message>
      <source>running, version %1</source>
      <translation>執行中，版本 %1</translation>
    </message>
    <message>
      <source>not available: %1</source>
      <translation>無法使用：%1</translation>
    </message>
    <message>
      <source>reachable</source>
      <translation>可連線</translation>
    </message>
    <message>
      <source>round trip %1 ms</source>
      <translation>往返 %1 毫秒</translation>
    </message>
    <message>
      <source>unreachable: %1</source>
      <translation>無法連線：%1</translation>
    </message>
    <message>
      <source>interface %1, address %2</source>
      <translation>介面 %1，位址 %2</translation>
    </message>
    <message>
      <source>no VPN interface: %1</source>
      <translation>沒有 VPN 介面：%1</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>problem</source>
      <translation>有問題</translation>
    </message>
  </context>
  <context>
    <name>Notifier</name>
    <message>
      <source>exit code %1</source>
      <translation>結束代碼 %1</translation>
    </message>
    <message>
      <source>Task failed</source>
      <translation>任務失敗</translation>
    </message>
    <message>
      <source>Task %1 failed: %2</source>
      <translation>任務 %1 失敗：%2</translation>
    </message>
    <message>
      <source>Node pool is back</source>
      <translation>節點池已恢復連線</translation>
    </message>
    <message>
      <source>HiveMind is connected again.</source>
      <translation>HiveMind 已重新連線。</translation>
    </message>
    <message>
      <source>Node pool lost</source>
      <translation>與節點池的連線中斷</translation>
    </message>
    <message>
      <source>HiveMind cannot reach the node pool; it keeps trying.</source>
      <translation>HiveMind 無法連上節點池，將持續重試。</translation>
    </message>
  </context>
  <context>
    <name>PoolState</name>
    <message>
      <source>Connected</source>
      <translation>已連線</translation>
    </message>
    <message>
      <source>Unreachable, retrying</source>
      <translation>無法連線，重試中</translation>
    </message>
    <message>
      <source>Sign-in refused</source>
      <translation>登入遭拒</translation>
    </message>
    <message>
      <source>Not signed in</source>
      <translation>尚未登入</translation>
    </message>
  </context>
  <context>
    <name>SettingsPage</name>
    <message>
      <source>Share NVIDIA GPUs</source>
      <translation>分享 NVIDIA GPU</translation>
    </message>
    <message>
      <source>System language</source>
      <translation>系統語言</translation>
    </message>
    <message>
      <source>Start HiveMind when I log in</source>
      <translation>登入時啟動 HiveMind</translation>
    </message>
    <message>
      <source>Apply</source>
      <translation>套用</translation>
    </message>
    <message>
      <source>Revert</source>
      <translation>還原</translation>
    </message>
    <message>
      <source>What this computer lends</source>
      <translation>這台電腦分享的資源</translation>
    </message>
    <message>
      <source>CPU cores:</source>
      <translation>CPU 核心數：</translation>
    </message>
    <message>
      <source>Memory (GiB):</source>
      <translation>記憶體（GiB）：</translation>
    </message>
    <message>
      <source>Tasks at the same time:</source>
      <translation>同時執行的任務數：</translation>
    </message>
    <message>
      <source>General</source>
      <translation>一般</translation>
    </message>
    <message>
      <source>Node-pool address:</source>
      <translation>節點池位址：</translation>
    </message>
    <message>
      <source>Language:</source>
      <translation>語言：</translation>
    </message>
    <message>
      <source>Not saved: %1</source>
      <translation>未儲存：%1</translation>
    </message>
    <message>
      <source>Applying…</source>
      <translation>套用中…</translation>
    </message>
    <message>
      <source>Applied and saved; no restart needed.</source>
      <translation>已套用並儲存，無須重新啟動。</translation>
    </message>
    <message>
      <source>Not applied: %1</source>
      <translation>未套用：%1</translation>
    </message>
  </context>
  <context>
    <name>SignInDialog</name>
    <message>
      <source>Sign in to HiveMind</source>
      <translation>登入 HiveMind</translation>
    </message>
    <message>
      <source>Sign in with your HiveMind account to start contributing.</source>
      <translation>請以您的 HiveMind 帳號登入以開始貢獻。</translation>
    </message>
    <message>
      <source>Remember me on this computer</source>
      <translation>在這台電腦上記住我</translation>
    </message>
    <message>
      <source>Sign in</source>
      <translation>登入</translation>
    </message>
    <message>
      <source>Not now</source>
      <translation>稍後再說</translation>
    </message>
    <message>
      <source>Username:</source>
      <translation>使用者名稱：</translation>
    </message>
    <message>
      <source>Password:</source>
      <translation>密碼：</translation>
    </message>
    <message>
      <source>Your password cannot be remembered: %1 You will be asked to sign in each time.</source>
      <translation>無法記住您的密碼：%1 每次都需要重新登入。</translation>
    </message>
    <message>
      <source>Signing in…</source>
      <translation>登入中…</translation>
    </message>
    <message>
      <source>Sign-in failed: %1</source>
      <translation>登入失敗：%1</translation>
    </message>
  </context>
  <context>
    <name>State</name>
    <message>
      <source>Contributing</source>
      <translation>貢獻中</translation>
    </message>
    <message>
      <source>Idle, waiting for tasks</source>
      <translation>閒置，等待任務</translation>
    </message>
    <message>
      <source>Paused</source>
      <translation>已暫停</translation>
    </message>
    <message>
      <source>Not connected to the node pool</source>
      <translation>未連線到節點池</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>錯誤</translation>
    </message>
    <message>
      <source>Starting</source>
      <translation>啟動中</translation>
    </message>
    <message>
      <source>Stopping</source>
      <translation>停止中</translation>
    </message>
  </context>
  <context>
    <name>TaskState</name>
    <message>
      <source>Received</source>
      <translation>已接收</translation>
    </message>
    <message>
      <source>Admitted</source>
      <translation>已接受</translation>
    </message>
    <message>
      <source>Preparing</source>
      <translation>準備中</translation>
    </message>
    <message>
      <source>Running</source>
      <translation>執行中</translation>
    </message>
    <message>
      <source>Uploading</source>
      <translation>上傳中</translation>
    </message>
    <message>
      <source>Completed</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>失敗</translation>
    </message>
    <message>
      <source>Stopped</source>
      <translation>已停止</translation>
    </message>
  </context>
  <context>
    <name>TasksPage</name>
    <message>
      <source>Task</source>
      <translation>任務</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>狀態</translation>
    </message>
    <message>
      <source>Started</source>
      <translation>開始時間</translation>
    </message>
    <message>
      <source>Elapsed</source>
      <translation>經過時間</translation>
    </message>
    <message>
      <source>CPU cores</source>
      <translation>CPU 核心</translation>
    </message>
    <message>
      <source>Memory GiB</source>
      <translation>記憶體 GiB</translation>
    </message>
    <message>
      <source>GPUs</source>
      <translation>GPU 數</translation>
    </message>
    <message>
      <source>Exit code</source>
      <translation>結束代碼</translation>
    </message>
    <message>
      <source>Select a task to see its details and console output.</source>
      <translation>選取任務以查看詳細資料與主控台輸出。</translation>
    </message>
    <message>
      <source>No console output yet.</source>
      <translation>尚無主控台輸出。</translation>
    </message>
    <message>
      <source>Stop task…</source>
      <translation>停止任務…</translation>
    </message>
    <message>
      <source>%1 (paused)</source>
      <translation>%1（已暫停）</translation>
    </message>
    <message>
      <source>Task %1: %2</source>
      <translation>任務 %1：%2</translation>
    </message>
    <message>
      <source>Container: %1</source>
      <translation>容器：%1</translation>
    </message>
    <message>
      <source>Stop task</source>
      <translation>停止任務</translation>
    </message>
    <message>
      <source>Stop task %1? What it produced so far goes back to the node pool.</source>
      <translation>要停止任務 %1 嗎？目前的產出會送回節點池。</translation>
    </message>
  </context>
  <context>
    <name>Tray</name>
    <message>
      <source>Open HiveMind</source>
      <translation>開啟 HiveMind</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>結束</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>繼續</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>暫停</translation>
    </message>
    <message>
      <source>HiveMind: %1</source>
      <translation>HiveMind：%1</translation>
    </message>
    <message>
      <source>Running tasks: %1</source>
      <translation>執行中的任務：%1</translation>
    </message>
    <message>
      <source>Node pool: %1</source>
      <translation>節點池：%1</translation>
    </message>
  </context>
</TS>