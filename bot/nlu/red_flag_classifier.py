"""Rasa NLU component that turns a red flag in any user message into a red-flag intent.

It runs last in the pipeline, inside the Rasa server, so the escalation rules fire
even when the action server is down. The patterns live in `content/red_flags.yml`
and are re-read when that file changes (no retraining).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

log = logging.getLogger(__name__)
EXTRACTOR = "RedFlagClassifier"
CHECK_INTENT = "red_flag_check"
# a screening answer or a first description of the pain is followed by the screening questions anyway
NO_CHECK_INTENTS = frozenset({"affirm", "deny", "unsure", "describe_neck_pain", "describe_leg_pain"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagClassifier(GraphComponent, IntentClassifier):
    """Overrides the intent with `red_flag_<tier>` and adds `urgency` / `red_flag` entities.

    DIET also knows the red-flag intents from a few examples. When only DIET says
    red flag (the negation-aware patterns found nothing) we keep it as a safety net
    only when it is confident; otherwise the next intent in DIET's ranking is used,
    because DIET cannot tell "ingen feber" from "feber".
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"model_only_min_confidence": 0.8, "fallback_threshold": 0.45}

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    def _check_model_only_flag(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        if not str(intent.get("name", "")).startswith("red_flag_"):
            return
        # a check question needs a topic the patterns found; the model alone never asks one
        confident = (intent.get("confidence") or 0.0) >= self.config["model_only_min_confidence"]
        if confident and intent.get("name") != CHECK_INTENT:
            log.info("red flag from the NLU model only: %s", intent["name"])
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if not r["name"].startswith("red_flag_")]
        fallback = ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 0.0}
        if fallback["confidence"] < self.config["fallback_threshold"]:
            fallback = {"name": "nlu_fallback", "confidence": self.config["fallback_threshold"]}
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagClassifier:
        from bot.safety.detector import warm_up

        warm_up()  # at start-up, not on a patient's first message
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        from bot.safety.detector import detect_with_topics, most_urgent  # late: patterns reload at run time

        for message in messages:
            text = message.get(TEXT) or ""
            try:
                flags, topics = detect_with_topics(text)
                top = most_urgent(flags)
            except Exception:  # a detector bug must never take the bot down; fail loudly in logs
                log.exception("red-flag detection failed")
                continue
            if top is None:
                self._check_model_only_flag(message)
                if topics and (message.get(INTENT) or {}).get("name") not in NO_CHECK_INTENTS:
                    self._ask_to_check(message, topics[0].flag_id, len(text))
                continue
            log.info("red flag detected: %s (%s)", top.flag_id, top.tier)
            intent = {"name": f"red_flag_{top.tier}", "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent["name"]]
            message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
            end = len(text)
            entities = list(message.get(ENTITIES) or [])
            entities += [
                {"entity": "urgency", "value": top.tier, "start": 0, "end": end, "extractor": EXTRACTOR},
                {"entity": "red_flag", "value": top.flag_id, "start": 0, "end": end, "extractor": EXTRACTOR},
            ]
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    @staticmethod
    def _ask_to_check(message: Message, flag_id: str, end: int) -> None:
        """A warning sign's topic without the sign: the bot asks that flag's question (intent
        red_flag_check, entity red_flag_check = the flag) instead of answering past it."""
        log.info("red-flag topic without a sign: %s", flag_id)
        intent = {"name": CHECK_INTENT, "confidence": 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CHECK_INTENT]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        entity = {"entity": "red_flag_check", "value": flag_id, "start": 0, "end": end, "extractor": EXTRACTOR}
        message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
