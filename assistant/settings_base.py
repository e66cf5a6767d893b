"""The base of every settings section and the cache folder the defaults point into (see assistant.settings)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "plan02-assistant"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")
