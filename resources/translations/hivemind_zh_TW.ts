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
      <source>The system tray is here now: closing this window keeps HiveMind running.</source>
      <translation>系統匣已可使用：關閉此視窗後 HiveMind 會繼續執行。</translation>
    </message>
    <message>
      <source>HiveMind could not start: %1</source>
      <translation>HiveMind 無法啟動：%1</translation>
    </message>
    <message>
      <source>HiveMind Desktop</source>
      <translation>HiveMind 桌面版</translation>
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
    <name>Isolation</name>
    <message>
      <source>gVisor</source>
      <translation>gVisor</translation>
    </message>
    <message>
      <source>gVisor sandbox: the task runs on its own kernel</source>
      <translation>gVisor 沙箱：任務在自己的核心上執行</translation>
    </message>
    <message>
      <source>runc</source>
      <translation>runc</translation>
    </message>
    <message>
      <source>runc container: the task shares this computer's kernel</source>
      <translation>runc 容器：任務與這台電腦共用核心</translation>
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
      <source>Input idle time from:</source>
      <translation>輸入閒置時間來源：</translation>
    </message>
    <message>
      <source>Battery state from:</source>
      <translation>電池狀態來源：</translation>
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
      <source>Task isolation:</source>
      <translation>任務隔離：</translation>
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
      <source>Local status API:</source>
      <translation>本機狀態 API：</translation>
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
    <message>
      <source>No task can run: the settings require gVisor, which Docker does not have. Install it: %1</source>
      <translation>無法執行任何任務：設定要求使用 gVisor，但 Docker 沒有安裝它。請安裝：%1</translation>
    </message>
    <message>
      <source>For a stronger sandbox, install gVisor: %1</source>
      <translation>如需更強的沙箱，請安裝 gVisor：%1</translation>
    </message>
    <message>
      <source>unknown until Docker runs</source>
      <translation>Docker 執行後才會知道</translation>
    </message>
    <message>
      <source>turned off (FLASK_PORT=0)</source>
      <translation>已關閉（FLASK_PORT=0）</translation>
    </message>
    <message>
      <source>on %1</source>
      <translation>已開啟：%1</translation>
    </message>
    <message>
      <source>off: %1</source>
      <translation>已關閉：%1</translation>
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
      <source>Run tasks at the lowest CPU priority</source>
      <translation>以最低 CPU 優先順序執行任務</translation>
    </message>
    <message>
      <source>Your own programs always come first.</source>
      <translation>您自己的程式永遠優先。</translation>
    </message>
    <message>
      <source>Suspend while the computer is in use</source>
      <translation>電腦使用中時暫停</translation>
    </message>
    <message>
      <source> min</source>
      <translation> 分鐘</translation>
    </message>
    <message>
      <source>The computer counts as idle after this long without keyboard or mouse input.</source>
      <translation>鍵盤與滑鼠在這段時間內都沒有輸入，電腦即視為閒置。</translation>
    </message>
    <message>
      <source>Suspend GPU tasks while the computer is in use</source>
      <translation>電腦使用中時暫停 GPU 任務</translation>
    </message>
    <message>
      <source>Suspend on battery power</source>
      <translation>使用電池時暫停</translation>
    </message>
    <message>
      <source>off</source>
      <translation>關閉</translation>
    </message>
    <message>
      <source>Measured without the tasks' own use; 0 turns it off.</source>
      <translation>不計任務本身的用量；0 表示關閉。</translation>
    </message>
    <message>
      <source> GiB</source>
      <translation> GiB</translation>
    </message>
    <message>
      <source>A task suspended longer than this is stopped and returned to the node pool.</source>
      <translation>暫停超過此時間的任務會被停止並交回節點池。</translation>
    </message>
    <message>
      <source>e.g. mon-fri 18:00-08:00; sat,sun</source>
      <translation>例如 mon-fri 18:00-08:00; sat,sun</translation>
    </message>
    <message>
      <source>Days (mon … sun, ranges like mon-fri) with optional hours HH:MM-HH:MM; parts separated by ';'. Empty: any time.</source>
      <translation>星期（mon … sun，可用 mon-fri 這類範圍），可加上時段 HH:MM-HH:MM；各部分以「;」分隔。留空：任何時間。</translation>
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
      <source>Run setup again…</source>
      <translation>重新執行設定精靈…</translation>
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
      <source>When to contribute</source>
      <translation>何時貢獻</translation>
    </message>
    <message>
      <source>Idle after no input for:</source>
      <translation>無輸入多久後視為閒置：</translation>
    </message>
    <message>
      <source>Suspend when other programs use more CPU than:</source>
      <translation>其他程式的 CPU 用量超過此值時暫停：</translation>
    </message>
    <message>
      <source>Allowed days and hours (empty: any time):</source>
      <translation>允許的星期與時段（留空：任何時間）：</translation>
    </message>
    <message>
      <source>Use at most this much CPU time:</source>
      <translation>最多使用的 CPU 時間：</translation>
    </message>
    <message>
      <source>Keep at least this much memory free:</source>
      <translation>至少保留的可用記憶體：</translation>
    </message>
    <message>
      <source>Return a task suspended longer than:</source>
      <translation>任務暫停超過此時間即交回：</translation>
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
    <name>SetupWizard</name>
    <message>
      <source>Set up HiveMind</source>
      <translation>設定 HiveMind</translation>
    </message>
    <message>
      <source>&lt; Back</source>
      <translation>&lt; 上一步</translation>
    </message>
    <message>
      <source>Next &gt;</source>
      <translation>下一步 &gt;</translation>
    </message>
    <message>
      <source>Finish</source>
      <translation>完成</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Account: %1, signed in.</source>
      <translation>帳號：%1，已登入。</translation>
    </message>
    <message>
      <source>Account: %1, signs in as soon as the node pool at %2 answers.</source>
      <translation>帳號：%1，位於 %2 的節點池一回應就會登入。</translation>
    </message>
    <message>
      <source>Password remembered in the system keyring.</source>
      <translation>密碼已記在系統金鑰圈中。</translation>
    </message>
    <message>
      <source>Password not remembered: HiveMind asks for it when it starts.</source>
      <translation>未記住密碼：HiveMind 啟動時會詢問密碼。</translation>
    </message>
    <message>
      <source>Docker: running.</source>
      <translation>Docker：執行中。</translation>
    </message>
    <message>
      <source>Docker: skipped. No tasks run until Docker works.</source>
      <translation>Docker：已略過。在 Docker 可用之前不會執行任何任務。</translation>
    </message>
    <message>
      <source>WireGuard: up; the node pool reaches this computer at %1.</source>
      <translation>WireGuard：已啟用；節點池會透過 %1 連到這台電腦。</translation>
    </message>
    <message>
      <source>WireGuard: skipped. The node pool cannot send tasks until the tunnel works.</source>
      <translation>WireGuard：已略過。在通道可用之前，節點池無法傳送任務。</translation>
    </message>
    <message>
      <source>Tunnel config saved to %1.</source>
      <translation>通道設定已儲存至 %1。</translation>
    </message>
    <message>
      <source>Lent: %1 cores, %2 GiB of memory, GPU %3, up to %4 tasks at a time.</source>
      <translation>出借：%1 個核心、%2 GiB 記憶體、GPU %3，最多同時 %4 個任務。</translation>
    </message>
    <message>
      <source>shared</source>
      <translation>分享</translation>
    </message>
    <message>
      <source>not shared</source>
      <translation>不分享</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <source>Waits while the computer is in use: %1; on battery: %2. CPU time: at most %3 %.</source>
      <translation>電腦使用中時等待：%1；使用電池時等待：%2。CPU 時間：最多 %3 %。</translation>
    </message>
    <message>
      <source>The settings could not be saved: %1</source>
      <translation>無法儲存設定：%1</translation>
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
      <source>Not signed in</source>
      <translation>尚未登入</translation>
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
    <message>
      <source>Waiting</source>
      <translation>等待中</translation>
    </message>
    <message>
      <source>Snoozed</source>
      <translation>已延後</translation>
    </message>
    <message>
      <source>Snoozed until %1</source>
      <translation>已延後至 %1</translation>
    </message>
    <message>
      <source>%1: %2</source>
      <translation>%1：%2</translation>
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
      <source>Isolation</source>
      <translation>隔離方式</translation>
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
      <source>Isolation: %1</source>
      <translation>隔離方式：%1</translation>
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
      <source>Snooze for 1 hour</source>
      <translation>延後 1 小時</translation>
    </message>
    <message>
      <source>Snooze until tomorrow</source>
      <translation>延後到明天</translation>
    </message>
    <message>
      <source>Resume now</source>
      <translation>立即繼續</translation>
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
  <context>
    <name>WaitReason</name>
    <message>
      <source>computer in use</source>
      <translation>電腦使用中</translation>
    </message>
    <message>
      <source>on battery</source>
      <translation>使用電池中</translation>
    </message>
    <message>
      <source>outside your schedule</source>
      <translation>不在您設定的時段內</translation>
    </message>
    <message>
      <source>less than %1 GiB memory free</source>
      <translation>可用記憶體不足 %1 GiB</translation>
    </message>
    <message>
      <source>other programs use %1 % of the CPU</source>
      <translation>其他程式使用了 %1 % 的 CPU</translation>
    </message>
  </context>
  <context>
    <name>WizardDockerPage</name>
    <message>
      <source>Looking for Docker…</source>
      <translation>正在尋找 Docker…</translation>
    </message>
    <message>
      <source>Docker is running (version %1). Tasks can run on this computer.</source>
      <translation>Docker 執行中（版本 %1）。這台電腦可以執行任務。</translation>
    </message>
    <message>
      <source>Docker is not available: %1</source>
      <translation>無法使用 Docker：%1</translation>
    </message>
    <message>
      <source>Tasks run in gVisor, a sandbox with its own kernel: code from other people never talks to this computer's kernel directly.</source>
      <translation>任務在 gVisor 中執行，這是擁有自己核心的沙箱：他人撰寫的程式碼不會直接接觸這台電腦的核心。</translation>
    </message>
    <message>
      <source>Recommended: also install gVisor, a sandbox that gives each task its own kernel (tasks start about 0.2 s slower): %1</source>
      <translation>建議：另外安裝 gVisor，這個沙箱讓每個任務擁有自己的核心（任務啟動約慢 0.2 秒）：%1</translation>
    </message>
    <message>
      <source>Install Docker Desktop for Windows from %1 (it needs WSL 2, which its installer sets up).</source>
      <translation>從 %1 安裝 Windows 版 Docker Desktop（需要 WSL 2，安裝程式會自動設定）。</translation>
    </message>
    <message>
      <source>Start Docker Desktop from the Start menu and wait until it says 'Engine running'.</source>
      <translation>從「開始」功能表啟動 Docker Desktop，等到它顯示「Engine running」。</translation>
    </message>
    <message>
      <source>Install Docker Desktop for Mac from %1.</source>
      <translation>從 %1 安裝 Mac 版 Docker Desktop。</translation>
    </message>
    <message>
      <source>Open Docker from the Applications folder and wait until the whale icon in the menu bar stops moving.</source>
      <translation>從「應用程式」資料夾開啟 Docker，等到選單列上的鯨魚圖示停止移動。</translation>
    </message>
    <message>
      <source>Install the Docker engine with your distribution's package manager, e.g. &lt;code&gt;sudo apt install docker.io&lt;/code&gt;.</source>
      <translation>用您發行版的套件管理員安裝 Docker 引擎，例如 &lt;code&gt;sudo apt install docker.io&lt;/code&gt;。</translation>
    </message>
    <message>
      <source>Start the engine service and have it start at boot: &lt;code&gt;sudo systemctl enable --now docker&lt;/code&gt;.</source>
      <translation>啟動引擎服務並設定開機時啟動：&lt;code&gt;sudo systemctl enable --now docker&lt;/code&gt;。</translation>
    </message>
    <message>
      <source>Your account is not allowed to use Docker: add it to the &lt;code&gt;docker&lt;/code&gt; group with &lt;code&gt;sudo usermod -aG docker $USER&lt;/code&gt;, then log out and back in.</source>
      <translation>您的帳號沒有使用 Docker 的權限：用 &lt;code&gt;sudo usermod -aG docker $USER&lt;/code&gt; 把它加入 &lt;code&gt;docker&lt;/code&gt; 群組，然後登出再登入。</translation>
    </message>
    <message>
      <source>Then click Check again.</source>
      <translation>然後按「再檢查一次」。</translation>
    </message>
    <message>
      <source>Docker</source>
      <translation>Docker</translation>
    </message>
    <message>
      <source>HiveMind runs every task inside a Docker container.</source>
      <translation>HiveMind 的每個任務都在 Docker 容器中執行。</translation>
    </message>
    <message>
      <source>Check again</source>
      <translation>再檢查一次</translation>
    </message>
    <message>
      <source>Skip for now: I understand that no tasks will run on this computer until Docker works</source>
      <translation>暫時略過：我了解在 Docker 可用之前，這台電腦不會執行任何任務</translation>
    </message>
    <message>
      <source>Why Docker? HiveMind runs code written by other people. It only ever runs a task inside a Docker container: a sealed box with no network, no access to your files, and fixed limits on processor time and memory. Without Docker, HiveMind runs no tasks at all; it never falls back to running them directly on your computer.</source>
      <translation>為什麼需要 Docker？HiveMind 執行的是別人寫的程式。它只會在 Docker 容器中執行任務：一個沒有網路、無法存取您的檔案、處理器時間與記憶體都有固定上限的封閉空間。沒有 Docker，HiveMind 完全不執行任務；它絕不會改為直接在您的電腦上執行。</translation>
    </message>
  </context>
  <context>
    <name>WizardFinishPage</name>
    <message>
      <source>Ready</source>
      <translation>準備就緒</translation>
    </message>
    <message>
      <source>Check the summary, then click Finish.</source>
      <translation>請確認摘要，然後按「完成」。</translation>
    </message>
    <message>
      <source>When you click Finish, HiveMind saves these settings and starts contributing. You can change everything later in Settings, or run this setup again from there.</source>
      <translation>按下「完成」後，HiveMind 會儲存這些設定並開始貢獻。之後您可以在「設定」中修改所有項目，或從那裡重新執行此設定。</translation>
    </message>
  </context>
  <context>
    <name>WizardResourcesPage</name>
    <message>
      <source>Measuring this computer…</source>
      <translation>正在測量這台電腦…</translation>
    </message>
    <message>
      <source>This computer has %1 processor cores and %2 GiB of memory.</source>
      <translation>這台電腦有 %1 個處理器核心與 %2 GiB 記憶體。</translation>
    </message>
    <message>
      <source>NVIDIA GPU found: %1</source>
      <translation>找到 NVIDIA GPU：%1</translation>
    </message>
    <message>
      <source>No NVIDIA GPU found (%1): GPU sharing stays off.</source>
      <translation>找不到 NVIDIA GPU（%1）：GPU 分享保持關閉。</translation>
    </message>
    <message>
      <source>Resources</source>
      <translation>資源</translation>
    </message>
    <message>
      <source>Choose how much of this computer HiveMind may lend. Change it any time.</source>
      <translation>選擇 HiveMind 可以出借這台電腦的多少資源。隨時都可以更改。</translation>
    </message>
    <message>
      <source>Processor cores:</source>
      <translation>處理器核心：</translation>
    </message>
    <message>
      <source>Memory (GiB):</source>
      <translation>記憶體（GiB）：</translation>
    </message>
    <message>
      <source>Share the NVIDIA GPU</source>
      <translation>分享 NVIDIA GPU</translation>
    </message>
    <message>
      <source>Tasks at the same time:</source>
      <translation>同時執行的任務數：</translation>
    </message>
    <message>
      <source>Suspend while I use the computer</source>
      <translation>我使用電腦時暫停</translation>
    </message>
    <message>
      <source>Suspend on battery power</source>
      <translation>使用電池時暫停</translation>
    </message>
    <message>
      <source>Use at most this much CPU time:</source>
      <translation>最多使用的 CPU 時間：</translation>
    </message>
  </context>
  <context>
    <name>WizardSignInPage</name>
    <message>
      <source>Signing in…</source>
      <translation>登入中…</translation>
    </message>
    <message>
      <source>Signed in as %1.</source>
      <translation>已登入為 %1。</translation>
    </message>
    <message>
      <source>Sign-in failed: %1</source>
      <translation>登入失敗：%1</translation>
    </message>
    <message>
      <source>Your password cannot be remembered: %1 You can go on; HiveMind will ask you to sign in each time it starts.</source>
      <translation>無法記住您的密碼：%1 您可以繼續；HiveMind 每次啟動時都會請您登入。</translation>
    </message>
    <message>
      <source>Sign in</source>
      <translation>登入</translation>
    </message>
    <message>
      <source>Sign in with the HiveMind account you contribute for.</source>
      <translation>使用您要貢獻的 HiveMind 帳號登入。</translation>
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
      <source>Node pool address:</source>
      <translation>節點池位址：</translation>
    </message>
    <message>
      <source>Remember me on this computer (in the system keyring)</source>
      <translation>在這台電腦上記住我（存在系統金鑰圈中）</translation>
    </message>
    <message>
      <source>Sign in later: the node pool is reached through the WireGuard tunnel set up on a later page; HiveMind signs in as soon as the pool answers</source>
      <translation>稍後登入：節點池要透過後面頁面設定的 WireGuard 通道才能連上；節點池一回應，HiveMind 就會登入</translation>
    </message>
  </context>
  <context>
    <name>WizardWelcomePage</name>
    <message>
      <source>Welcome to HiveMind</source>
      <translation>歡迎使用 HiveMind</translation>
    </message>
    <message>
      <source>A few steps and this computer starts helping science.</source>
      <translation>只要幾個步驟，這台電腦就能開始協助科學研究。</translation>
    </message>
    <message>
      <source>Language:</source>
      <translation>語言：</translation>
    </message>
    <message>
      <source>System language</source>
      <translation>系統語言</translation>
    </message>
    <message>
      <source>HiveMind lends this computer's spare processing power to the HiveMind network. Tasks arrive from the HiveMind node pool through a private WireGuard tunnel, run inside locked-down Docker containers, and their results go back to the node pool. You earn CPT for every task completed, and you can pause or quit at any time from the tray icon.</source>
      <translation>HiveMind 會把這台電腦閒置的運算能力出借給 HiveMind 網路。任務經由私有的 WireGuard 通道從 HiveMind 節點池送來，在嚴格鎖定的 Docker 容器中執行，結果再送回節點池。每完成一個任務您就能賺取 CPT，並可隨時從系統匣圖示暫停或結束。</translation>
    </message>
    <message>
      <source>Shared by default (you can change it on the Resources page and later in Settings): half of the processor cores, a quarter of the memory, and the graphics card only if an NVIDIA GPU is found. Tasks never see your files, your network or your other programs.</source>
      <translation>預設分享的資源（可在「資源」頁面及之後的「設定」中更改）：一半的處理器核心、四分之一的記憶體，以及僅在找到 NVIDIA GPU 時分享顯示卡。任務永遠看不到您的檔案、網路或其他程式。</translation>
    </message>
  </context>
  <context>
    <name>WizardWireGuardPage</name>
    <message>
      <source>Open the WireGuard tunnel file</source>
      <translation>開啟 WireGuard 通道檔案</translation>
    </message>
    <message>
      <source>WireGuard tunnels (*.conf);;All files (*)</source>
      <translation>WireGuard 通道 (*.conf);;所有檔案 (*)</translation>
    </message>
    <message>
      <source>it is too large to be a WireGuard config</source>
      <translation>檔案太大，不可能是 WireGuard 設定</translation>
    </message>
    <message>
      <source>Cannot read %1: %2. Choose the .conf file HiveMind sent you.</source>
      <translation>無法讀取 %1：%2。請選擇 HiveMind 寄給您的 .conf 檔案。</translation>
    </message>
    <message>
      <source>This config cannot be used: %1</source>
      <translation>此設定無法使用：%1</translation>
    </message>
    <message>
      <source>The config is valid: tunnel address %1, node pool endpoint %2.</source>
      <translation>設定有效：通道位址 %1，節點池端點 %2。</translation>
    </message>
    <message>
      <source>Paste the config here, import the file, or generate a key pair.</source>
      <translation>在此貼上設定、匯入檔案，或產生金鑰對。</translation>
    </message>
    <message>
      <source>Saved to %1 (readable only by you).</source>
      <translation>已儲存至 %1（只有您能讀取）。</translation>
    </message>
    <message>
      <source>Checking the tunnel and the node pool…</source>
      <translation>正在檢查通道與節點池…</translation>
    </message>
    <message>
      <source>Bringing the tunnel up…</source>
      <translation>正在啟用通道…</translation>
    </message>
    <message>
      <source>Click Activate to run: %1</source>
      <translation>按「啟用」以執行：%1</translation>
    </message>
    <message>
      <source>Activate the tunnel yourself (%1):</source>
      <translation>請自行啟用通道（%1）：</translation>
    </message>
    <message>
      <source>Tunnel: %1</source>
      <translation>通道：%1</translation>
    </message>
    <message>
      <source>Node pool: %1</source>
      <translation>節點池：%1</translation>
    </message>
    <message>
      <source>The node pool will reach this computer at %1.</source>
      <translation>節點池會透過 %1 連到這台電腦。</translation>
    </message>
    <message>
      <source>WireGuard tunnel</source>
      <translation>WireGuard 通道</translation>
    </message>
    <message>
      <source>The node pool sends tasks to this computer through a private WireGuard tunnel.</source>
      <translation>節點池透過私有的 WireGuard 通道把任務傳送到這台電腦。</translation>
    </message>
    <message>
      <source>Import the tunnel file HiveMind gave you, paste it below, or generate a new key pair here and send HiveMind the public key (the private key never leaves this computer).</source>
      <translation>匯入 HiveMind 提供給您的通道檔案、貼在下方，或在此產生新的金鑰對並把公鑰寄給 HiveMind（私鑰永遠不會離開這台電腦）。</translation>
    </message>
    <message>
      <source>Import file…</source>
      <translation>匯入檔案…</translation>
    </message>
    <message>
      <source>Generate a key pair</source>
      <translation>產生金鑰對</translation>
    </message>
    <message>
      <source>New key pair</source>
      <translation>新的金鑰對</translation>
    </message>
    <message>
      <source>Send this public key to HiveMind. They reply with your tunnel address, the node pool's public key and its endpoint: enter them, then click Create config.</source>
      <translation>把這個公鑰寄給 HiveMind。他們會回覆您的通道位址、節點池的公鑰與端點：填入後按「建立設定」。</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>複製</translation>
    </message>
    <message>
      <source>Your public key:</source>
      <translation>您的公鑰：</translation>
    </message>
    <message>
      <source>Your tunnel address:</source>
      <translation>您的通道位址：</translation>
    </message>
    <message>
      <source>Node pool public key:</source>
      <translation>節點池公鑰：</translation>
    </message>
    <message>
      <source>Node pool endpoint:</source>
      <translation>節點池端點：</translation>
    </message>
    <message>
      <source>Create config</source>
      <translation>建立設定</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>儲存</translation>
    </message>
    <message>
      <source>Activate</source>
      <translation>啟用</translation>
    </message>
    <message>
      <source>Check the tunnel</source>
      <translation>檢查通道</translation>
    </message>
    <message>
      <source>Skip for now: I understand that the node pool cannot send tasks to this computer until the tunnel works</source>
      <translation>暫時略過：我了解在通道可用之前，節點池無法傳送任務到這台電腦</translation>
    </message>
  </context>
</TS>