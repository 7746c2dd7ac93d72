# ruff: noqa: E501 - one entry a line
"""English plural forms of the quit, sign-out and leaving-progress texts (one, other)."""

EN_PLURALS = {
    "%n task(s) are running. Signing out stops them and sends what they produced so far back to the node pool.": (
        "%n task is running. Signing out stops it and sends what it produced so far back to the node pool.",
        "%n tasks are running. Signing out stops them and sends what they produced so far back to the node pool.",
    ),
    "%n task(s) are running. HiveMind can let them finish (it takes no new tasks meanwhile), or stop them now and send what they produced so far back to the node pool.": (
        "%n task is running. HiveMind can let it finish (it takes no new tasks meanwhile), or stop it now and send what it produced so far back to the node pool.",
        "%n tasks are running. HiveMind can let them finish (it takes no new tasks meanwhile), or stop them now and send what they produced so far back to the node pool.",
    ),
    "Waiting for %n task(s) to finish; no new tasks are taken.": (
        "Waiting for %n task to finish; no new tasks are taken.",
        "Waiting for %n tasks to finish; no new tasks are taken.",
    ),
    "Stopping %n task(s) and sending their results…": (
        "Stopping %n task and sending its result…",
        "Stopping %n tasks and sending their results…",
    ),
}
