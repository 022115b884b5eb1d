"""A learned safety net under the red-flag patterns: a text classifier for emergencies.

Why: every new batch of messages written blind found about five emergencies in 120 that the
hand-written patterns missed (new wordings, metaphors, typos). A classifier learned from all the
labelled messages in `tests/red_flags/` generalises differently and caught most of those misses on
text it had not seen (docs: README "Red flags"). It only ever *adds* an emergency; it never cancels
or lowers what the patterns found, and the patterns stay the explainable first line.

Training data: every labelled red-flag message (emergency = positive, everything else negative)
plus the NLU examples of `bot/data/nlu.yml` as ordinary chat (negative), so short everyday
messages ("slet ikke", "både og?") are not read as warning signs. The model is trained on first
use (about 3 s) and cached in `.cache/` under a hash of its inputs, so an edited example set
retrains it and nothing trained is committed.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import pickle
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot import settings

logger = logging.getLogger(__name__)

EXAMPLE_DIR = settings.ROOT / "tests" / "red_flags"
CHAT_EXAMPLES = settings.ROOT / "bot" / "data" / "nlu.yml"
# bump when the features or the model change, so old caches are not reused
MODEL_VERSION = "2"
_WORD = re.compile(r"\w+")
_NOT_ALNUM = re.compile(r"[^a-z0-9 ]+")
_DOUBLE = re.compile(r"(.)\1+")
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe"})


class LearnedConfigError(ValueError):
    """The `learned:` section of red_flags.yml is not usable."""


@dataclass(frozen=True)
class LearnedSettings:
    """From `learned:` in content/red_flags.yml: which flag to raise, and when."""

    flag: str
    threshold: float
    min_words: int
    # up to this many words, a sign the patterns read as denied stays denied
    denial_max_words: int = 0

    @classmethod
    def from_raw(cls, raw: object) -> LearnedSettings | None:
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            raise LearnedConfigError("'learned:' must be a mapping with flag, threshold and min_words")
        try:
            found = cls(str(raw["flag"]), float(raw["threshold"]), int(raw.get("min_words", 1)),
                        int(raw.get("denial_max_words", 0)))
        except (KeyError, TypeError, ValueError) as exc:
            raise LearnedConfigError(f"'learned:' needs flag, threshold (0-1) and min_words: {exc}") from exc
        if not 0.0 < found.threshold < 1.0 or found.min_words < 1 or found.denial_max_words < 0:
            raise LearnedConfigError(
                "'learned:' threshold must lie between 0 and 1, min_words be at least 1, denial_max_words 0 or more"
            )
        return found

    def applies(self, text: str) -> bool:
        """Very short messages ("slet ikke", a screening answer) carry too little to judge."""
        return len(_WORD.findall(text)) >= self.min_words

    def trusts_denial(self, text: str) -> bool:
        return len(_WORD.findall(text)) <= self.denial_max_words


def normalise(text: str) -> str:
    """Lower case, æøå folded, doubled letters single: "nakkken", "naar" and "når" look alike."""
    text = str(text).lower().translate(_FOLD)
    return _NOT_ALNUM.sub(" ", _DOUBLE.sub(r"\1", text))


def _labelled(path: Path) -> list[tuple[str, bool]]:
    cases = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases") or []
    return [(str(c["text"]), c.get("tier") == "emergency") for c in cases if isinstance(c, Mapping)]


def _chat(path: Path) -> list[tuple[str, bool]]:
    """NLU examples of every intent that is not itself about a red flag: ordinary chat."""
    from rasa.shared.nlu.training_data.loading import load_data  # late: heavy, only when training

    data = load_data(str(path))
    return [
        (str(m.get("text")), False)
        for m in data.intent_examples
        if m.get("text") and not str(m.get("intent", "")).startswith("red_flag")
    ]


def example_files(exclude: Iterable[str] = ()) -> list[Path]:
    skip = set(exclude)
    return [p for p in sorted(EXAMPLE_DIR.glob("*.yml")) if p.stem not in skip]


def training_examples(exclude: Iterable[str] = ()) -> tuple[list[str], list[bool]]:
    """Texts and labels (True = emergency); `exclude` names example sets (file stems) to leave out."""
    pairs = [pair for path in example_files(exclude) for pair in _labelled(path)]
    if not any(label for _, label in pairs):
        logger.error("no labelled emergency messages in %s: the learned red-flag safety net finds nothing", EXAMPLE_DIR)
    if CHAT_EXAMPLES.exists():
        pairs += _chat(CHAT_EXAMPLES)
    return [t for t, _ in pairs], [y for _, y in pairs]


def fit(texts: Sequence[str], labels: Sequence[bool]) -> Any:
    """Character n-grams (robust to typos and missing æøå) plus words and word pairs, logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=normalise, sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), preprocessor=normalise, sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced"))
    model.fit(list(texts), list(labels))
    for _, vectoriser in model[0].transformer_list:
        vectoriser.stop_words_ = None  # only kept for inspection; halves the cache file
    return model


def _fingerprint(exclude: tuple[str, ...]) -> str:
    import sklearn

    digest = hashlib.sha256(f"{MODEL_VERSION}|{sklearn.__version__}|{','.join(exclude)}".encode())
    for path in [*example_files(exclude), CHAT_EXAMPLES]:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Scorer:
    """The fitted pipeline's probability for one message, computed straight from its weights.

    Why: sklearn's per-call checks and sparse matrices cost about 3 ms per message, this about
    0.2 ms, and it runs on every message. Same arithmetic (tf-idf with sublinear tf and l2 norm per
    vectoriser, then the logistic function); a test holds it equal to ``predict_proba``.
    """

    def __init__(self, pipeline: Any) -> None:
        union, regression = pipeline[0], pipeline[-1]
        coef = regression.coef_.ravel()
        self.intercept = float(regression.intercept_[0])
        self.parts: list[tuple[Callable[[str], list[str]], dict[str, int], list[float], list[float]]] = []
        offset = 0
        for _, vectoriser in union.transformer_list:
            idf = [float(x) for x in vectoriser.idf_]
            weights = [float(coef[offset + i]) * idf[i] for i in range(len(idf))]
            self.parts.append((vectoriser.build_analyzer(), vectoriser.vocabulary_, idf, weights))
            offset += len(idf)

    def probability(self, text: str) -> float:
        z = self.intercept
        for analyse, vocabulary, idf, weights in self.parts:
            dot = square = 0.0
            for term, count in Counter(analyse(text)).items():
                index = vocabulary.get(term)
                if index is not None:
                    tf = 1.0 + math.log(count)
                    dot += weights[index] * tf
                    square += (idf[index] * tf) ** 2
            if square:
                z += dot / math.sqrt(square)
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=4)
def trained_model(exclude: tuple[str, ...] = ()) -> Any:
    """The fitted pipeline for the current examples: from the cache when its inputs are unchanged."""
    cache = settings.CACHE_DIR / f"red_flag_model-{_fingerprint(exclude)}.pkl"
    try:
        with cache.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own cache file, keyed by a hash of its inputs
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    texts, labels = training_examples(exclude)
    logger.info("training the learned red-flag safety net on %d messages", len(texts))
    model = fit(texts, labels)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as handle:
            pickle.dump(model, handle)
        os.replace(handle.name, cache)
    except OSError:
        logger.warning("could not cache the learned red-flag model in %s", cache.parent)
    return model


@lru_cache(maxsize=4)
def scorer(exclude: tuple[str, ...] = ()) -> Scorer:
    return Scorer(trained_model(exclude))


def probability(text: str, exclude: tuple[str, ...] = ()) -> float:
    """How likely the message reports an emergency sign, 0-1 (the model trained without `exclude`).

    Loaded once per process: an edited example set is picked up at the next start."""
    return scorer(exclude).probability(str(text))
