"""Sample task folders used by `hivemind-desktop demo` (and handy to copy)."""

from pathlib import Path

FOLDER = Path(__file__).parent


def sample_tasks() -> list[Path]:
    return sorted(p for p in FOLDER.iterdir() if p.is_dir() and not p.name.startswith("_"))
