"""One transitions.Machine per process, built from the validated spec; it never holds models."""

from __future__ import annotations

import threading
from pathlib import Path

from transitions import Machine, MachineError

from workflow.errors import InvalidTransition
from workflow.lifecycle.spec import LifecycleSpec, load_spec


class _Carrier:
    """Stands in for a project while the machine computes the next state: the real row changes
    only through the conditional UPDATE in `fire`, never as a machine side effect."""

    def __init__(self, state: str) -> None:
        self.state = state


class Lifecycle:
    def __init__(self, spec: LifecycleSpec) -> None:
        self.spec = spec
        self.machine = Machine(
            model=None,
            states=list(spec.states),
            transitions=[
                {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
                for t in spec.transitions
            ],
            initial=spec.initial,
            auto_transitions=False,
            send_event=True,
        )
        #: the other workflows of the file (`workflows:`), each a machine of its own
        self.workflows = {name: Lifecycle(w) for name, w in spec.workflows.items()}

    def next_state(self, state: str, trigger: str) -> str:
        carrier = _Carrier(state)
        try:
            self.machine.events[trigger].trigger(carrier)
        except (KeyError, MachineError) as exc:
            raise InvalidTransition() from exc
        return carrier.state


def load_lifecycle(path: str | Path | None = None) -> Lifecycle:
    """Build the lifecycle of a file, once the areas have registered the names it may use."""
    from workflow import areas  # at call time: the areas themselves import the engine
    from workflow.lifecycle.hooks import registered_names

    areas.load()
    return Lifecycle(load_spec(path, names=registered_names()))


_lock = threading.Lock()
_default: Lifecycle | None = None


def get_lifecycle() -> Lifecycle:
    """The process-wide lifecycle from STATES_FILE (or the bundled states.yaml), loaded once."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = load_lifecycle()
    return _default
