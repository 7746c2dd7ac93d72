from hivemind_desktop.cli import main

raise SystemExit(main())
