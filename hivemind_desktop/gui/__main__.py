"""`python -m hivemind_desktop.gui`: the desktop app (the same as `hivemind-desktop`)."""

from hivemind_desktop.gui.app import main

raise SystemExit(main())
