<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_TW">
  <context>
    <name>AddComputerDialog</name>
    <message>
      <source>Add a computer</source>
      <translation>新增電腦</translation>
    </message>
    <message>
      <source>On the computer to watch, turn on remote access (HIVEMIND_REMOTE_API_ADDRESS, e.g. its WireGuard address) and run 'hivemind-desktop pair' (add --control to allow pausing and stopping tasks). Enter the code it prints, or open the pairing file it wrote. A code works once, for ten minutes.</source>
      <translation>在要監看的電腦上開啟遠端存取（HIVEMIND_REMOTE_API_ADDRESS，例如它的 WireGuard 位址），並執行「hivemind-desktop pair」（加上 --control 可允許暫停與停止任務）。輸入它顯示的配對碼，或開啟它寫出的配對檔。配對碼只能用一次，十分鐘內有效。</translation>
    </message>
    <message>
      <source>Open pairing file…</source>
      <translation>開啟配對檔…</translation>
    </message>
    <message>
      <source>Pair</source>
      <translation>配對</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>This is not a pairing code: %1</source>
      <translation>這不是配對碼：%1</translation>
    </message>
    <message>
      <source>Pairing with %1…</source>
      <translation>正在與 %1 配對…</translation>
    </message>
    <message>
      <source>the file is too large</source>
      <translation>檔案太大</translation>
    </message>
    <message>
      <source>it cannot be read</source>
      <translation>無法讀取</translation>
    </message>
    <message>
      <source>This pairing file cannot be used: %1</source>
      <translation>無法使用此配對檔：%1</translation>
    </message>
    <message>
      <source>a pairing code looks like 10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef</source>
      <translation>配對碼的格式如 10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef</translation>
    </message>
    <message>
      <source>this is not a HiveMind pairing file</source>
      <translation>這不是 HiveMind 配對檔</translation>
    </message>
    <message>
      <source>it must start with the worker's IP address, e.g. 10.0.0.2:5443</source>
      <translation>開頭必須是工作節點的 IP 位址，例如 10.0.0.2:5443</translation>
    </message>
    <message>
      <source>its port is not between 1 and 65535</source>
      <translation>它的連接埠不在 1 到 65535 之間</translation>
    </message>
    <message>
      <source>it is incomplete: copy all of it</source>
      <translation>內容不完整：請完整複製</translation>
    </message>
    <message>
      <source>its last part (the certificate check) is damaged</source>
      <translation>最後一段（憑證檢查碼）已損壞</translation>
    </message>
    <message>
      <source>Open pairing file</source>
      <translation>開啟配對檔</translation>
    </message>
  </context>
  <context>
    <name>ComputerCard</name>
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
      <source>Stop task</source>
      <translation>停止任務</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message>
      <source>Waiting for its first answer…</source>
      <translation>正在等待它的第一次回應…</translation>
    </message>
    <message>
      <source>Last known state: %1</source>
      <translation>最後已知狀態：%1</translation>
    </message>
    <message>
      <source>Tasks: %1 running, %2 completed, %3 failed or stopped</source>
      <translation>任務：%1 個執行中，%2 個已完成，%3 個失敗或已停止</translation>
    </message>
    <message>
      <source>CPU %1 %, memory %2 %, GPU %3</source>
      <translation>CPU %1 %，記憶體 %2 %，GPU %3</translation>
    </message>
    <message>
      <source>none</source>
      <translation>無</translation>
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
      <source>Trust %1 / 100 (%2), balance %3</source>
      <translation>信任 %1 / 100（%2），餘額 %3</translation>
    </message>
    <message>
      <source>%1 CPT</source>
      <translation>%1 CPT</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>未知</translation>
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
      <source>Watch only: this computer was paired without control (pair again with --control)</source>
      <translation>僅供監看：這台電腦配對時未給予控制權限（請用 --control 重新配對）</translation>
    </message>
    <message>
      <source>Waiting for the first measurement…</source>
      <translation>正在等待第一次量測…</translation>
    </message>
    <message>
      <source>Stop task %1 on %2? What it produced so far goes back to the node pool.</source>
      <translation>要停止 %2 上的任務 %1 嗎？它目前產生的結果會送回節點池。</translation>
    </message>
  </context>
  <context>
    <name>Computers</name>
    <message>
      <source>Offline: it has not answered yet</source>
      <translation>離線：它尚未回應過</translation>
    </message>
    <message>
      <source>Offline: last seen %1</source>
      <translation>離線：最後回應於 %1</translation>
    </message>
    <message>
      <source>Its certificate changed (reinstalled, or someone in between): remove it and pair it again if you trust it</source>
      <translation>它的憑證已變更（重新安裝過，或有人在中間攔截）：如果你信任它，請移除後重新配對</translation>
    </message>
    <message>
      <source>It refused this app's token: remove it and pair it again</source>
      <translation>它拒絕了此應用程式的權杖：請移除後重新配對</translation>
    </message>
    <message>
      <source>Its pairing was withdrawn on that computer: pair it again</source>
      <translation>那台電腦已撤銷配對：請重新配對</translation>
    </message>
    <message>
      <source>Not permitted: on that computer run 'hivemind-desktop pair --control' and pair again to pause or stop tasks</source>
      <translation>未獲允許：請在那台電腦上執行「hivemind-desktop pair --control」並重新配對，才能暫停或停止任務</translation>
    </message>
    <message>
      <source>The pairing code has expired: run 'hivemind-desktop pair' on that computer again</source>
      <translation>配對碼已過期：請在那台電腦上再次執行「hivemind-desktop pair」</translation>
    </message>
    <message>
      <source>The pairing code is not valid (mistyped or used already): run 'hivemind-desktop pair' on that computer again</source>
      <translation>配對碼無效（打錯或已使用過）：請在那台電腦上再次執行「hivemind-desktop pair」</translation>
    </message>
    <message>
      <source>No keyring can keep this computer's token: start or unlock your desktop's keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager), then pair again</source>
      <translation>沒有金鑰圈可保存這台電腦的權杖：請啟動或解鎖桌面的金鑰圈（GNOME Keyring、KWallet、macOS 鑰匙圈、Windows 認證管理員），然後重新配對</translation>
    </message>
    <message>
      <source>Its token is not in the keyring: remove it and pair it again</source>
      <translation>金鑰圈中沒有它的權杖：請移除後重新配對</translation>
    </message>
    <message>
      <source>Problem: %1</source>
      <translation>問題：%1</translation>
    </message>
  </context>
  <context>
    <name>ComputersPage</name>
    <message>
      <source>Add computer…</source>
      <translation>新增電腦…</translation>
    </message>
    <message>
      <source>Other computers running HiveMind, paired with this app, watched here.</source>
      <translation>在此監看與本應用程式配對、執行 HiveMind 的其他電腦。</translation>
    </message>
    <message>
      <source>No computer is paired yet. Click 'Add computer…' and enter the code that 'hivemind-desktop pair' prints on the other computer.</source>
      <translation>尚未配對任何電腦。請按「新增電腦…」，並輸入另一台電腦上「hivemind-desktop pair」顯示的配對碼。</translation>
    </message>
  </context>
  <context>
    <name>Core</name>
    <message>
      <source>disk budget of %1 MiB used up</source>
      <translation>已用完 %1 MiB 的磁碟配額</translation>
    </message>
    <message>
      <source>the data folder %1 cannot be read: %2</source>
      <translation>無法讀取資料夾 %1：%2</translation>
    </message>
    <message>
      <source>free disk space is below the floor: %1 GiB free on the data disk, at least %2 GiB must stay free (HIVEMIND_MIN_FREE_DISK_GB)</source>
      <translation>可用磁碟空間低於下限：資料磁碟剩 %1 GiB，至少須保留 %2 GiB（HIVEMIND_MIN_FREE_DISK_GB）</translation>
    </message>
    <message>
      <source>%1 GiB free, floor %2 GiB; each task may write %3 MiB, on the data disk</source>
      <translation>可用 %1 GiB，下限 %2 GiB；每個任務可在資料磁碟上寫入 %3 MiB</translation>
    </message>
    <message>
      <source>%1 GiB free, floor %2 GiB; each task may write %3 MiB, in its own size-limited area</source>
      <translation>可用 %1 GiB，下限 %2 GiB；每個任務可在其專屬的限額區域寫入 %3 MiB</translation>
    </message>
    <message>
      <source>stopped by user</source>
      <translation>已由使用者停止</translation>
    </message>
    <message>
      <source>time limit of %1 s reached</source>
      <translation>已達 %1 秒的時間上限</translation>
    </message>
    <message>
      <source>out of memory (limit %1 GiB)</source>
      <translation>記憶體不足（上限 %1 GiB）</translation>
    </message>
    <message>
      <source>container disappeared before its exit code was read</source>
      <translation>容器在讀取結束代碼前就消失了</translation>
    </message>
    <message>
      <source>exit code %1</source>
      <translation>結束代碼 %1</translation>
    </message>
    <message>
      <source>exit code %1 (or gVisor ended the task for too many processes)</source>
      <translation>結束代碼 %1（或因程序過多而被 gVisor 結束）</translation>
    </message>
    <message>
      <source>the worker is shutting down</source>
      <translation>工作節點正在關閉</translation>
    </message>
    <message>
      <source>the volunteer paused this worker</source>
      <translation>志工已暫停此工作節點</translation>
    </message>
    <message>
      <source>waiting: %1</source>
      <translation>等待中：%1</translation>
    </message>
    <message>
      <source>GPU tasks are waiting: %1</source>
      <translation>GPU 任務等待中：%1</translation>
    </message>
    <message>
      <source>a task with this id already ran here</source>
      <translation>此 ID 的任務已在這裡執行過</translation>
    </message>
    <message>
      <source>task image %1 is not installed on this worker</source>
      <translation>此工作節點未安裝任務映像 %1</translation>
    </message>
    <message>
      <source>could not run the container: %1</source>
      <translation>無法執行容器：%1</translation>
    </message>
    <message>
      <source>stopped by user before it started</source>
      <translation>在開始前已由使用者停止</translation>
    </message>
    <message>
      <source>its files are not returned: the disk limit was reached</source>
      <translation>已達磁碟上限，不傳回其檔案</translation>
    </message>
    <message>
      <source>too many processes: limit %1</source>
      <translation>處理程序過多：上限 %1</translation>
    </message>
    <message>
      <source>paused by the volunteer</source>
      <translation>志工已暫停</translation>
    </message>
    <message>
      <source>frozen</source>
      <translation>已凍結</translation>
    </message>
    <message>
      <source>stopped after %1 min frozen (%2): returned so the node pool can run it elsewhere</source>
      <translation>凍結 %1 分鐘後停止（%2）：已退回，讓節點池改在別處執行</translation>
    </message>
    <message>
      <source>the task has already finished</source>
      <translation>任務已經結束</translation>
    </message>
    <message>
      <source>the task has already finished; its result is being uploaded</source>
      <translation>任務已經結束，正在上傳結果</translation>
    </message>
    <message>
      <source>stopping: the partial result will be uploaded</source>
      <translation>正在停止：將上傳部分結果</translation>
    </message>
    <message>
      <source>this task is already here</source>
      <translation>這個工作已經在這裡了</translation>
    </message>
    <message>
      <source>busy: %1 tasks already running (MAX_CONCURRENT_TASKS)</source>
      <translation>忙碌中：已有 %1 個工作在執行（MAX_CONCURRENT_TASKS）</translation>
    </message>
    <message>
      <source>task archive refused: %1</source>
      <translation>已拒絕工作壓縮檔：%1</translation>
    </message>
    <message>
      <source>task id must be 1-128 letters, digits, '.', '_' or '-'</source>
      <translation>工作 ID 必須是 1 到 128 個英文字母、數字、「.」、「_」或「-」</translation>
    </message>
    <message>
      <source>archive of %1 MiB exceeds this worker's disk budget of %2 MiB per task</source>
      <translation>%1 MiB 的壓縮檔超過此工作節點每個工作 %2 MiB 的磁碟配額</translation>
    </message>
    <message>
      <source>image %1 is not allowed: tasks run in %2 or another %3* image</source>
      <translation>不允許映像 %1：工作只能在 %2 或其他 %3* 映像中執行</translation>
    </message>
    <message>
      <source>impossible request: %1 is %2, not a finite number</source>
      <translation>不可能的請求：%1 是 %2，不是有限的數字</translation>
    </message>
    <message>
      <source>impossible request: negative resources</source>
      <translation>不可能的請求：資源為負數</translation>
    </message>
    <message>
      <source>impossible request: cpu_usage %1 is below the smallest CPU share, 1 (a hundredth of a core)</source>
      <translation>不可能的請求：cpu_usage %1 低於最小的 CPU 份額 1（百分之一個核心）</translation>
    </message>
    <message>
      <source>no NVIDIA GPU found</source>
      <translation>找不到 NVIDIA GPU</translation>
    </message>
    <message>
      <source>no NVIDIA GPU found (the NVIDIA driver is not installed)</source>
      <translation>找不到 NVIDIA GPU（未安裝 NVIDIA 驅動程式）</translation>
    </message>
    <message>
      <source>no NVIDIA GPU found (nvidia-ml-py is not installed)</source>
      <translation>找不到 NVIDIA GPU（未安裝 nvidia-ml-py）</translation>
    </message>
    <message>
      <source>NVIDIA driver not loaded: install the driver or restart the computer (%1)</source>
      <translation>NVIDIA 驅動程式未載入：請安裝驅動程式或重新啟動電腦（%1）</translation>
    </message>
    <message>
      <source>NVIDIA driver updated but not reloaded: restart the computer (%1)</source>
      <translation>NVIDIA 驅動程式已更新但尚未重新載入：請重新啟動電腦（%1）</translation>
    </message>
    <message>
      <source>no permission to read the NVIDIA GPU: check the driver's permissions (%1)</source>
      <translation>沒有讀取 NVIDIA GPU 的權限：請檢查驅動程式的權限（%1）</translation>
    </message>
    <message>
      <source>the NVIDIA GPU stopped answering: restart the computer (%1)</source>
      <translation>NVIDIA GPU 停止回應：請重新啟動電腦（%1）</translation>
    </message>
    <message>
      <source>NVIDIA GPU cannot be read: update or reinstall the NVIDIA driver (%1)</source>
      <translation>無法讀取 NVIDIA GPU：請更新或重新安裝 NVIDIA 驅動程式（%1）</translation>
    </message>
    <message>
      <source>NVIDIA GPU cannot be read: %1</source>
      <translation>無法讀取 NVIDIA GPU：%1</translation>
    </message>
    <message>
      <source>%1 answers but is not a HiveMind node pool (no UserService.Login): check the node-pool address</source>
      <translation>%1 有回應，但不是 HiveMind 節點池（沒有 UserService.Login）：請檢查節點池位址</translation>
    </message>
    <message>
      <source>the node pool at %1 does not answer (%2): check the VPN connection and the node-pool address</source>
      <translation>位於 %1 的節點池沒有回應（%2）：請檢查 VPN 連線與節點池位址</translation>
    </message>
    <message>
      <source>the node pool at %1 failed the sign-in (%2): try again in a while</source>
      <translation>位於 %1 的節點池登入失敗（%2）：請稍後再試</translation>
    </message>
    <message>
      <source>the node pool refused the username or password</source>
      <translation>節點池拒絕了使用者名稱或密碼</translation>
    </message>
    <message>
      <source>enter a username and a password</source>
      <translation>請輸入使用者名稱與密碼</translation>
    </message>
    <message>
      <source>the node-pool address %1 is not HOST:PORT: write it with its port, e.g. 10.0.0.1:50051</source>
      <translation>節點池位址 %1 不是 主機:連接埠 格式：請寫上連接埠，例如 10.0.0.1:50051</translation>
    </message>
    <message>
      <source>not signed in</source>
      <translation>尚未登入</translation>
    </message>
    <message>
      <source>the node pool at %1 does not answer: check the VPN and the address</source>
      <translation>位於 %1 的節點池沒有回應：請檢查 VPN 與位址</translation>
    </message>
    <message>
      <source>the node pool at %1 answered %2: %3</source>
      <translation>位於 %1 的節點池回應 %2：%3</translation>
    </message>
    <message>
      <source>not available</source>
      <translation>無法使用</translation>
    </message>
    <message>
      <source>%1: no answer (%2), so the in-use rule is not applied</source>
      <translation>%1：沒有回應（%2），因此不套用「使用中」規則</translation>
    </message>
    <message>
      <source>not available (%1)</source>
      <translation>無法使用（%1）</translation>
    </message>
    <message>
      <source>no battery</source>
      <translation>沒有電池</translation>
    </message>
    <message>
      <source>battery found, power source unknown</source>
      <translation>找到電池，電源不明</translation>
    </message>
    <message>
      <source>psutil battery status</source>
      <translation>psutil 電池狀態</translation>
    </message>
    <message>
      <source>cannot reach the node pool at %1 (%2 within %3 s): check that the WireGuard tunnel is active and the address is right</source>
      <translation>無法連到位於 %1 的節點池（%3 秒內%2）：請確認 WireGuard 通道已啟用且位址正確</translation>
    </message>
    <message>
      <source>no answer</source>
      <translation>沒有回應</translation>
    </message>
    <message>
      <source>unavailable</source>
      <translation>無法使用</translation>
    </message>
    <message>
      <source>it answered</source>
      <translation>有回應</translation>
    </message>
    <message>
      <source>it answered with %1</source>
      <translation>回應 %1</translation>
    </message>
    <message>
      <source>an error</source>
      <translation>錯誤</translation>
    </message>
    <message>
      <source>node pool at %1 is reachable (%2 in %3 ms)</source>
      <translation>可連到位於 %1 的節點池（%3 毫秒內%2）</translation>
    </message>
    <message>
      <source>handshake time readable only with administrator rights</source>
      <translation>需要系統管理員權限才能讀取交握時間</translation>
    </message>
    <message>
      <source>no handshake with the node pool seen yet</source>
      <translation>尚未看到與節點池的交握</translation>
    </message>
    <message>
      <source>last handshake %1 min ago: the node pool may be unreachable</source>
      <translation>上次交握在 %1 分鐘前：可能無法連到節點池</translation>
    </message>
    <message>
      <source>last handshake %1 s ago</source>
      <translation>上次交握在 %1 秒前</translation>
    </message>
    <message>
      <source>%1 is not a WireGuard interface: choose the WireGuard tunnel</source>
      <translation>%1 不是 WireGuard 介面：請選擇 WireGuard 通道</translation>
    </message>
    <message>
      <source>WireGuard tunnel %1 is not running: activate it in WireGuard</source>
      <translation>WireGuard 通道 %1 未在執行：請在 WireGuard 中啟用</translation>
    </message>
    <message>
      <source>no WireGuard tunnel is running: import the HiveMind config into WireGuard and activate it</source>
      <translation>沒有執行中的 WireGuard 通道：請將 HiveMind 設定檔匯入 WireGuard 並啟用</translation>
    </message>
    <message>
      <source>WireGuard tunnel %1 is down: activate it in WireGuard</source>
      <translation>WireGuard 通道 %1 已關閉：請在 WireGuard 中啟用</translation>
    </message>
    <message>
      <source>WireGuard tunnel %1 has no IPv4 address: add 'Address = 10.0.0.x/24' to its [Interface] section</source>
      <translation>WireGuard 通道 %1 沒有 IPv4 位址：請在其 [Interface] 區段加入 'Address = 10.0.0.x/24'</translation>
    </message>
    <message>
      <source>WireGuard tunnel %1 is up at %2 (%3)</source>
      <translation>WireGuard 通道 %1 已啟用，位址 %2（%3）</translation>
    </message>
    <message>
      <source>%1 of %2 CPU cores and %3 of %4 GiB free</source>
      <translation>可用 CPU 核心 %1 / %2，記憶體 %3 / %4 GiB</translation>
    </message>
    <message>
      <source>%1 of %2 CPU cores and %3 of %4 GiB free, %5 of %6 GPUs</source>
      <translation>可用 CPU 核心 %1 / %2，記憶體 %3 / %4 GiB，GPU %5 / %6</translation>
    </message>
    <message>
      <source>idle time: %1; battery: %2</source>
      <translation>閒置時間：%1；電池：%2</translation>
    </message>
    <message>
      <source>start Docker Desktop (Windows/macOS) or `sudo systemctl start docker` (Linux)</source>
      <translation>請啟動 Docker Desktop（Windows/macOS）或執行 `sudo systemctl start docker`（Linux）</translation>
    </message>
    <message>
      <source>install Docker Desktop (Windows/macOS, https://docs.docker.com/get-docker/) or the docker.io package (Linux)</source>
      <translation>請安裝 Docker Desktop（Windows/macOS，https://docs.docker.com/get-docker/）或 docker.io 套件（Linux）</translation>
    </message>
    <message>
      <source>add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and in; that group is as powerful as root), or use rootless Podman instead, which needs no group: `systemctl --user enable --now podman.socket`</source>
      <translation>將您的使用者加入 docker 群組（`sudo usermod -aG docker $USER`，然後登出再登入；此群組的權限等同 root），或改用不需群組的 rootless Podman：`systemctl --user enable --now podman.socket`</translation>
    </message>
    <message>
      <source>start Podman's API service: `systemctl --user enable --now podman.socket` (or `podman system service --time=0 &amp;`)</source>
      <translation>啟動 Podman 的 API 服務：`systemctl --user enable --now podman.socket`（或 `podman system service --time=0 &amp;`）</translation>
    </message>
    <message>
      <source>start rootless Docker: `systemctl --user start docker`</source>
      <translation>啟動 rootless Docker：`systemctl --user start docker`</translation>
    </message>
    <message>
      <source>start Docker Desktop from the Start menu and wait until it says 'Engine running'</source>
      <translation>從「開始」功能表啟動 Docker Desktop，並等到它顯示「Engine running」</translation>
    </message>
    <message>
      <source>add your Windows account to the docker-users group (an administrator runs `net localgroup docker-users YOUR-NAME /add`), then sign out and back in</source>
      <translation>將您的 Windows 帳號加入 docker-users 群組（由系統管理員執行 `net localgroup docker-users 您的名稱 /add`），然後登出再登入</translation>
    </message>
    <message>
      <source>open Docker from the Applications folder and wait until it says it is running</source>
      <translation>從「應用程式」檔案夾開啟 Docker，並等到它顯示正在執行</translation>
    </message>
    <message>
      <source> at %1</source>
      <translation>（位於 %1）</translation>
    </message>
    <message>
      <source>nothing answers at %1; %2</source>
      <translation>%1 沒有回應；%2</translation>
    </message>
    <message>
      <source>start that engine, or unset DOCKER_HOST</source>
      <translation>請啟動該引擎，或取消設定 DOCKER_HOST</translation>
    </message>
    <message>
      <source>start that engine, or go back to the usual one with `docker context use default`</source>
      <translation>請啟動該引擎，或以 `docker context use default` 改回平常的引擎</translation>
    </message>
    <message>
      <source>Podman is not running: %1</source>
      <translation>Podman 未在執行：%1</translation>
    </message>
    <message>
      <source>Rootless Docker is not running: %1</source>
      <translation>Rootless Docker 未在執行：%1</translation>
    </message>
    <message>
      <source>Docker Desktop is not running: %1</source>
      <translation>Docker Desktop 未在執行：%1</translation>
    </message>
    <message>
      <source>Docker is not running: %1</source>
      <translation>Docker 未在執行：%1</translation>
    </message>
    <message>
      <source>Windows refused access to Docker Desktop%1: %2</source>
      <translation>Windows 拒絕存取 Docker Desktop%1：%2</translation>
    </message>
    <message>
      <source>Docker Desktop is not running (nothing answers%1): %2</source>
      <translation>Docker Desktop 未在執行（沒有回應%1）：%2</translation>
    </message>
    <message>
      <source>Docker Desktop is busy and did not answer%1: try again in a moment</source>
      <translation>Docker Desktop 忙碌中，沒有回應%1：請稍後再試</translation>
    </message>
    <message>
      <source>Permission denied on the Docker socket%1: %2</source>
      <translation>沒有存取 Docker socket 的權限%1：%2</translation>
    </message>
    <message>
      <source>Docker did not answer within %1 s%2: restart Docker and try again</source>
      <translation>Docker 在 %1 秒內沒有回應%2：請重新啟動 Docker 後再試</translation>
    </message>
    <message>
      <source>Docker is not installed: %1</source>
      <translation>尚未安裝 Docker：%1</translation>
    </message>
    <message>
      <source>the request fits in the free shares</source>
      <translation>請求符合可用的分享資源</translation>
    </message>
    <message>
      <source>%1; %2</source>
      <translation>%1；%2</translation>
    </message>
    <message>
      <source>asks %1 but none is shared</source>
      <translation>要求 %1，但沒有分享任何此資源</translation>
    </message>
    <message>
      <source>asks %1 but none is shared (GPU sharing is off or no NVIDIA GPU found)</source>
      <translation>要求 %1，但沒有分享任何此資源（GPU 分享已關閉或找不到 NVIDIA GPU）</translation>
    </message>
    <message>
      <source>asks %1 but only %2 is shared</source>
      <translation>要求 %1，但只分享了 %2</translation>
    </message>
    <message>
      <source>asks %1 but only %2 are shared</source>
      <translation>要求 %1，但只分享了 %2</translation>
    </message>
    <message>
      <source>asks %1 but none of the %2 shared is free</source>
      <translation>要求 %1，但分享的 %2 都沒有空閒</translation>
    </message>
    <message>
      <source>asks %1 but only %2 of the %3 shared is free</source>
      <translation>要求 %1，但分享的 %3 中只有 %2 空閒</translation>
    </message>
    <message>
      <source>asks %1 but only %2 of the %3 shared are free</source>
      <translation>要求 %1，但分享的 %3 中只有 %2 空閒</translation>
    </message>
    <message>
      <source>%1 core</source>
      <translation>%1 個核心</translation>
    </message>
    <message>
      <source>%1 cores</source>
      <translation>%1 個核心</translation>
    </message>
    <message>
      <source>%1 GPU</source>
      <translation>%1 個 GPU</translation>
    </message>
    <message>
      <source>%1 GPUs</source>
      <translation>%1 個 GPU</translation>
    </message>
    <message>
      <source>%1 CPU core</source>
      <translation>%1 個 CPU 核心</translation>
    </message>
    <message>
      <source>%1 CPU cores</source>
      <translation>%1 個 CPU 核心</translation>
    </message>
    <message>
      <source>%1 GiB memory</source>
      <translation>%1 GiB 記憶體</translation>
    </message>
    <message>
      <source>%1 GiB GPU memory</source>
      <translation>%1 GiB GPU 記憶體</translation>
    </message>
    <message>
      <source>not a valid zip archive (%1): send a .zip file</source>
      <translation>不是有效的 zip 壓縮檔（%1）：請傳送 .zip 檔</translation>
    </message>
    <message>
      <source>the archive is empty: add your task's files</source>
      <translation>壓縮檔是空的：請加入工作的檔案</translation>
    </message>
    <message>
      <source>the archive has %1 entries; at most %2</source>
      <translation>壓縮檔有 %1 個項目；最多 %2 個</translation>
    </message>
    <message>
      <source>the archive unpacks to %1 bytes; the task disk budget is %2 bytes</source>
      <translation>壓縮檔解開後有 %1 位元組；每個工作的磁碟配額是 %2 位元組</translation>
    </message>
    <message>
      <source>the archive compresses %1x overall; at most %2x is accepted (zip bomb?)</source>
      <translation>壓縮檔整體壓縮比為 %1 倍；最多接受 %2 倍（壓縮炸彈？）</translation>
    </message>
    <message>
      <source>the archive holds no files: add your task's files</source>
      <translation>壓縮檔裡沒有檔案：請加入工作的檔案</translation>
    </message>
    <message>
      <source>entry '%1' is encrypted: send the archive without a password</source>
      <translation>項目「%1」已加密：請傳送沒有密碼的壓縮檔</translation>
    </message>
    <message>
      <source>entry '%1' uses compression method %2: re-zip with deflate</source>
      <translation>項目「%1」使用壓縮方法 %2：請以 deflate 重新壓縮</translation>
    </message>
    <message>
      <source>entry '%1' is a symbolic link: links are not allowed</source>
      <translation>項目「%1」是符號連結：不允許連結</translation>
    </message>
    <message>
      <source>entry '%1' is a special file (device, fifo or socket)</source>
      <translation>項目「%1」是特殊檔案（裝置、FIFO 或 socket）</translation>
    </message>
    <message>
      <source>entry '%1' is %2 bytes; at most %3</source>
      <translation>項目「%1」有 %2 位元組；最多 %3 位元組</translation>
    </message>
    <message>
      <source>entry '%1' compresses %2x; at most %3x is accepted (zip bomb?)</source>
      <translation>項目「%1」壓縮比為 %2 倍；最多接受 %3 倍（壓縮炸彈？）</translation>
    </message>
    <message>
      <source>entry '%1' has an absolute path: use relative paths</source>
      <translation>項目「%1」使用絕對路徑：請使用相對路徑</translation>
    </message>
    <message>
      <source>entry '%1' starts with a drive letter: use relative paths</source>
      <translation>項目「%1」以磁碟機代號開頭：請使用相對路徑</translation>
    </message>
    <message>
      <source>entry '%1' has an empty name</source>
      <translation>項目「%1」的名稱是空的</translation>
    </message>
    <message>
      <source>entry '%1' climbs out of the task folder with '..'</source>
      <translation>項目「%1」以「..」跑出工作資料夾</translation>
    </message>
    <message>
      <source>entry '%1...' has a name over %2 bytes</source>
      <translation>項目「%1...」的名稱超過 %2 位元組</translation>
    </message>
    <message>
      <source>entry '%1' has a name that is not a portable file name (control characters, &lt;&gt;:"|?*, device names, trailing dot or space)</source>
      <translation>項目「%1」的名稱不是可攜的檔名（含控制字元、&lt;&gt;:"|?*、裝置名稱，或以句點或空白結尾）</translation>
    </message>
    <message>
      <source>entry '%1...' has a path part over 255 bytes</source>
      <translation>項目「%1...」的路徑有一段超過 255 位元組</translation>
    </message>
    <message>
      <source>entry '%1' appears twice in the archive</source>
      <translation>項目「%1」在壓縮檔中出現兩次</translation>
    </message>
    <message>
      <source>entries '%1' and '%2' collide (same name, ignoring case)</source>
      <translation>項目「%1」與「%2」衝突（不分大小寫時同名）</translation>
    </message>
    <message>
      <source>entry '%1' is both a file and a folder</source>
      <translation>項目「%1」同時是檔案和資料夾</translation>
    </message>
    <message>
      <source>%1 is over %2 KiB</source>
      <translation>%1 超過 %2 KiB</translation>
    </message>
    <message>
      <source>%1 cannot be read (%2): re-zip the task</source>
      <translation>無法讀取 %1（%2）：請重新壓縮工作</translation>
    </message>
    <message>
      <source>%1 is not valid JSON: %2</source>
      <translation>%1 不是有效的 JSON：%2</translation>
    </message>
    <message>
      <source>%1 sets '%2' twice</source>
      <translation>%1 設定了「%2」兩次</translation>
    </message>
    <message>
      <source>%1 must hold a JSON object</source>
      <translation>%1 必須是 JSON 物件</translation>
    </message>
    <message>
      <source>%1 has unknown key(s) %2: allowed are image, command, env, network, time_limit_s</source>
      <translation>%1 有不明的鍵 %2：允許的鍵是 image、command、env、network、time_limit_s</translation>
    </message>
    <message>
      <source>%1: image must be an image name like hivemind/task-python</source>
      <translation>%1：image 必須是映像名稱，例如 hivemind/task-python</translation>
    </message>
    <message>
      <source>%1: command cannot be split (%2)</source>
      <translation>%1：無法拆解 command（%2）</translation>
    </message>
    <message>
      <source>%1: command must be a non-empty list of strings or a string</source>
      <translation>%1：command 必須是非空的字串清單或一個字串</translation>
    </message>
    <message>
      <source>%1: env must be an object of NAME: value strings</source>
      <translation>%1：env 必須是「名稱: 值」字串的物件</translation>
    </message>
    <message>
      <source>%1: env name '%2' must match [A-Za-z_][A-Za-z0-9_]*</source>
      <translation>%1：env 名稱「%2」必須符合 [A-Za-z_][A-Za-z0-9_]*</translation>
    </message>
    <message>
      <source>%1: env value of %2 must be a string</source>
      <translation>%1：%2 的 env 值必須是字串</translation>
    </message>
    <message>
      <source>%1: network must be true or false</source>
      <translation>%1：network 必須是 true 或 false</translation>
    </message>
    <message>
      <source>%1: time_limit_s must be a positive whole number of seconds</source>
      <translation>%1：time_limit_s 必須是正整數秒數</translation>
    </message>
    <message>
      <source>entry '%1' would land outside the task folder</source>
      <translation>項目「%1」會落在工作資料夾之外</translation>
    </message>
    <message>
      <source>entry '%1' does not match its declared size or checksum (%2): the archive is corrupt</source>
      <translation>項目「%1」與宣告的大小或檢查碼不符（%2）：壓縮檔已損毀</translation>
    </message>
    <message>
      <source>entry '%1' unpacks to more bytes than its header says</source>
      <translation>項目「%1」解開後比標頭所寫的位元組更多</translation>
    </message>
    <message>
      <source>entry '%1' unpacks to %2 bytes but its header says %3: the archive is corrupt</source>
      <translation>項目「%1」解開後有 %2 位元組，但標頭寫的是 %3：壓縮檔已損毀</translation>
    </message>
    <message>
      <source>no entry point: the archive needs main.py, app.py, run.py, start.py or run.sh at its top level (or a command in %1)</source>
      <translation>沒有進入點：壓縮檔的最上層需要 main.py、app.py、run.py、start.py 或 run.sh（或在 %1 中指定 command）</translation>
    </message>
    <message>
      <source>%1 cannot limit a task's %2 (%3), so no task runs: %4</source>
      <translation>%1 無法限制工作的%2（%3），因此不會執行任何工作：%4</translation>
    </message>
    <message>
      <source>memory</source>
      <translation>記憶體</translation>
    </message>
    <message>
      <source>processes</source>
      <translation>處理程序數</translation>
    </message>
    <message>
      <source>memory or CPU</source>
      <translation>記憶體或 CPU</translation>
    </message>
    <message>
      <source>memory or processes</source>
      <translation>記憶體或處理程序數</translation>
    </message>
    <message>
      <source>CPU or processes</source>
      <translation>CPU 或處理程序數</translation>
    </message>
    <message>
      <source>memory, CPU or processes</source>
      <translation>記憶體、CPU 或處理程序數</translation>
    </message>
    <message>
      <source>cgroup v1 lets only root set limits</source>
      <translation>cgroup v1 只允許 root 設定限制</translation>
    </message>
    <message>
      <source>switch Linux to cgroup v2 (boot with systemd.unified_cgroup_hierarchy=1) and delegate the memory, cpu and pids controllers to your user, or use the system's Docker engine</source>
      <translation>將 Linux 切換到 cgroup v2（以 systemd.unified_cgroup_hierarchy=1 開機），並把 memory、cpu 與 pids 控制器委派給您的使用者，或改用系統的 Docker 引擎</translation>
    </message>
    <message>
      <source>your user was not given those cgroup controllers</source>
      <translation>您的使用者沒有取得這些 cgroup 控制器</translation>
    </message>
    <message>
      <source>delegate them (systemd: `Delegate=memory pids cpu cpuset` in /etc/systemd/system/user@.service.d/delegate.conf), then log out and in</source>
      <translation>請委派這些控制器（systemd：在 /etc/systemd/system/user@.service.d/delegate.conf 中寫入 `Delegate=memory pids cpu cpuset`），然後登出再登入</translation>
    </message>
    <message>
      <source>the kernel offers no such cgroup controller</source>
      <translation>核心沒有提供這種 cgroup 控制器</translation>
    </message>
    <message>
      <source>enable the memory, cpu and pids cgroup controllers, or use another engine</source>
      <translation>請啟用 memory、cpu 與 pids cgroup 控制器，或改用其他引擎</translation>
    </message>
    <message>
      <source>%1's Docker-compatible API does not hand GPUs to containers: set the GPU share to 0, or use Docker with the NVIDIA Container Toolkit for GPU tasks</source>
      <translation>%1 的 Docker 相容 API 無法把 GPU 交給容器：請將 GPU 分享設為 0，或改用搭配 NVIDIA Container Toolkit 的 Docker 來執行 GPU 工作</translation>
    </message>
    <message>
      <source>run `%1` (installs gVisor and registers it with Docker)</source>
      <translation>執行 `%1`（安裝 gVisor 並向 Docker 註冊）</translation>
    </message>
    <message>
      <source>gVisor (runsc) is not available to the Docker engine and HIVEMIND_TASK_RUNTIME is runsc: %1, or set HIVEMIND_TASK_RUNTIME=auto</source>
      <translation>Docker 引擎無法使用 gVisor（runsc），而 HIVEMIND_TASK_RUNTIME 設為 runsc：請%1，或設定 HIVEMIND_TASK_RUNTIME=auto</translation>
    </message>
    <message>
      <source>this task asks for a network but tasks run only in gVisor (HIVEMIND_TASK_RUNTIME=runsc), which gives them none here: set HIVEMIND_TASK_RUNTIME=auto to run such tasks in runc, or DOCKER_NETWORK=none to run them offline</source>
      <translation>這個工作要求網路，但工作只在 gVisor 中執行（HIVEMIND_TASK_RUNTIME=runsc），而它在這裡不提供網路：請設定 HIVEMIND_TASK_RUNTIME=auto 讓這類工作在 runc 中執行，或設定 DOCKER_NETWORK=none 讓它們離線執行</translation>
    </message>
    <message>
      <source>line %1: %2</source>
      <translation>第 %1 行：%2</translation>
    </message>
    <message>
      <source>%1 is not a valid WireGuard key: %2</source>
      <translation>%1 不是有效的 WireGuard 金鑰：%2</translation>
    </message>
    <message>
      <source>%1 is not a valid WireGuard key (%2): %3</source>
      <translation>%1 不是有效的 WireGuard 金鑰（%2）：%3</translation>
    </message>
    <message>
      <source>%1 must be a whole number from %2 to %3 (%4)</source>
      <translation>%1 必須是 %2 到 %3 之間的整數（%4）</translation>
    </message>
    <message>
      <source>the Endpoint port</source>
      <translation>Endpoint 的連接埠</translation>
    </message>
    <message>
      <source>%1 is empty or has an empty item (%2): list addresses like 10.0.0.2/24, separated by commas</source>
      <translation>%1 是空的或有空白項目（%2）：請列出像 10.0.0.2/24 這樣的位址，以逗號分隔</translation>
    </message>
    <message>
      <source>%1 has %2, which is not an IP address with an optional /prefix (e.g. 10.0.0.2/24)</source>
      <translation>%1 含有 %2，這不是 IP 位址（可加 /前置長度，例如 10.0.0.2/24）</translation>
    </message>
    <message>
      <source>write it as host:port, e.g. 203.0.113.5:51820 or pool.example.org:51820</source>
      <translation>請寫成 主機:連接埠，例如 203.0.113.5:51820 或 pool.example.org:51820</translation>
    </message>
    <message>
      <source>Endpoint %1 needs a host and a port: %2</source>
      <translation>Endpoint %1 需要主機與連接埠：%2</translation>
    </message>
    <message>
      <source>Endpoint host %1 is not an IPv6 address: %2</source>
      <translation>Endpoint 主機 %1 不是 IPv6 位址：%2</translation>
    </message>
    <message>
      <source>Endpoint host %1 is not an IP address or host name: %2</source>
      <translation>Endpoint 主機 %1 不是 IP 位址或主機名稱：%2</translation>
    </message>
    <message>
      <source>%1 is set twice in this [%2] section: keep one</source>
      <translation>%1 在這個 [%2] 區段中設定了兩次：請只保留一個</translation>
    </message>
    <message>
      <source>DNS has %1, which is neither an IP address nor a search domain</source>
      <translation>DNS 含有 %1，這既不是 IP 位址也不是搜尋網域</translation>
    </message>
    <message>
      <source>unknown section %1: a WireGuard config has one [Interface] and one or more [Peer] sections</source>
      <translation>不明的區段 %1：WireGuard 設定檔有一個 [Interface] 區段和一或多個 [Peer] 區段</translation>
    </message>
    <message>
      <source>a second [Interface] section: keep only one</source>
      <translation>第二個 [Interface] 區段：請只保留一個</translation>
    </message>
    <message>
      <source>%1 is not a 'Key = value' setting or a [Section] header</source>
      <translation>%1 不是「Key = value」設定，也不是 [Section] 標題</translation>
    </message>
    <message>
      <source>%1 comes before any section: start the file with [Interface]</source>
      <translation>%1 出現在任何區段之前：請以 [Interface] 作為檔案開頭</translation>
    </message>
    <message>
      <source>%1 would run a command as administrator; a HiveMind tunnel does not need it: remove the line</source>
      <translation>%1 會以系統管理員身分執行指令；HiveMind 通道不需要它：請刪除這一行</translation>
    </message>
    <message>
      <source>unknown setting %1 in [%2]: use %3</source>
      <translation>[%2] 中有不明的設定 %1：請使用 %3</translation>
    </message>
    <message>
      <source>%1 has no value: write '%1 = ...'</source>
      <translation>%1 沒有值：請寫成「%1 = ...」</translation>
    </message>
    <message>
      <source>the WireGuard config is empty: paste the config you received from the HiveMind network, starting with [Interface]</source>
      <translation>WireGuard 設定是空的：請貼上您從 HiveMind 網路收到、以 [Interface] 開頭的設定</translation>
    </message>
    <message>
      <source>no [Interface] section: add one with 'PrivateKey = &lt;your key&gt;' and 'Address = 10.0.0.x/24'</source>
      <translation>沒有 [Interface] 區段：請加入一個，內含「PrivateKey = &lt;您的金鑰&gt;」和「Address = 10.0.0.x/24」</translation>
    </message>
    <message>
      <source>[Interface] (line %1)</source>
      <translation>[Interface]（第 %1 行）</translation>
    </message>
    <message>
      <source>[Peer] (line %1)</source>
      <translation>[Peer]（第 %1 行）</translation>
    </message>
    <message>
      <source>%1 has no PrivateKey: add 'PrivateKey = &lt;your private key&gt;'</source>
      <translation>%1 沒有 PrivateKey：請加入「PrivateKey = &lt;您的私密金鑰&gt;」</translation>
    </message>
    <message>
      <source>%1 has no Address: add your tunnel address, e.g. 'Address = 10.0.0.2/24'</source>
      <translation>%1 沒有 Address：請加入您的通道位址，例如「Address = 10.0.0.2/24」</translation>
    </message>
    <message>
      <source>no [Peer] section: add one for the node pool with PublicKey, 'AllowedIPs = %1' and 'Endpoint = host:port'</source>
      <translation>沒有 [Peer] 區段：請為節點池加入一個，內含 PublicKey、「AllowedIPs = %1」和「Endpoint = host:port」</translation>
    </message>
    <message>
      <source>%1 has no %2: add '%2 = &lt;%3&gt;'</source>
      <translation>%1 沒有 %2：請加入「%2 = &lt;%3&gt;」</translation>
    </message>
    <message>
      <source>the node pool's public key</source>
      <translation>節點池的公開金鑰</translation>
    </message>
    <message>
      <source>host:port of the node pool's WireGuard server</source>
      <translation>節點池 WireGuard 伺服器的 主機:連接埠</translation>
    </message>
    <message>
      <source>two [Peer] sections have the same PublicKey: keep one</source>
      <translation>兩個 [Peer] 區段有相同的 PublicKey：請只保留一個</translation>
    </message>
    <message>
      <source>a key is 44 characters of base64 ending in '=', as `wg genkey` prints</source>
      <translation>金鑰是 44 個以「=」結尾的 base64 字元，就像 `wg genkey` 印出的那樣</translation>
    </message>
    <message>
      <source>the private key</source>
      <translation>私密金鑰</translation>
    </message>
    <message>
      <source>config file name %1 is not usable: WireGuard names the tunnel after it, so use up to 15 letters, digits or _=+.- followed by .conf (e.g. %2)</source>
      <translation>無法使用設定檔名稱 %1：WireGuard 會以它為通道命名，請使用最多 15 個英文字母、數字或 _=+.-，再加上 .conf（例如 %2）</translation>
    </message>
    <message>
      <source>%1 is not a folder: choose a folder for the config</source>
      <translation>%1 不是資料夾：請為設定檔選擇一個資料夾</translation>
    </message>
    <message>
      <source>could not write the WireGuard config to %1: %2: choose a folder you can write to</source>
      <translation>無法將 WireGuard 設定寫入 %1：%2：請選擇您可以寫入的資料夾</translation>
    </message>
    <message>
      <source>%1 has permissions %2 instead of 0o600 and would expose the private key: the folder's file system does not keep permissions, choose another folder</source>
      <translation>%1 的權限是 %2 而不是 0o600，會洩漏私密金鑰：該資料夾的檔案系統不保留權限，請選擇其他資料夾</translation>
    </message>
    <message>
      <source>signed in</source>
      <translation>已登入</translation>
    </message>
    <message>
      <source>signed out</source>
      <translation>已登出</translation>
    </message>
    <message>
      <source>registered</source>
      <translation>已註冊</translation>
    </message>
    <message>
      <source>registration refused</source>
      <translation>註冊遭拒</translation>
    </message>
    <message>
      <source>a port from 1 to 65535</source>
      <translation>1 到 65535 的連接埠</translation>
    </message>
    <message>
      <source>HOST:PORT, e.g. 10.0.0.1:50051</source>
      <translation>主機:連接埠，例如 10.0.0.1:50051</translation>
    </message>
    <message>
      <source>any text (empty: the username)</source>
      <translation>任何文字（留空：使用者名稱）</translation>
    </message>
    <message>
      <source>true or false</source>
      <translation>true 或 false</translation>
    </message>
    <message>
      <source>a Docker network name, or none</source>
      <translation>Docker 網路名稱，或 none</translation>
    </message>
    <message>
      <source>a number of cores above 0</source>
      <translation>大於 0 的核心數</translation>
    </message>
    <message>
      <source>a whole number of GiB of at least 1</source>
      <translation>至少 1 的 GiB 整數</translation>
    </message>
    <message>
      <source>a whole number from 1 to 64</source>
      <translation>1 到 64 的整數</translation>
    </message>
    <message>
      <source>a number of hours above 0</source>
      <translation>大於 0 的小時數</translation>
    </message>
    <message>
      <source>a whole number from 0 to 100</source>
      <translation>0 到 100 的整數</translation>
    </message>
    <message>
      <source>a port from 1 to 65535, or 0 for off</source>
      <translation>1 到 65535 的連接埠，或 0 表示關閉</translation>
    </message>
    <message>
      <source>an IP address of this computer (e.g. its WireGuard address), or empty for off</source>
      <translation>這台電腦的 IP 位址（例如它的 WireGuard 位址），或留空表示關閉</translation>
    </message>
    <message>
      <source>a node-pool username</source>
      <translation>節點池使用者名稱</translation>
    </message>
    <message>
      <source>a password</source>
      <translation>密碼</translation>
    </message>
    <message>
      <source>the path of a file holding the password</source>
      <translation>存放密碼的檔案路徑</translation>
    </message>
    <message>
      <source>an IP address, e.g. 10.0.0.2</source>
      <translation>IP 位址，例如 10.0.0.2</translation>
    </message>
    <message>
      <source>comma-separated IP addresses or networks</source>
      <translation>以逗號分隔的 IP 位址或網段</translation>
    </message>
    <message>
      <source>a Docker image name</source>
      <translation>Docker 映像名稱</translation>
    </message>
    <message>
      <source>auto (gVisor where installed, else runc), runsc (gVisor only) or runc</source>
      <translation>auto（已安裝 gVisor 時用 gVisor，否則用 runc）、runsc（只用 gVisor）或 runc</translation>
    </message>
    <message>
      <source>a whole number of GiB, 0 for all</source>
      <translation>GiB 整數，0 表示全部</translation>
    </message>
    <message>
      <source>seconds, at least 1</source>
      <translation>秒數，至少 1</translation>
    </message>
    <message>
      <source>MiB, at least 1</source>
      <translation>MiB，至少 1</translation>
    </message>
    <message>
      <source>GiB to keep free on the data disk (0 = no floor), or auto</source>
      <translation>資料磁碟上要保留的可用 GiB（0 = 不設下限），或 auto</translation>
    </message>
    <message>
      <source>a whole number from 16 to 65536</source>
      <translation>16 到 65536 的整數</translation>
    </message>
    <message>
      <source>minutes from 0.1 to 1440</source>
      <translation>0.1 到 1440 分鐘</translation>
    </message>
    <message>
      <source>a percentage from 0 (off) to 100</source>
      <translation>0（關閉）到 100 的百分比</translation>
    </message>
    <message>
      <source>weekdays and hours, e.g. 'mon-fri 18:00-08:00; sat,sun'</source>
      <translation>星期與時段，例如「mon-fri 18:00-08:00; sat,sun」</translation>
    </message>
    <message>
      <source>a percentage from 1 to 100</source>
      <translation>1 到 100 的百分比</translation>
    </message>
    <message>
      <source>GiB, 0 or more</source>
      <translation>GiB，0 或以上</translation>
    </message>
    <message>
      <source>minutes above 0</source>
      <translation>大於 0 的分鐘數</translation>
    </message>
    <message>
      <source>any text</source>
      <translation>任何文字</translation>
    </message>
    <message>
      <source>en, zh_TW, or empty for the system's</source>
      <translation>en、zh_TW，或留空以使用系統語言</translation>
    </message>
    <message>
      <source>a folder path</source>
      <translation>資料夾路徑</translation>
    </message>
  </context>
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
      <source>CPU % (whole computer)</source>
      <translation>CPU %（整台電腦）</translation>
    </message>
    <message>
      <source>HiveMind tasks CPU %</source>
      <translation>HiveMind 任務 CPU %</translation>
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
      <source>Move HiveMind Desktop to the Applications folder and open it from there: from the disk image it cannot start at login.</source>
      <translation>請將 HiveMind Desktop 移到「應用程式」資料夾並從那裡開啟：從磁碟映像檔執行時無法在登入時啟動。</translation>
    </message>
    <message>
      <source>Task Manager &gt; Startup apps</source>
      <translation>工作管理員 &gt; 啟動應用程式</translation>
    </message>
    <message>
      <source>System Settings &gt; General &gt; Login Items</source>
      <translation>系統設定 &gt; 一般 &gt; 登入項目</translation>
    </message>
    <message>
      <source>your desktop's startup applications</source>
      <translation>桌面環境的啟動應用程式</translation>
    </message>
    <message>
      <source>Switched off in %1. Tick the box and Apply to turn it on.</source>
      <translation>已在%1中關閉。勾選此方塊並按「套用」即可重新開啟。</translation>
    </message>
    <message>
      <source>The start-at-login entry points to a program that no longer exists. Tick the box and Apply to point it to this one.</source>
      <translation>登入時啟動的項目指向一個已不存在的程式。勾選此方塊並按「套用」即可改為指向此程式。</translation>
    </message>
    <message>
      <source>This desktop has no system tray: HiveMind keeps running in this window and the taskbar. Closing the window quits.</source>
      <translation>此桌面沒有系統匣：HiveMind 會在此視窗與工作列中繼續執行。關閉視窗即結束程式。</translation>
    </message>
    <message>
      <source>The system tray is here now: closing this window keeps HiveMind running.</source>
      <translation>系統匣已可使用：關閉此視窗後 HiveMind 會繼續執行。</translation>
    </message>
    <message>
      <source>HiveMind keeps running</source>
      <translation>HiveMind 仍在執行</translation>
    </message>
    <message>
      <source>HiveMind is still lending this computer from the tray. Click its icon to open the window; right-click it to pause or quit.</source>
      <translation>HiveMind 仍在系統匣中出借這台電腦。按一下圖示可開啟視窗；按右鍵可暫停或結束。</translation>
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
      <source>Your session ended after %1 hours: HiveMind takes no new tasks until you sign in again.</source>
      <translation>您的工作階段已在 %1 小時後結束：在您重新登入之前，HiveMind 不會接收新任務。</translation>
    </message>
    <message>
      <source>The node pool refused the remembered password: %1</source>
      <translation>節點池拒絕了記住的密碼：%1</translation>
    </message>
    <message>
      <source>%1 did not work: %2</source>
      <translation>%1失敗：%2</translation>
    </message>
    <message>
      <source>Pausing</source>
      <translation>暫停</translation>
    </message>
    <message>
      <source>Resuming</source>
      <translation>繼續</translation>
    </message>
    <message>
      <source>Snoozing</source>
      <translation>延後</translation>
    </message>
    <message>
      <source>Resuming now</source>
      <translation>立即繼續</translation>
    </message>
    <message>
      <source>Stopping the task</source>
      <translation>停止任務</translation>
    </message>
    <message>
      <source>Signing in</source>
      <translation>登入</translation>
    </message>
    <message>
      <source>Signing out</source>
      <translation>登出</translation>
    </message>
    <message>
      <source>Checking the password again</source>
      <translation>重新確認密碼</translation>
    </message>
    <message>
      <source>That</source>
      <translation>此操作</translation>
    </message>
    <message>
      <source>Your password cannot be remembered: %1</source>
      <translation>無法記住您的密碼：%1</translation>
    </message>
    <message>
      <source>Stopping tasks and shutting down…</source>
      <translation>正在停止任務並關閉…</translation>
    </message>
  </context>
  <context>
    <name>Help</name>
    <message>
      <source>Trust score (0-100): how reliable this computer has been. It starts at 50, rises by 2 for each completed task and falls by 5 for each failed one. From 80 it is high; below the threshold in Settings it is low. Stopping a task yourself does not change it.</source>
      <translation>信任分數（0-100）：這台電腦至今的可靠程度。從 50 開始，每完成一個任務加 2，每失敗一個任務減 5。80 以上為高；低於「設定」中的門檻為低。您自行停止任務不會影響分數。</translation>
    </message>
    <message>
      <source>CPT are the HiveMind network's credits. The node pool pays your account for the tasks this computer completes; you spend them to run tasks of your own or send them to others.</source>
      <translation>CPT 是 HiveMind 網路的點數。這台電腦每完成一個任務，節點池就會付點數到您的帳號；您可以用它來執行自己的任務，或轉給他人。</translation>
    </message>
    <message>
      <source>How many CPU cores tasks may use together, at most all of this computer's.</source>
      <translation>任務合計最多可使用幾個 CPU 核心，上限為這台電腦的全部核心。</translation>
    </message>
    <message>
      <source>How much memory (GiB) tasks may use together; keep enough for yourself.</source>
      <translation>任務合計最多可使用多少記憶體（GiB）；請為自己保留足夠的記憶體。</translation>
    </message>
    <message>
      <source>Let tasks that ask for it use this computer's NVIDIA GPU.</source>
      <translation>讓需要 GPU 的任務使用這台電腦的 NVIDIA GPU。</translation>
    </message>
    <message>
      <source>How many tasks may run at the same time; each gets its own share.</source>
      <translation>最多可同時執行幾個任務；每個任務各有自己的配額。</translation>
    </message>
    <message>
      <source>The node pool to contribute to, as address:port (e.g. 10.0.0.1:50051); your organiser gives it to you.</source>
      <translation>要貢獻的節點池，格式為 位址:連接埠（例如 10.0.0.1:50051）；由您的組織者提供。</translation>
    </message>
    <message>
      <source>The language of this app; the system language by default.</source>
      <translation>本程式的語言；預設跟隨系統語言。</translation>
    </message>
    <message>
      <source>Start HiveMind in the tray when you log in to this computer.</source>
      <translation>登入這台電腦時，在系統匣中啟動 HiveMind。</translation>
    </message>
    <message>
      <source>Tasks get the lowest CPU priority, so your own programs always come first.</source>
      <translation>任務使用最低的 CPU 優先順序，您自己的程式永遠優先。</translation>
    </message>
    <message>
      <source>Freeze tasks while you use the keyboard or mouse.</source>
      <translation>您使用鍵盤或滑鼠時，凍結任務。</translation>
    </message>
    <message>
      <source>The computer counts as idle after this long without keyboard or mouse input.</source>
      <translation>鍵盤與滑鼠在這段時間內都沒有輸入，電腦即視為閒置。</translation>
    </message>
    <message>
      <source>GPU tasks wait while you use the computer (games, video).</source>
      <translation>您使用電腦時（遊戲、影片），GPU 任務會等待。</translation>
    </message>
    <message>
      <source>Freeze tasks while a laptop runs on battery.</source>
      <translation>筆記型電腦使用電池時，凍結任務。</translation>
    </message>
    <message>
      <source>Freeze tasks while your other programs use more CPU than this (without the tasks' own use); 0 turns it off.</source>
      <translation>您的其他程式使用的 CPU 超過此值時（不含任務本身），凍結任務；0 表示關閉。</translation>
    </message>
    <message>
      <source>Tasks use at most this share of their CPU time: lower keeps fans quiet.</source>
      <translation>任務最多使用其 CPU 時間的這個比例：調低可讓風扇更安靜。</translation>
    </message>
    <message>
      <source>Freeze tasks and take no new ones while less memory than this is free.</source>
      <translation>可用記憶體少於此值時，凍結任務並不接新任務。</translation>
    </message>
    <message>
      <source>A task frozen longer than this is stopped and returned to the node pool, which runs it elsewhere; your trust score does not change.</source>
      <translation>凍結超過此時間的任務會被停止並交還節點池，由其他電腦執行；您的信任分數不受影響。</translation>
    </message>
    <message>
      <source>Days (mon … sun, ranges like mon-fri) with optional hours HH:MM-HH:MM, parts separated by ';', e.g. mon-fri 18:00-08:00; sat,sun. Empty: any time.</source>
      <translation>星期（mon … sun，可用範圍如 mon-fri），可加時段 HH:MM-HH:MM，各段以「;」分隔，例如 mon-fri 18:00-08:00; sat,sun。空白：任何時間。</translation>
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
    <name>Leaving</name>
    <message>
      <source>Sign out</source>
      <translation>登出</translation>
    </message>
    <message>
      <source>Stop tasks and sign out</source>
      <translation>停止任務並登出</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Quit HiveMind</source>
      <translation>結束 HiveMind</translation>
    </message>
    <message>
      <source>Finish running tasks, then quit</source>
      <translation>完成執行中的任務後結束</translation>
    </message>
    <message>
      <source>Stop tasks and quit</source>
      <translation>停止任務並結束</translation>
    </message>
  </context>
  <context>
    <name>LeavingProgress</name>
    <message>
      <source>Quitting HiveMind</source>
      <translation>正在結束 HiveMind</translation>
    </message>
    <message>
      <source>Stop them now and quit</source>
      <translation>立即停止並結束</translation>
    </message>
    <message>
      <source>Shutting down…</source>
      <translation>正在關閉…</translation>
    </message>
    <message numerus="yes">
      <source>Waiting for %n task(s) to finish; no new tasks are taken.</source>
      <translation>
        <numerusform>正在等待 %n 個任務完成；不再接收新任務。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Stopping %n task(s) and sending their results…</source>
      <translation>
        <numerusform>正在停止 %n 個任務並傳送結果…</numerusform>
      </translation>
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
      <source>Module names</source>
      <translation>模組名稱</translation>
    </message>
    <message>
      <source>Show which part of the app wrote each line</source>
      <translation>顯示每一行由程式的哪個部分寫入</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>複製</translation>
    </message>
    <message>
      <source>Copy the lines shown to the clipboard</source>
      <translation>將顯示的記錄複製到剪貼簿</translation>
    </message>
    <message>
      <source>Open log folder</source>
      <translation>開啟記錄資料夾</translation>
    </message>
    <message>
      <source>Save diagnostics…</source>
      <translation>儲存診斷資料…</translation>
    </message>
    <message>
      <source>Save a zip for a bug report: the logs, the settings without passwords, and a self-test of this computer</source>
      <translation>儲存一個 zip 檔供回報問題：記錄、不含密碼的設定，以及這台電腦的自我測試</translation>
    </message>
    <message>
      <source>The log folder %1 does not exist yet.</source>
      <translation>記錄資料夾 %1 尚不存在。</translation>
    </message>
    <message>
      <source>No file manager could open %1.</source>
      <translation>沒有檔案管理員能開啟 %1。</translation>
    </message>
    <message>
      <source>Save diagnostics</source>
      <translation>儲存診斷資料</translation>
    </message>
    <message>
      <source>Zip files (*.zip)</source>
      <translation>Zip 檔案 (*.zip)</translation>
    </message>
    <message>
      <source>Running the self-test and saving the diagnostics…</source>
      <translation>正在執行自我測試並儲存診斷資料…</translation>
    </message>
    <message>
      <source>The diagnostics were not saved: %1</source>
      <translation>診斷資料未儲存：%1</translation>
    </message>
    <message>
      <source>Diagnostics saved to %1 (no passwords in it).</source>
      <translation>診斷資料已儲存至 %1（不含密碼）。</translation>
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
      <source>Statistics</source>
      <translation>統計</translation>
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
      <source>Computers</source>
      <translation>電腦</translation>
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
      <source>running: %1, at %2</source>
      <translation>執行中：%1，位於 %2</translation>
    </message>
    <message>
      <source>Engine found: %1, at %2</source>
      <translation>找到的引擎：%1，位於 %2</translation>
    </message>
    <message>
      <source>Looked at: %1</source>
      <translation>已查看：%1</translation>
    </message>
    <message>
      <source>No task can run: the settings require gVisor, which Docker does not have. Install it: %1</source>
      <translation>無法執行任何任務：設定要求使用 gVisor，但 Docker 沒有安裝它。請安裝：%1</translation>
    </message>
    <message>
      <source>unknown until Docker runs</source>
      <translation>Docker 執行後才會知道</translation>
    </message>
    <message>
      <source>For a stronger sandbox, install gVisor: %1</source>
      <translation>如需更強的沙箱，請安裝 gVisor：%1</translation>
    </message>
    <message>
      <source>turned off (FLASK_PORT=0)</source>
      <translation>已關閉（FLASK_PORT=0）</translation>
    </message>
    <message>
      <source>on %1: port %2 is taken by another program (on macOS often the AirPlay Receiver), so this one is used; `hivemind-desktop status` finds it</source>
      <translation>於 %1：連接埠 %2 已被其他程式占用（在 macOS 上通常是 AirPlay 接收器），因此改用此連接埠；`hivemind-desktop status` 會找到它</translation>
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
      <source>Task refused</source>
      <translation>任務被拒絕</translation>
    </message>
    <message>
      <source>Task %1 was refused: %2</source>
      <translation>任務 %1 被拒絕：%2</translation>
    </message>
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
      <source>off (e.g. 10.0.0.2, the WireGuard address)</source>
      <translation>關閉（例如 10.0.0.2，WireGuard 位址）</translation>
    </message>
    <message>
      <source>Lets paired computers watch this one over TLS on this address. Pair one with 'hivemind-desktop pair'; empty keeps the status API on this computer only.</source>
      <translation>讓已配對的電腦透過此位址以 TLS 監看這台電腦。用「hivemind-desktop pair」配對；留空則狀態 API 只在這台電腦上提供。</translation>
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
      <source>Remote access address:</source>
      <translation>遠端存取位址：</translation>
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
      <source>Node-pool address: write it with its port, as HOST:PORT, e.g. 10.0.0.1:50051.</source>
      <translation>節點池位址：請連同連接埠寫成 HOST:PORT，例如 10.0.0.1:50051。</translation>
    </message>
    <message>
      <source>%1: use %2.</source>
      <translation>%1：請使用 %2。</translation>
    </message>
    <message>
      <source>CPU cores</source>
      <translation>CPU 核心</translation>
    </message>
    <message>
      <source>Memory</source>
      <translation>記憶體</translation>
    </message>
    <message>
      <source>Tasks at the same time</source>
      <translation>同時執行的任務數</translation>
    </message>
    <message>
      <source>Allowed days and hours</source>
      <translation>允許的星期與時段</translation>
    </message>
    <message>
      <source>Idle after no input for</source>
      <translation>無輸入多久後視為閒置</translation>
    </message>
    <message>
      <source>Suspend when other programs use more CPU than</source>
      <translation>其他程式的 CPU 用量超過此值時暫停</translation>
    </message>
    <message>
      <source>Use at most this much CPU time</source>
      <translation>最多使用的 CPU 時間</translation>
    </message>
    <message>
      <source>Keep at least this much memory free</source>
      <translation>至少保留的可用記憶體</translation>
    </message>
    <message>
      <source>Return a task suspended longer than</source>
      <translation>任務暫停超過此時間即交回</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>語言</translation>
    </message>
    <message>
      <source>of 1 core on this computer; leaves %1 free</source>
      <translation>本機共 1 核心；保留 %1 核心給您</translation>
    </message>
    <message>
      <source>of %2 cores on this computer; leaves %1 free</source>
      <translation>本機共 %2 核心；保留 %1 核心給您</translation>
    </message>
    <message>
      <source>of %1 GiB on this computer</source>
      <translation>本機共 %1 GiB</translation>
    </message>
    <message>
      <source>each task gets its share of the cores</source>
      <translation>每個任務分得一部分核心</translation>
    </message>
    <message>
      <source>The saved settings ask for %1 cores and %2 GiB, more than this computer has: HiveMind lends at most what is shown. Apply to save it.</source>
      <translation>已儲存的設定要求 %1 核心與 %2 GiB，超過本機所有：HiveMind 最多只出借這裡顯示的量。按「套用」即可儲存。</translation>
    </message>
    <message>
      <source>More tasks at the same time (%1) than cores lent (%2): each task gets less than a core, or waits for one.</source>
      <translation>同時執行的任務數（%1）多於出借的核心數（%2）：每個任務分得不到一個核心，或需等待。</translation>
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
      <source>Applied, but not saved: %1. They last until HiveMind quits.</source>
      <translation>已套用，但未儲存：%1。這些設定在 HiveMind 結束前有效。</translation>
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
      <source>1 core</source>
      <translation>1 個核心</translation>
    </message>
    <message>
      <source>%1 cores</source>
      <translation>%1 個核心</translation>
    </message>
    <message numerus="yes">
      <source>up to %n task(s) at a time</source>
      <translation>
        <numerusform>一次最多 %n 個任務</numerusform>
      </translation>
    </message>
    <message>
      <source>Lent: %1, %2 GiB of memory, GPU %3, %4.</source>
      <translation>出借：%1、%2 GiB 記憶體、GPU %3、%4。</translation>
    </message>
    <message>
      <source>What you changed here is not saved; your current settings stay.</source>
      <translation>您在這裡所做的變更不會儲存；目前的設定維持不變。</translation>
    </message>
    <message>
      <source>Nothing is saved and HiveMind does not contribute yet. The setup opens again the next time you start HiveMind.</source>
      <translation>不會儲存任何設定，HiveMind 也還不會開始貢獻。下次啟動 HiveMind 時會再次開啟設定。</translation>
    </message>
    <message>
      <source>Quit the setup?</source>
      <translation>要結束設定嗎？</translation>
    </message>
    <message>
      <source>Quit the setup</source>
      <translation>結束設定</translation>
    </message>
    <message>
      <source>Continue the setup</source>
      <translation>繼續設定</translation>
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
      <source>The settings could not be saved to %1: %2</source>
      <translation>無法將設定儲存到 %1：%2</translation>
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
      <source>Node pool:</source>
      <translation>節點池：</translation>
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
    <name>StartError</name>
    <message>
      <source>The environment variable %1 is “%2”, which HiveMind cannot use.</source>
      <translation>環境變數 %1 的值為「%2」，HiveMind 無法使用。</translation>
    </message>
    <message>
      <source>The command line sets “%1” to “%2”, which HiveMind cannot use.</source>
      <translation>命令列將「%1」設為「%2」，HiveMind 無法使用。</translation>
    </message>
    <message>
      <source>The config file sets “%1” to “%2”, which HiveMind cannot use.</source>
      <translation>設定檔將「%1」設為「%2」，HiveMind 無法使用。</translation>
    </message>
    <message>
      <source>Allowed: %1.</source>
      <translation>允許的值：%1。</translation>
    </message>
    <message>
      <source>The config file has a setting HiveMind does not know: “%1”.</source>
      <translation>設定檔中有 HiveMind 不認識的設定：「%1」。</translation>
    </message>
    <message>
      <source>The config file contains a password. Passwords are kept in the system's keyring, never in files.</source>
      <translation>設定檔中含有密碼。密碼只存放在系統的鑰匙圈中，絕不寫入檔案。</translation>
    </message>
    <message>
      <source>The config file is not valid at line %1: each line must read name = value.</source>
      <translation>設定檔第 %1 行格式無效：每一行都必須是「名稱 = 值」。</translation>
    </message>
    <message>
      <source>The config file cannot be read: check that it is a text file you may read.</source>
      <translation>無法讀取設定檔：請確認它是您有權讀取的文字檔。</translation>
    </message>
    <message>
      <source>Change or remove that environment variable, then start HiveMind again.</source>
      <translation>請修改或移除該環境變數，然後重新啟動 HiveMind。</translation>
    </message>
    <message>
      <source>Correct the command (or the shortcut that starts HiveMind), then start it again.</source>
      <translation>請修正命令（或啟動 HiveMind 的捷徑），然後重新啟動。</translation>
    </message>
    <message>
      <source>The config file is:
%1</source>
      <translation>設定檔位於：
%1</translation>
    </message>
    <message>
      <source>Correct or delete that line in the config file, then start HiveMind again. Without the line, HiveMind uses its default. The config file is:
%1</source>
      <translation>請修正或刪除設定檔中的那一行，然後重新啟動 HiveMind。刪除該行後，HiveMind 會使用預設值。設定檔位於：
%1</translation>
    </message>
    <message>
      <source>HiveMind Desktop cannot start</source>
      <translation>HiveMind Desktop 無法啟動</translation>
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
    <name>StatisticsPage</name>
    <message>
      <source>Last %1 weeks</source>
      <translation>最近 %1 週</translation>
    </message>
    <message>
      <source>Credits earned per day (CPT)</source>
      <translation>每日賺得的點數（CPT）</translation>
    </message>
    <message>
      <source>Tasks completed per day</source>
      <translation>每日完成的任務</translation>
    </message>
    <message>
      <source>Trust score (0-100)</source>
      <translation>信任分數（0-100）</translation>
    </message>
    <message>
      <source>threshold: low below, medium from here</source>
      <translation>門檻：以下為低，從此為中</translation>
    </message>
    <message>
      <source>Nothing yet in this period</source>
      <translation>此期間尚無資料</translation>
    </message>
    <message>
      <source>Recorded by this computer: credits are rises of your balance as the node pool reports it, so a transfer you received counts too.</source>
      <translation>由這台電腦記錄：點數是節點池回報的餘額增加量，因此您收到的轉帳也會計入。</translation>
    </message>
    <message>
      <source>Loading…</source>
      <translation>載入中…</translation>
    </message>
    <message>
      <source>Last %1 days: %2 CPT earned · tasks completed: %3 · failed or stopped: %4</source>
      <translation>最近 %1 天：賺得 %2 CPT · 完成任務：%3 · 失敗或停止：%4</translation>
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
    <message>
      <source>Refused</source>
      <translation>已拒絕</translation>
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
      <source>Progress</source>
      <translation>進度</translation>
    </message>
    <message>
      <source>Time left</source>
      <translation>剩餘時間</translation>
    </message>
    <message>
      <source>CPU use</source>
      <translation>CPU 使用</translation>
    </message>
    <message>
      <source>Memory use</source>
      <translation>記憶體使用</translation>
    </message>
    <message>
      <source>Isolation</source>
      <translation>隔離方式</translation>
    </message>
    <message>
      <source>How far the task says it is (not every task reports it)</source>
      <translation>任務自行回報的進度（並非每個任務都會回報）</translation>
    </message>
    <message>
      <source>Estimated from the progress so far and the time it took</source>
      <translation>依目前進度與已花費的時間估算</translation>
    </message>
    <message>
      <source>CPU the task uses now; 100 % is one full core</source>
      <translation>任務目前使用的 CPU；100 % 等於一個完整核心</translation>
    </message>
    <message>
      <source>Memory the task uses now</source>
      <translation>任務目前使用的記憶體</translation>
    </message>
    <message>
      <source>CPU cores the task asked for</source>
      <translation>任務要求的 CPU 核心數</translation>
    </message>
    <message>
      <source>Memory the task asked for</source>
      <translation>任務要求的記憶體</translation>
    </message>
    <message>
      <source>What isolates the task: gVisor gives it a kernel of its own</source>
      <translation>任務的隔離方式：gVisor 讓任務擁有自己的核心</translation>
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
      <source>Clear history…</source>
      <translation>清除歷史…</translation>
    </message>
    <message>
      <source>Remove finished tasks from this list; the statistics keep their counts</source>
      <translation>從清單移除已結束的任務；統計資料仍保留其數量</translation>
    </message>
    <message>
      <source>%1 (paused)</source>
      <translation>%1（已暫停）</translation>
    </message>
    <message>
      <source>%1 MiB</source>
      <translation>%1 MiB</translation>
    </message>
    <message>
      <source>Refused before it ran: no console output.</source>
      <translation>在執行前即被拒絕：沒有主控台輸出。</translation>
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
    <message>
      <source>Clear history</source>
      <translation>清除歷史</translation>
    </message>
    <message>
      <source>Remove the finished tasks and their console output from this list? Running tasks stay, and the Statistics page keeps its counts.</source>
      <translation>要從清單移除已結束的任務及其主控台輸出嗎？執行中的任務會保留，「統計」頁面也會保留其數量。</translation>
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
      <source>Sign in…</source>
      <translation>登入…</translation>
    </message>
    <message>
      <source>Recent activity</source>
      <translation>最近活動</translation>
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
      <source>No tasks yet</source>
      <translation>尚無任務</translation>
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
    <message>
      <source>%1 %2: %3</source>
      <translation>%1 %2：%3</translation>
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
    <message>
      <source>until %1</source>
      <translation>直到 %1</translation>
    </message>
  </context>
  <context>
    <name>WizardDockerPage</name>
    <message>
      <source>Looking for Docker…</source>
      <translation>正在尋找 Docker…</translation>
    </message>
    <message>
      <source>%1 is running. Tasks can run on this computer.</source>
      <translation>%1 執行中。這台電腦可以執行任務。</translation>
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
      <source>The task image %1 is not installed, so tasks that need it are refused. Get it with &lt;code&gt;docker pull %1&lt;/code&gt; (or, from the HiveMind source folder, &lt;code&gt;scripts/build_task_images&lt;/code&gt;), then click Check again.</source>
      <translation>尚未安裝任務映像 %1，需要它的任務都會被拒絕。請執行 &lt;code&gt;docker pull %1&lt;/code&gt; 取得（或在 HiveMind 原始碼資料夾中執行 &lt;code&gt;scripts/build_task_images&lt;/code&gt;），然後按「再檢查一次」。</translation>
    </message>
    <message>
      <source>The task images could not be looked up: %1</source>
      <translation>無法查詢任務映像：%1</translation>
    </message>
    <message>
      <source>The task image %1 is installed.</source>
      <translation>任務映像 %1 已安裝。</translation>
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
      <source>Your Windows account may not use Docker Desktop: an administrator adds it to the &lt;code&gt;docker-users&lt;/code&gt; group (Computer Management, or &lt;code&gt;net localgroup docker-users YOUR-NAME /add&lt;/code&gt;), then sign out and back in.</source>
      <translation>您的 Windows 帳號不能使用 Docker Desktop：請系統管理員將它加入 &lt;code&gt;docker-users&lt;/code&gt; 群組（電腦管理，或 &lt;code&gt;net localgroup docker-users 您的名稱 /add&lt;/code&gt;），然後登出再重新登入。</translation>
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
      <source>Or, without giving your account the power of root that the docker group brings: install Podman (&lt;code&gt;sudo apt install podman uidmap&lt;/code&gt;) and start its service for your account with &lt;code&gt;systemctl --user enable --now podman.socket&lt;/code&gt;. It holds tasks to their limits only on Linux with cgroup v2.</source>
      <translation>或者，不讓您的帳號取得 docker 群組所帶來的 root 權限：安裝 Podman（&lt;code&gt;sudo apt install podman uidmap&lt;/code&gt;），並以 &lt;code&gt;systemctl --user enable --now podman.socket&lt;/code&gt; 為您的帳號啟動它的服務。只有在使用 cgroup v2 的 Linux 上，它才能讓任務遵守資源上限。</translation>
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
      <source>Write the node pool's address with its port, as HOST:PORT, e.g. 10.0.0.1:50051.</source>
      <translation>請連同連接埠填寫節點池位址，格式為 HOST:PORT，例如 10.0.0.1:50051。</translation>
    </message>
    <message>
      <source>Enter your username, your password and the node pool's address, then click Sign in. Next is available once you are signed in.</source>
      <translation>請輸入使用者名稱、密碼與節點池位址，然後按「登入」。登入後即可按「下一步」。</translation>
    </message>
    <message>
      <source>Correct the node pool's address to sign in.</source>
      <translation>請更正節點池位址後再登入。</translation>
    </message>
    <message>
      <source>Next is available once you are signed in, or once you tick Sign in later.</source>
      <translation>登入後，或勾選「稍後登入」後，即可按「下一步」。</translation>
    </message>
    <message>
      <source>Click Sign in; Next is available once you are signed in.</source>
      <translation>請按「登入」；登入後即可按「下一步」。</translation>
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
      <source>Your tunnel address: write the address HiveMind sent you, e.g. 10.0.0.2/24.</source>
      <translation>您的通道位址：請填寫 HiveMind 寄給您的位址，例如 10.0.0.2/24。</translation>
    </message>
    <message>
      <source>Node pool public key: this is not a WireGuard key (44 characters ending in '='). Copy it again from HiveMind's reply.</source>
      <translation>節點池公開金鑰：這不是 WireGuard 金鑰（44 個字元，以「=」結尾）。請從 HiveMind 的回覆中重新複製。</translation>
    </message>
    <message>
      <source>Node pool endpoint: write it as host:port, e.g. pool.example.org:51820.</source>
      <translation>節點池端點：請寫成 host:port，例如 pool.example.org:51820。</translation>
    </message>
    <message>
      <source>The config could not be made: %1</source>
      <translation>無法產生設定：%1</translation>
    </message>
    <message>
      <source>No file manager could be opened. The config is saved at %1</source>
      <translation>無法開啟檔案管理員。設定檔已儲存於 %1</translation>
    </message>
    <message>
      <source>Path copied: in WireGuard's Import dialog, paste it as the file name (on a Mac, press Cmd+Shift+G first).</source>
      <translation>已複製路徑：在 WireGuard 的匯入對話框中，將它貼到檔案名稱欄（Mac 上請先按 Cmd+Shift+G）。</translation>
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
      <source>The node pool cannot reach this computer yet: no WireGuard tunnel is up. Activate the tunnel above; its address is then found by itself.</source>
      <translation>節點池目前還無法連到這台電腦：沒有啟用中的 WireGuard 通道。請啟用上方的通道，系統便會自動找到其位址。</translation>
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
      <source>Show in folder</source>
      <translation>在資料夾中顯示</translation>
    </message>
    <message>
      <source>Copy path</source>
      <translation>複製路徑</translation>
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
  <context>
    <name>_Counted</name>
    <message numerus="yes">
      <source>%n task(s) are running. Signing out stops them and sends what they produced so far back to the node pool.</source>
      <translation>
        <numerusform>%n 個任務正在執行。登出會停止這些任務，並將目前的成果送回節點池。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n task(s) are running. HiveMind can let them finish (it takes no new tasks meanwhile), or stop them now and send what they produced so far back to the node pool.</source>
      <translation>
        <numerusform>%n 個任務正在執行。HiveMind 可以等它們完成（期間不再接收新任務），或立即停止並將目前的成果送回節點池。</numerusform>
      </translation>
    </message>
  </context>
</TS>