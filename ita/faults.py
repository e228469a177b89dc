"""Crash points for the crash-safety tests: with ITA_CRASH_AT=<name> in the
environment the process kills itself (SIGKILL, no clean-up) the first time it
reaches that point. Without the variable every call is a no-op."""

from __future__ import annotations

import os
import signal

# Each kills the night's process. "in_render_worker" (ita.render_workers) kills
# only a render worker, and the night goes on: it is not one of these.
POINTS = ("after_read", "after_commit", "after_archive_copy", "while_rendering")


def crash_point(name: str) -> None:
    if os.environ.get("ITA_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
