"""`python -m companion` is the `companion` command."""

import sys

if getattr(sys, "frozen", False):
    # The bundle: the directory index is built in a child process started with "spawn",
    # which runs this same executable; freeze_support makes that child build, not start.
    import multiprocessing

    multiprocessing.freeze_support()

from companion.entry import main

sys.exit(main())
