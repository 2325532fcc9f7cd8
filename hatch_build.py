"""Which launcher the wheel carries (pyproject.toml, README.md: Speed).

Built on Windows, the wheel has the console script `mlpath` (installers turn it into
mlpath.exe); anywhere else it has none, and scripts/mlpath (shared-scripts) is bin/mlpath,
which does not import `re` as the console script's wrapper does. pip installs only one of
the two: a shared script named as a console script is left out, so the Windows wheel needs no
other change.
"""

from __future__ import annotations

import os
from typing import Any

from hatchling.metadata.plugin.interface import MetadataHookInterface


class LauncherHook(MetadataHookInterface):
    def update(self, metadata: dict[str, Any]) -> None:
        metadata["scripts"] = {"mlpath": "mlpath.cli:main"} if os.name == "nt" else {}
