"""One scheduled run at a time: an exclusive ``flock`` on ``<data dir>/newsbot.lock``.

The kernel releases the lock when its process dies, even by SIGKILL, so a lock file left
behind by a killed run never blocks the next one. The file holds the holder's pid and
start time, for the message the second run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path


class Locked(Exception):
    """Another run holds the lock."""

    def __init__(self, path: Path, holder: dict):
        self.path = path
        self.holder = holder
        super().__init__(f"another newsbot run is going (pid {holder.get('pid', '?')}, "
                         f"started {holder.get('started', '?')}; lock {path})")


class RunLock:
    def __init__(self, path: Path):
        self.path = path
        self.file = None

    def acquire(self, run_id: str) -> None:
        """Take the lock or raise ``Locked`` without changing anything."""
        if self.path.exists():
            probe = self.path.open("r")
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(probe)
                probe.close()
                raise Locked(self.path, holder) from None
            fcntl.flock(probe, fcntl.LOCK_UN)
            probe.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("a+")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another run took it between the probe and now
            holder = _read_holder(self.file)
            self.file.close()
            self.file = None
            raise Locked(self.path, holder) from None
        self.file.seek(0)
        self.file.truncate()
        self.file.write(json.dumps({"pid": os.getpid(), "run_id": run_id,
                                    "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
        self.file.flush()

    def release(self) -> None:
        if self.file is not None:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()
            self.file = None


def _read_holder(file) -> dict:
    file.seek(0)
    try:
        return json.loads(file.read() or "{}")
    except ValueError:
        return {}
