"""The event-type table answers exactly as Rasa's own lookup (a tracker must load the same events)."""

from __future__ import annotations

import pytest
import rasa.shared.utils.common
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from bot.channels import event_types


def _rasa_lookup(type_name: str) -> type[Event] | None:
    return next((c for c in rasa.shared.utils.common.all_subclasses(Event) if c.type_name == type_name), None)


def test_every_event_type_resolves_as_in_rasa() -> None:
    event_types.install()
    names = {c.type_name for c in rasa.shared.utils.common.all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is _rasa_lookup(name), name


def test_unknown_names_keep_rasas_behaviour() -> None:
    event_types.install()
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_stored_events_load_back_unchanged() -> None:
    event_types.install()
    events = [UserUttered("hej", {"name": "greet", "confidence": 1.0}), SlotSet("urgency", "same_day"),
              ActionExecuted("utter_greet")]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events
