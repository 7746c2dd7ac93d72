# Production task image: what scripts/build_task_images assembles offline for tests,
# built the ordinary way where a registry is reachable:
#   docker build -f images/task-python.Dockerfile -t hivemind/task-python:latest images/
# The runner adds every restriction at run time (read-only root, no network, caps
# dropped, user 1000:1000); the image only has to provide a non-root user and /workspace.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

RUN groupadd --gid 1000 task \
 && useradd --uid 1000 --gid 1000 --home-dir /workspace --no-create-home --shell /bin/sh task \
 && mkdir -p /workspace \
 && chown 1000:1000 /workspace

WORKDIR /workspace
USER 1000:1000
CMD ["python3"]
