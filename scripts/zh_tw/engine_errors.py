# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for why the container engine cannot be reached (core/engine_errors.py)."""

ZH_TW = {
    "add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and in; that group is as powerful as root), or use rootless Podman instead, which needs no group: `systemctl --user enable --now podman.socket`": "將您的使用者加入 docker 群組（`sudo usermod -aG docker $USER`，然後登出再登入；此群組的權限等同 root），或改用不需群組的 rootless Podman：`systemctl --user enable --now podman.socket`",
    "start Podman's API service: `systemctl --user enable --now podman.socket` (or `podman system service --time=0 &`)": "啟動 Podman 的 API 服務：`systemctl --user enable --now podman.socket`（或 `podman system service --time=0 &`）",
    "start rootless Docker: `systemctl --user start docker`": "啟動 rootless Docker：`systemctl --user start docker`",
    "start Docker Desktop from the Start menu and wait until it says 'Engine running'": "從「開始」功能表啟動 Docker Desktop，並等到它顯示「Engine running」",
    "add your Windows account to the docker-users group (an administrator runs `net localgroup docker-users YOUR-NAME /add`), then sign out and back in": "將您的 Windows 帳號加入 docker-users 群組（由系統管理員執行 `net localgroup docker-users 您的名稱 /add`），然後登出再登入",
    "open Docker from the Applications folder and wait until it says it is running": "從「應用程式」檔案夾開啟 Docker，並等到它顯示正在執行",
    " at %1": "（位於 %1）",
    "Windows refused access to Docker Desktop%1: %2": "Windows 拒絕存取 Docker Desktop%1：%2",
    "Docker Desktop is not running (nothing answers%1): %2": "Docker Desktop 未在執行（沒有回應%1）：%2",
    "Docker Desktop is busy and did not answer%1: try again in a moment": "Docker Desktop 忙碌中，沒有回應%1：請稍後再試",
    "Permission denied on the Docker socket%1: %2": "沒有存取 Docker socket 的權限%1：%2",
    "Docker did not answer within %1 s%2: restart Docker and try again": "Docker 在 %1 秒內沒有回應%2：請重新啟動 Docker 後再試",
    "nothing answers at %1; %2": "%1 沒有回應；%2",
    "start that engine, or unset DOCKER_HOST": "請啟動該引擎，或取消設定 DOCKER_HOST",
    "start that engine, or go back to the usual one with `docker context use default`": "請啟動該引擎，或以 `docker context use default` 改回平常的引擎",
    "Podman is not running: %1": "Podman 未在執行：%1",
    "Rootless Docker is not running: %1": "Rootless Docker 未在執行：%1",
    "Docker Desktop is not running: %1": "Docker Desktop 未在執行：%1",
}
