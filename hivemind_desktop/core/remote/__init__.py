"""Remote access to a worker's status API: TLS identity, pairing and tokens, the listener.

Off by default (loopback only). When the volunteer names an address, a second listener
serves the same read routes over TLS to paired computers only, each with its own token
and permissions (read; control = pause/resume and stop a task).
"""
