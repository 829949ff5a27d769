"""The instance folder: where a node keeps what is its own and not in the database (the SQLite
file, the development SECRET_KEY, the audit key and checkpoints): JIXIAO_INSTANCE, or
./instance."""

from __future__ import annotations

import os
from pathlib import Path


def instance_dir(env=os.environ) -> Path:
    return Path(env.get("JIXIAO_INSTANCE") or Path.cwd() / "instance")
