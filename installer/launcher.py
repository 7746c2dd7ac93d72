"""PyInstaller entry point of the frozen app: the same `main` as the console script.

freeze_support() first: a frozen multiprocessing child would otherwise start the whole
app again instead of running its target.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from hivemind_desktop.cli import main

    sys.exit(main())
