"""Danish replacements for Rasa's built-in actions that would otherwise speak English."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionDefaultAskAffirmation(Action):
    """Rasa's default asks "Did you mean '<intent>'?" in English; we ask the patient to rephrase, in Danish."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []
