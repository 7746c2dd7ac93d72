"""`python -m hivemind_desktop.nodepool serve|submit ...` (same as the main CLI's
`nodepool` and `submit` commands)."""

from __future__ import annotations

import argparse
import sys

from hivemind_desktop.nodepool.cli import (
    add_nodepool_arguments,
    add_submit_arguments,
    run_nodepool,
    run_submit,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hivemind_desktop.nodepool")
    sub = parser.add_subparsers(dest="command", required=True)
    add_nodepool_arguments(sub.add_parser("serve", help="run a local node pool"))
    add_submit_arguments(sub.add_parser("submit", help="run a folder as a task on a pool"))
    args = parser.parse_args(argv)
    return run_nodepool(args) if args.command == "serve" else run_submit(args)


if __name__ == "__main__":
    sys.exit(main())
