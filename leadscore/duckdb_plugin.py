"""dbt-duckdb plugin of the project's profile: the warehouse file dbt opens is owner-only (0600), as
when `leadscore` opens it (leadscore.warehouse.connect), also when dbt is the first to create it.

The file holds raw emails, phones and free-text messages. dbt-duckdb calls `update_connection_config`
before it connects (the umask is narrowed, so a new file is created 0600) and `configure_connection`
after (the umask is restored and an existing file and WAL are set to 0600, as the loader does).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from leadscore import warehouse


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._old_umask: int | None = None
        self._path: Path | None = None

    def update_connection_config(self, creds, config: dict[str, Any]) -> None:
        path = str(getattr(creds, "path", "") or "")
        if path and path != ":memory:" and "://" not in path and not path.startswith("md:"):
            self._path = Path(path)
            self._old_umask = os.umask(0o077)

    def configure_connection(self, conn) -> None:
        if self._old_umask is not None:
            os.umask(self._old_umask)
            self._old_umask = None
        if self._path is not None:
            warehouse.restrict_mode(self._path)
