"""Watching other workers from this desktop app: the pinned-TLS client of their remote
status API (client), the paired computers and their tokens (book), and the poller that
asks each one in turn off the GUI thread (watch)."""
