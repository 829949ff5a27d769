"""The business areas that plug into the lifecycle engine: each hooks module registers the
guards, effects and recipients states.yaml names. The engine loads them before it reads the
file, so every name is known at start-up; a new area adds its hooks module here, and the
engine (workflow/lifecycle/) stays unaware of it."""

from __future__ import annotations

import importlib

HOOK_MODULES = (
    "workflow.declaration.hooks",
    "workflow.milestones.hooks",
    "workflow.evaluation.hooks",
    "workflow.notify.hooks",
    "workflow.monitoring.hooks",
    "workflow.adjustment.hooks",
)


def load() -> None:
    for name in HOOK_MODULES:
        importlib.import_module(name)
