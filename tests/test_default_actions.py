"""Rasa's built-in fallbacks must speak Danish, never Rasa's English defaults."""

from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import settings
from bot.actions.defaults import ActionDefaultAskAffirmation
from bot.nlg import ContentNLG

ENGLISH = ("did you mean", "sorry", "i didn't", "please rephrase", "yes", "no")


def test_ask_affirmation_is_replaced_by_a_danish_rephrase_request() -> None:
    dispatcher = CollectingDispatcher()
    tracker = Tracker("t", {}, {"intent": {"name": "nlu_fallback"}}, [], False, None, None, "action_listen")
    asyncio.run(ActionDefaultAskAffirmation().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_rephrase"]


@pytest.mark.parametrize("response", ["utter_default", "utter_ask_rephrase", "utter_out_of_scope"])
def test_default_responses_are_danish(response: str) -> None:
    domain = Domain.load(str(settings.ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("t", [], slots=domain.slots)
    out = asyncio.run(ContentNLG().generate(response, tracker, "rest"))
    assert out is not None
    text = out["text"].lower()
    assert not any(word in text.split() or word in text for word in ENGLISH[:4])
    assert any(ch in text for ch in "æøå") or " jeg " in f" {text} "
