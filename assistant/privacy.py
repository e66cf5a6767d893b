"""Nothing phones home: telemetry and hub access are switched off before any library starts."""

from __future__ import annotations

import os

# Each of these libraries reads its switch from the environment when it is first used.
OFFLINE_ENV = {
    "ANONYMIZED_TELEMETRY": "False",  # chromadb
    "GRADIO_ANALYTICS_ENABLED": "False",  # gradio
    "HF_HUB_OFFLINE": "1",  # huggingface_hub: no downloads, no telemetry
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
    "RAGAS_DO_NOT_TRACK": "true",  # ragas (the optional LLM judge of `assistant eval`)
}


def disable_telemetry() -> None:
    """Set the offline switches unless the user set them explicitly. Called from entry points only."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
