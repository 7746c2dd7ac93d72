# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for the window shown when a setting stops the app from starting."""

ZH_TW = {
    "HiveMind Desktop cannot start": "HiveMind Desktop 無法啟動",
    "The environment variable %1 is “%2”, which HiveMind cannot use.": "環境變數 %1 的值為「%2」，HiveMind 無法使用。",
    "The command line sets “%1” to “%2”, which HiveMind cannot use.": "命令列將「%1」設為「%2」，HiveMind 無法使用。",
    "The config file sets “%1” to “%2”, which HiveMind cannot use.": "設定檔將「%1」設為「%2」，HiveMind 無法使用。",
    "Allowed: %1.": "允許的值：%1。",
    "The config file has a setting HiveMind does not know: “%1”.": "設定檔中有 HiveMind 不認識的設定：「%1」。",
    "The config file contains a password. Passwords are kept in the system's keyring, never in files.": "設定檔中含有密碼。密碼只存放在系統的鑰匙圈中，絕不寫入檔案。",
    "The config file is not valid at line %1: each line must read name = value.": "設定檔第 %1 行格式無效：每一行都必須是「名稱 = 值」。",
    "The config file cannot be read: check that it is a text file you may read.": "無法讀取設定檔：請確認它是您有權讀取的文字檔。",
    "Change or remove that environment variable, then start HiveMind again.": "請修改或移除該環境變數，然後重新啟動 HiveMind。",
    "Correct the command (or the shortcut that starts HiveMind), then start it again.": "請修正命令（或啟動 HiveMind 的捷徑），然後重新啟動。",
    "The config file is:\n%1": "設定檔位於：\n%1",
    "Correct or delete that line in the config file, then start HiveMind again. Without the line, HiveMind uses its default. The config file is:\n%1": "請修正或刪除設定檔中的那一行，然後重新啟動 HiveMind。刪除該行後，HiveMind 會使用預設值。設定檔位於：\n%1",
}
