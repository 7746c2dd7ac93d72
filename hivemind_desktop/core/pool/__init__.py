"""The worker's side of the node-pool protocol (protocol.md), in parts usable alone:

- `session`: the channel, sign-in, token upkeep and authorized calls (PoolSession);
- `probe`: "can I sign in with these?" once, keeping nothing (the wizard, the self-test);
- `liveness`: registration and status reports that keep the node online (Liveness);
- `feed`: a running task's console output and usage (TaskFeed);
- `outbox`: results delivered from the persistent outbox with backoff (ResultOutbox);
- `client`: NodePoolClient, the worker's composition of the above.

Nothing is imported here, so that the probe loads without the rest.
"""
