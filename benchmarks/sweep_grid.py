"""``--grid field=v1,v2`` / ``--sweep field=v1,v2`` options of the sweep tools, read against a settings model."""

from __future__ import annotations

from pydantic import BaseModel


def parse_grid(model: type[BaseModel], items: list[str]) -> dict[str, list]:
    """``["min_support=0.3,0.35"]`` -> ``{"min_support": [0.3, 0.35]}``, each value of the field's default's type."""
    grid: dict[str, list] = {}
    for item in items:
        name, _, values = item.partition("=")
        if name not in model.model_fields:
            raise SystemExit(f"{name!r} is not a field of {model.__name__}")
        kind = type(model.model_fields[name].default)
        grid[name] = [kind(v) for v in values.split(",")]
    return grid
