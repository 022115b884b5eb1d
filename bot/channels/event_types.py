"""Look up Rasa event classes by type name in a dict instead of walking every subclass each time.

Why: Rasa 3.6's `Event.resolve_by_type` calls `all_subclasses(Event)` (a recursive walk with
`inspect.isabstract` on every class) for every stored event it reads, so loading a tracker of a few
dozen events costs that walk a few dozen times; in a py-spy profile of the single setup under load it
was about 5 % of the Rasa process. The answer is the same: the first subclass, in Rasa's own order,
whose `type_name` matches; names not in the table (classes defined later, "topic") go to Rasa's code.
"""

from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Replace `Event.resolve_by_type` (idempotent; called when the channel is loaded inside Rasa)."""
    global _installed
    if _installed:
        return
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    table: dict[str, type[Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        table.setdefault(cls.type_name, cls)

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        found = table.get(type_name)
        return found if found is not None else original(type_name, default)

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment,method-assign]
    _installed = True
