"""Red-flag detection in free text: negation-aware, typo-tolerant, works with and without æ/ø/å.

Runs on every user message (via bot/nlu/red_flag_classifier.py), so it is fast and never raises on input.
All Danish words live in content/red_flags.yml; this module only applies the rules found there.
Design choice: when in doubt a flag is raised; under-triage is the failure this product must not have.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from bot.content import TIER_RANK, ContentError, RedFlag, load_red_flags, yamlutil
from bot.content.red_flags import default_path
from bot.safety import learned as learned_net
from bot.safety.number_words import NumberWords
from bot.safety.patterns import (
    Compiler,
    Lexicon,
    Near,
    PatternError,
    Sequence_,
    Slot,
    normalise,
    phrase_tokens,
    skeleton,
)
from bot.safety.typo_guard import load_guard

logger = logging.getLogger(__name__)

__all__ = ["Detection", "Detector", "PatternError", "detect", "most_urgent", "normalise", "tokenise"]

_TAGS = re.compile(r"<[^<>]{0,300}>|&[a-z]{2,8};|&#\d{1,6};")
# "38,5" -> "38 5": the first decimal stays a token of its own, so content can tell a temperature
# ("nu 38,5") from an age ("nu 38")
_DECIMAL = re.compile(r"(\d+)[.,](\d)\d*")
# "gravid i 8. måned", "den 3. juni": the dot of an ordinal does not end the sentence
_ORDINAL = re.compile(
    r"\b(\d{1,2})\.(?=\s+(?:måned|uge|dag|døgn|gang|klasse|sal|etage|januar|februar|marts|april|maj|juni|juli|"
    r"august|september|oktober|november|december)\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;\n\r]+")
# "svimmelhed, synsforstyrrelser, besvimelser eller kraftnedsættelse": a comma list of single words that
# ends in "eller" is one list, so a negation before it reaches every item (a comma otherwise ends a clause)
_LIST_COMMA = re.compile(r"(\w+), (?=\w+(?:, \w+)* eller \w)")
_CLAUSE_END = re.compile(r"[,()\[\]{}\"“”«»]+|\s[-–—]+\s|[–—]|:(?=\s)")
_RULE_TAGS = re.compile(r"^\s*\{([^{}]*)\}\s*")
_NEAR_MARK = re.compile(r"\s~\d{1,2}~\s")
MAX_ENDS_PER_START = 64
MAX_LISTED_DENIAL = 8  # words after a sign that an 'eller' list may run before its denial
MAX_SPLIT_PARTS = 4  # "bi nyre bark hormon": at most this many words are read as one split compound
MIN_COMPOUND = 8  # shorter joins ("fod en") are ordinary words side by side
MIN_LAST_PART = 3  # "kræft er" is never "kræfter": a two-letter last part is a word of its own
MIN_MERGED = 5  # shorter tokens are not split in two ("kanik" = "kan ik" is the shortest)


@dataclass(frozen=True)
class Detection:
    """A red flag found in a message; ``matched`` is the normalised phrase that fired."""

    flag_id: str
    tier: str
    matched: str
    conditions: tuple[str, ...] = ()  # screening forms that ask this flag (to pick the right reason)


@dataclass(frozen=True)
class _Sentence:
    tokens: tuple[str, ...]
    clauses: tuple[int, ...]  # clause number of each token


@dataclass(frozen=True)
class _Trigger:
    start: int
    end: int


@dataclass(frozen=True)
class _Language:
    """Negation and hypothetical rules from the `language:` section of red_flags.yml."""

    negation: tuple[tuple[str, ...], ...]
    pseudo: tuple[tuple[str, ...], ...]
    hypothetical: tuple[tuple[str, ...], ...]
    after: tuple[tuple[str, ...], ...]
    breakers: frozenset[str]
    extenders: frozenset[str]
    window: int
    extended_window: int
    negation_words: frozenset[str]
    no_typo: frozenset[str]
    normal: tuple[str, ...] = ()  # "mærker ikke noget UNORMALT": the negation denies, not describes
    after_exceptions: frozenset[str] = frozenset()  # "begge ben, IKKE KUN det venstre" affirms
    taken_back: tuple[tuple[str, ...], ...] = ()  # "... nej vent, det passer ikke": the sentence before is void
    after_closing: frozenset[str] = frozenset()  # "feber nej det har jeg ikke HAFT jeg har ...": complete
    well_again: frozenset[str] = frozenset()  # "det blev helt GODT igen": that "igen" keeps nothing

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any] | None) -> _Language:
        """Read the rules; missing keys fall back to 'no rule' so a partial file still loads."""
        raw = raw or {}

        def phrases(key: str) -> tuple[tuple[str, ...], ...]:
            out = []
            for phrase in phrase_tokens(raw.get(key) or ()):
                words = tuple(
                    normalise(w.rstrip("*")) + ("*" if w.endswith("*") else "") for w in phrase.split()
                )
                words = tuple(w for w in words if w.strip("*"))
                if words:
                    out.append(words)
            return tuple(out)

        negation = phrases("negation_words")
        return cls(
            negation=negation,
            pseudo=phrases("pseudo_negations"),
            hypothetical=phrases("hypothetical"),
            after=phrases("negation_after"),
            breakers=frozenset(normalise(w) for w in raw.get("scope_breakers") or ()),
            extenders=frozenset(normalise(w) for w in raw.get("scope_extenders") or ()),
            window=int(raw.get("window", 6)),
            extended_window=int(raw.get("extended_window", 12)),
            negation_words=frozenset(" ".join(p) for p in negation if len(p) == 1),
            no_typo=frozenset(skeleton(normalise(w)) for w in raw.get("no_typo_correction") or ()),
            normal=tuple(w for phrase in phrases("normal_words") for w in phrase[:1]),
            after_exceptions=frozenset(normalise(w) for w in raw.get("negation_after_exceptions") or ()),
            taken_back=phrases("taken_back"),
            after_closing=frozenset(normalise(w) for w in raw.get("negation_after_closing") or ()),
            well_again=frozenset(normalise(w) for w in raw.get("well_again") or ()),
        )


@dataclass(frozen=True)
class _ContextRule:
    """One entry of `context_rules:` in the language section: a cue near a sign cancels that sign.

    Why: some signs are told about someone else ("min far havde kræft") or about long ago ("bilulykke for
    15 år siden"); only the flags, tiers and tagged patterns named by the rule can be cancelled this way.
    """

    name: str
    cues: tuple[Sequence_, ...]
    before: int  # the cue may end at most this many words before the sign
    after: int  # or start at most this many words after it
    inside: bool  # a cue inside (or overlapping) the matched words counts too
    breakers: bool  # scope_breakers between cue and sign stop the rule
    same_clause: bool  # cue and sign must be in the same part of the sentence (between commas)
    keep_between: tuple[Sequence_, ...]  # one of these between cue and sign keeps the sign
    keep_in_sentence: tuple[Sequence_, ...]  # one of these anywhere in the sentence keeps every sign
    require_in_sentence: tuple[Sequence_, ...]  # if given, the rule works only where one of these stands
    keep_in_message: tuple[Sequence_, ...]  # one of these anywhere in the message keeps every sign
    require_in_message: tuple[Sequence_, ...]  # if given, the rule works only in a message holding one
    applies_to: frozenset[str]  # flag ids and tier names (patterns may also be tagged {name})

    @cached_property
    def cue_keys(self) -> frozenset[int]:
        return frozenset(id(seq) for seq in self.cues)

    @cached_property
    def keep_between_keys(self) -> frozenset[int]:
        return frozenset(id(seq) for seq in self.keep_between)

    @cached_property
    def keep_in_sentence_keys(self) -> frozenset[int]:
        return frozenset(id(seq) for seq in self.keep_in_sentence)

    @cached_property
    def keep_in_message_keys(self) -> frozenset[int]:
        return frozenset(id(seq) for seq in self.keep_in_message)

    @cached_property
    def require_in_message_keys(self) -> frozenset[int]:
        return frozenset(id(seq) for seq in self.require_in_message)

    @cached_property
    def require_in_sentence_keys(self) -> frozenset[int]:
        return frozenset(id(seq) for seq in self.require_in_sentence)

    @cached_property
    def longest_cue(self) -> int:
        """Most words a cue can span (its words plus the gaps allowed between them)."""
        return max(len(seq.slots) + sum(slot.gap for slot in seq.slots) for seq in self.cues)


def _context_rules(raw: object, compiler: Compiler) -> tuple[_ContextRule, ...]:
    """Compile `context_rules:`; cue phrases use the pattern syntax but no '&' and no '~N~'."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise PatternError("context_rules must be a mapping of rule names")
    rules = []
    for name, spec in raw.items():
        if not isinstance(spec, Mapping):
            raise PatternError(f"context rule '{name}' must be a mapping")

        def phrases(key: str, rule: str = str(name), spec: Mapping[str, Any] = spec) -> tuple[Sequence_, ...]:
            out: list[Sequence_] = []
            for source in _as_list(spec.get(key)):
                text = compiler.expand(str(source))
                if "&" in text or _NEAR_MARK.search(f" {text} "):
                    raise PatternError(f"context rule '{rule}', {key} '{source}': no '&' or '~N~' here")
                try:
                    out.extend(compiler.compile_part(text))
                except PatternError as exc:
                    raise PatternError(f"context rule '{rule}', {key} '{source}': {exc}") from exc
            return tuple(out)

        cues = phrases("cues")
        if not cues:
            raise PatternError(f"context rule '{name}' has no cues")
        try:
            before, after = int(spec.get("before", 0)), int(spec.get("after", 0))
        except (TypeError, ValueError) as exc:
            raise PatternError(f"context rule '{name}': before and after must be whole numbers") from exc
        rules.append(
            _ContextRule(
                name=str(name),
                cues=cues,
                before=before,
                after=after,
                inside=bool(spec.get("cue_inside_sign", False)),
                breakers=bool(spec.get("stop_at_scope_breakers", True)),
                same_clause=bool(spec.get("same_clause", True)),
                keep_between=phrases("keep_between"),
                keep_in_sentence=phrases("keep_in_sentence"),
                require_in_sentence=phrases("require_in_sentence"),
                keep_in_message=phrases("keep_in_message"),
                require_in_message=phrases("require_in_message"),
                applies_to=frozenset(str(x) for x in _as_list(spec.get("applies_to"))),
            )
        )
    return tuple(rules)


def _comments_on_before(
    raw: object, rules_by_name: Mapping[str, _ContextRule]
) -> tuple[tuple[_ContextRule, tuple[tuple[str, ...], ...]], ...]:
    """`language.comments_on_before`: per context rule, sentence openings that apply it to the sentence
    before ("Det har jeg altid haft." after a sign is `longstanding` for that sign). A detector built with
    other rules (the syntax tests) simply has fewer."""
    if not isinstance(raw, Mapping):
        return ()
    out = []
    for name, phrases in raw.items():
        if name not in rules_by_name:  # like `applies_to`: a name that is no rule does nothing
            continue
        words = tuple(tuple(normalise(w) for w in phrase.split()) for phrase in phrase_tokens(_as_list(phrases)))
        out.append((rules_by_name[name], tuple(w for w in words if w)))
    return tuple(out)


def _as_list(value: object) -> list[object]:
    """A YAML value as a list: a single string is one item (editors write both)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _split_tags(source: str) -> tuple[frozenset[str], str]:
    """'{years_ago} $feber' -> ({'years_ago'}, '$feber'): a pattern tagged with context rules."""
    match = _RULE_TAGS.match(source)
    if not match:
        return frozenset(), source
    names = frozenset(n for n in re.split(r"[\s,]+", match.group(1)) if n)
    if not names:
        raise PatternError("empty {} in front of the pattern")
    return names, source[match.end():]


def _word_matches(word: str, token: str) -> bool:
    if word.endswith("*"):
        return token.startswith(word[:-1])
    return token == word


class _PhraseIndex:
    """Short cue phrases indexed by first word, so a long message is scanned in one pass."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.wild_first: list[tuple[str, ...]] = []
        for phrase in phrases:
            if phrase[0].endswith("*"):
                self.wild_first.append(phrase)
            else:
                self.by_first.setdefault(phrase[0], []).append(phrase)

    def find(self, tokens: Sequence[str]) -> list[_Trigger]:
        """Exact (non-fuzzy) occurrences; cue words are short function words, rarely mistyped."""
        found = []
        n = len(tokens)
        for i, token in enumerate(tokens):
            candidates = self.by_first.get(token, [])
            if self.wild_first:
                candidates = candidates + [p for p in self.wild_first if _word_matches(p[0], token)]
            for phrase in candidates:
                k = len(phrase)
                if i + k <= n and all(_word_matches(phrase[j], tokens[i + j]) for j in range(1, k)):
                    found.append(_Trigger(i, i + k))
        return found


def tokenise(
    text: object, abbreviation: re.Pattern[str] | None = None, answered: re.Pattern[str] | None = None
) -> list[_Sentence]:
    """Split into sentences and clauses of normalised tokens (clauses bound the reach of negation).

    ``abbreviation`` matches the dot of an abbreviation ("pga.", "el."), which does not end a sentence.
    ``answered`` matches a question mark followed by its answer, which then does not end the sentence.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _ORDINAL.sub(r"\1", _DECIMAL.sub(r"\1 \2", _TAGS.sub(" ", text)))
    if answered is not None:
        text = answered.sub(", ", text)
    if abbreviation is not None:  # "i.v." -> "iv", "pga." -> "pga": no dot of it ends the sentence
        text = abbreviation.sub(lambda m: m.group(1).replace(".", ""), text)
    sentences = []
    for raw_sentence in _SENTENCE_END.split(text):
        tokens: list[str] = []
        clauses: list[int] = []
        for clause_no, raw_clause in enumerate(_CLAUSE_END.split(raw_sentence)):
            words = normalise(raw_clause).split()
            tokens.extend(words)
            clauses.extend([clause_no] * len(words))
        if tokens:
            sentences.append(_Sentence(tuple(tokens), tuple(clauses)))
    return sentences


@dataclass(frozen=True)
class _WordMap:
    """Words of a neighbouring language read as the Danish word (`language.foreign_words`): patients
    who write Norwegian, Swedish, German or English mix them in ("kissa", "vondt", "beide", "numb"),
    and every pattern is written in Danish. Keys may be several words ("i can't"); an apostrophe in
    a key may be missing or curly in the text."""

    pattern: re.Pattern[str]
    danish: Mapping[str, str]

    @staticmethod
    def key(text: str) -> str:
        """The lookup form of a key or of the words that matched it: lower case, one space, no apostrophe."""
        return re.sub(r"\s+", " ", text.lower().replace("'", "").replace("\u2019", "")).strip()

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any] | None) -> _WordMap | None:
        if not raw:
            return None
        danish = {cls.key(str(k)): str(v) for k, v in raw.items()}

        def words(key: str) -> str:
            return r"\s+".join("['\u2019]?".join(map(re.escape, w.split("'"))) for w in key.lower().split())

        body = "|".join(words(str(k)) for k in sorted(raw, key=lambda k: len(str(k)), reverse=True))
        return cls(re.compile(r"(?<![\w'\u2019])(?:" + body + r")(?![\w'\u2019])", re.IGNORECASE), danish)

    def read(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.danish.get(self.key(m.group(0)), m.group(0)), text)


@dataclass(frozen=True)
class _Dialect:
    """Danish dialect words read as standard Danish (`language.dialects`), only in a message that shows
    the dialect: Jutlandic "it" is "ikke" and "a" is "jeg" ("a ka' it mærk' nå a tisser"), but in other
    messages "it" is English and "a" a letter. Each dialect lists its marker words and its words."""

    markers: re.Pattern[str]
    words: _WordMap

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> _Dialect | None:
        words = _WordMap.from_raw(raw.get("words"))
        said = [r"\s+".join("['\u2019]".join(map(re.escape, w.split("'"))) for w in str(m).lower().split())
                for m in raw.get("markers") or ()]
        if words is None or not said:
            return None
        return cls(re.compile(r"(?<![\w'\u2019])(?:" + "|".join(said) + r")(?![\w'\u2019])", re.IGNORECASE), words)

    def read(self, text: str) -> str:
        return self.words.read(text) if self.markers.search(text) else text


@dataclass(frozen=True)
class _Dictation:
    """Text dictated into a phone (`language.dictation`): spoken punctuation ("komma", "punktum", "ny
    linje") read as the mark, so sentences and clauses end where the patient meant, and a word taken
    back aloud dropped: "kan ikke disse nej jeg mener tisse" is "kan ikke tisse"."""

    marks: _WordMap | None
    corrections: re.Pattern[str] | None
    decimal: re.Pattern[str] | None  # "38 komma 9" stays a number

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any] | None) -> _Dictation | None:
        if not raw:
            return None
        marks = {str(k): f" {v} " for k, v in (raw.get("punctuation") or {}).items()}
        commas = [k for k, v in (raw.get("punctuation") or {}).items() if str(v) == ","]
        said = [r"\s+".join(map(re.escape, str(p).split())) for p in raw.get("corrections") or ()]
        return cls(
            _WordMap.from_raw(marks),
            re.compile(r"[\w'\u2019]+[\s,]+(?:" + "|".join(said) + r")\b[\s,]*", re.IGNORECASE) if said else None,
            re.compile(r"(\d)\s+(?:" + "|".join(map(re.escape, commas)) + r")\s+(\d)", re.IGNORECASE)
            if commas
            else None,
        )

    def read(self, text: str) -> str:
        if self.corrections is not None:
            text = self.corrections.sub("", text)
        if self.decimal is not None:
            text = self.decimal.sub(r"\1,\2", text)
        return self.marks.read(text) if self.marks is not None else text


_Part = tuple[Sequence_, ...] | Near


@dataclass(frozen=True)
class _CompiledFlag:
    flag: RedFlag
    patterns: tuple[tuple[_Part, ...], ...]  # patterns -> parts joined by '&'
    sources: tuple[str, ...]

    @cached_property
    def keys(self) -> tuple[tuple[frozenset[int], ...], ...]:
        """Per pattern, per part: the ids under which a match of that part is recorded."""
        return tuple(tuple(_part_keys(part) for part in pattern) for pattern in self.patterns)

    @cached_property
    def all_keys(self) -> frozenset[int]:
        """Every id any part of this flag can be recorded under (a quick 'nothing found' test)."""
        return frozenset(key for pattern in self.keys for keys in pattern for key in keys)


def _sequences(part: _Part) -> tuple[Sequence_, ...]:
    return part.left + part.right if isinstance(part, Near) else part


def _part_keys(part: _Part) -> frozenset[int]:
    return frozenset({id(part)}) if isinstance(part, Near) else frozenset(id(s) for s in part)


def _adjacent_atoms(sequences: Iterable[Sequence_]) -> dict[int, frozenset[int]]:
    """For each word test, the word tests that directly follow it in some pattern."""
    nxt: dict[int, set[int]] = {}
    for seq in sequences:
        for slot, follow in itertools.pairwise(seq.slots):
            if follow.gap == 0:
                for atom in slot.atoms:
                    nxt.setdefault(atom, set()).update(follow.atoms)
    return {atom: frozenset(after) for atom, after in nxt.items()}


def _can_follow(slot: Slot, ids: Sequence[frozenset[int]], start: int) -> bool:
    """Cheap test: can ``slot`` match anywhere in its window after ``start``? (skips most starts)."""
    atoms = slot.atoms
    return any(not atoms.isdisjoint(ids[q]) for q in range(start, min(start + slot.gap + 1, len(ids))))


_InternKey = tuple[bool, frozenset[str], Sequence_]


def _intern(part: _Part, scope: tuple[bool, frozenset[str]], seen: dict[_InternKey, Sequence_]) -> _Part:
    """Replace each sequence by the first equal one compiled.

    Kept apart per `negatable: false` and per set of context rules, so those stay per flag and pattern.
    """

    def one(seq: Sequence_) -> Sequence_:
        return seen.setdefault((*scope, seq), seq)

    if isinstance(part, Near):
        return Near(tuple(map(one, part.left)), tuple(map(one, part.right)), part.distance)
    return tuple(dict.fromkeys(map(one, part)))


@dataclass(frozen=True)
class _AnsweredQuestions:
    """`language.answered_questions`: how a quoted yes/no question and its answer are read."""

    verbs: frozenset[str]
    you: Mapping[str, str]  # second person -> first person ("du" -> "jeg")
    first_person: str
    negation: str
    no: frozenset[str]
    yes: frozenset[str]
    answers: tuple[str, ...]  # as written in content, for the pattern (the text is not normalised there)
    asks_back: tuple[str, ...]  # after an answer, these make it a question again ("nej vel?")
    own_questions: tuple[str, ...]
    any_words: frozenset[str]  # "Mærker du noget i skridtet? nej" asks about symptoms: no is a denial
    max_words: int
    indirect: tuple[str, ...]  # "spurgte om jeg kunne mærke blæren. ikke rigtig"
    subjects: tuple[str, ...]
    # whole-clause answers, also after a comma or "og": "testede om jeg kunne gå på hælene og det kan jeg ikke"
    clause_no: frozenset[str] = frozenset()
    clause_answers: tuple[str, ...] = ()

    @classmethod
    def from_raw(cls, raw: object) -> _AnsweredQuestions | None:
        if not isinstance(raw, Mapping):
            return None
        def words(key: str) -> tuple[str, ...]:
            return tuple(normalise(str(w)) for w in raw.get(key) or ())

        return cls(
            verbs=frozenset(words("verbs")),
            you={normalise(str(k)): str(v) for k, v in (raw.get("you") or {}).items()},
            first_person=str(raw.get("first_person", "")),
            negation=str(raw.get("negation", "")),
            no=frozenset(words("negative_answers")),
            yes=frozenset(words("positive_answers")),
            answers=tuple(str(w) for key in ("negative_answers", "positive_answers") for w in raw.get(key) or ()),
            asks_back=tuple(str(w) for w in raw.get("asks_back") or ()),
            own_questions=words("own_questions"),
            any_words=frozenset(words("any_words")),
            indirect=tuple(str(w) for w in raw.get("indirect_openers") or ()),
            subjects=tuple(str(w) for w in raw.get("subjects") or ()),
            max_words=int(raw.get("max_words_without_you", 6)),
            clause_no=frozenset(words("clause_negative_answers")),
            clause_answers=tuple(
                str(w) for key in ("clause_negative_answers", "clause_positive_answers") for w in raw.get(key) or ()
            ),
        )

    def _answer_alternatives(self) -> tuple[str, str]:
        answers = sorted(set(self.answers), key=len, reverse=True)
        back = "|".join(map(re.escape, self.asks_back)) or "(?!)"
        return "|".join(r"\s+".join(map(re.escape, a.split())) for a in answers), back

    def pattern(self) -> re.Pattern[str] | None:
        if not self.answers or not self.you:
            return None
        alternatives, back = self._answer_alternatives()
        return re.compile(
            r"(?P<lead>^|[.!?:\n]\s*)(?P<question>[^.!?:\n]{1,160}?)\?+\s*(?P<answer>" + alternatives + r")\b"
            r"(?![\s,]*(?:" + back + r"|\?))",
            re.IGNORECASE,
        )

    def indirect_pattern(self) -> re.Pattern[str] | None:
        if not self.answers or not self.indirect or not self.subjects:
            return None
        alternatives, back = self._answer_alternatives()
        openers = "|".join(r"\s+".join(map(re.escape, o.split())) for o in self.indirect)
        subjects = "|".join(map(re.escape, self.subjects))
        clauses = "|".join(
            r"\s+".join(map(re.escape, a.split())) for a in sorted(set(self.clause_answers), key=len, reverse=True)
        ) or "(?!)"
        return re.compile(
            r"\b(?:" + openers + r")\s+(?P<subject>" + subjects + r")\s+(?P<question>[^.!?:\n]{1,160}?)"
            r"(?:[.?!]+\s*(?P<answer>" + alternatives + r")\b(?![\s,]*(?:" + back + r"|\?))"
            # a clause answer ends its clause: "..., kan jeg ikke huske" is not an answer
            r"|(?:[.?!:]+|,|\s+og\b)\s*(?P<clause>" + clauses + r")"
            r"(?:\s+(?:længere|mere|rigtig|helt|nu|desværre|overhovedet|slet))*(?=\s*(?:[.,!?;:]|$|og\b|men\b)))",
            re.IGNORECASE,
        )


@dataclass(frozen=True)
class _Checklist:
    """`language.checklist`: a ticked or unticked list read as answered questions.

    "✗ feber" and "[ ] tisseproblemer" are denials ("feber? nej"), "✓ ondt i benet" a statement, and
    "3. kan du mærke når du tisser: nej" a question answered no, so the answered-question reading applies.
    A line that opens with a mark is read mark-then-item; otherwise item-then-mark ("Feber ✗ Kræft ✗").
    An item that holds a negation itself ("kan ikke tisse ❌") keeps its own words: the mark may only
    stress them, and a sign must never be lost to a double negative."""

    absent: tuple[str, ...]
    present: tuple[str, ...]
    colon_answer: re.Pattern[str] | None
    marks: re.Pattern[str] | None
    negations: frozenset[str]

    @classmethod
    def from_raw(cls, raw: object, answers: Sequence[str], negations: frozenset[str]) -> _Checklist:
        raw = raw if isinstance(raw, Mapping) else {}
        absent = tuple(str(m) for m in raw.get("absent") or ())
        present = tuple(str(m) for m in raw.get("present") or ())
        marks = sorted(absent + present, key=len, reverse=True)
        words = "|".join(re.escape(str(a)) for a in answers)
        return cls(
            absent=absent,
            present=present,
            colon_answer=re.compile(r"\s*:(?=\s*(?:" + words + r")\b)", re.IGNORECASE) if words else None,
            marks=re.compile("(" + "|".join(map(re.escape, marks)) + ")") if marks else None,
            negations=negations,
        )

    def read(self, text: str) -> str:
        if self.colon_answer is not None and ":" in text:
            text = self.colon_answer.sub("?", text)
        if self.marks is None or not self.marks.search(text):
            return text
        return "\n".join(self._line(line) for line in text.split("\n"))

    def _line(self, line: str) -> str:
        parts = self.marks.split(line) if self.marks is not None else [line]
        if len(parts) == 1:
            return line
        texts, marks = parts[0::2], parts[1::2]
        opens_with_mark = not texts[0].strip(_LIST_BULLETS)
        items = zip(marks, texts[1:] if opens_with_mark else texts[:-1], strict=True)
        read = [
            f"{item}? nej." if mark in self.absent and not self.negations & set(normalise(item).split()) else f"{item}."
            for mark, item in ((m, t.strip(_LIST_BULLETS + ",;")) for m, t in items)
            if item
        ]
        if not opens_with_mark and texts[-1].strip():
            read.append(texts[-1])
        return " ".join(read)


_LIST_BULLETS = " \t-*•·"


# "emne: svar" in a list: a short topic, a colon, and the answer up to the next topic or the line's end
_TOPIC_LINE = re.compile(
    r"(?P<topic>[^\W\d_][^:,;.!?\n]{0,40}?)[ \t]*:[ \t]*(?P<value>[^:\n]*?)(?=[,;][^:,;\n]{1,40}:|\n|$)"
)
# a heading line ("Venstre fod:") with bulleted items under it
_HEADED_LIST = re.compile(
    r"(?P<lead>^|\n)(?P<heading>[^\W\d_][^:\n]{0,40}):[ \t]*\n(?P<items>(?:[ \t]*[-*•·][^\n]*(?:\n|$))+)"
)
_LIST_ITEM = re.compile(r"(?m)^(?P<bullet>[ \t]*[-*•·][ \t]*)(?P<item>\S[^\n]*)")


@dataclass(frozen=True)
class _TopicLines:
    """`language.checklist` topics: a list line "emne: svar" read as the sentence the patient meant.

    Patients go through a list of warning signs line by line, and the line's topic is what the answer is
    about. A pronoun in the answer stands for the topic ("tis: kan ikke komme af med det" is "kan ikke komme
    af med tisset"); "nej" to a normal function is its loss ("følelse i skridtet: nej, den er væk" is
    "ingen følelse i skridtet"), while "nej" to a sign stays a denial ("følelsesløshed: nej"); "kan holde
    på afføring: nej" is "kan ikke holde på afføring"; a line headed by a denial ("ikke: feber,
    svimmelhed, synkebesvær") denies each item; and an answer that names its topic again speaks for it
    ("Inkontinens: har haft lidt stressinkontinens siden fødslen, uændret")."""

    topics: Mapping[str, str]  # normalised topic word -> the noun a pronoun in its answer stands for
    functions: frozenset[str]  # normalised first words of a normal function ("følelse", "kraft")
    denial_heads: frozenset[str]  # normalised whole topics that deny what follows ("ikke", "har ikke")
    no: frozenset[str]  # normalised first words of an answer that says no
    answers: frozenset[str]  # normalised yes/no answers: "ja, men ikke ..." answers, it does not restate
    whole_denials: frozenset[str]  # a whole answer that denies the topic ("stoffer: aldrig")
    fine: frozenset[str]  # normalised words that make a "nej" mean "no problem" ("nej, ingen problemer")
    verbs: frozenset[str]
    you: frozenset[str]
    negation: str
    none_word: str  # "ingen": put before a lost function ("ingen følelse i skridtet")
    item_split: re.Pattern[str]  # between the items of a denied list: punctuation or `list_joiners` ("og")
    pronoun: re.Pattern[str]  # a pronoun, not an article ("det", but not "det ene")

    @classmethod
    def from_raw(cls, raw: object, answers: _AnsweredQuestions | None) -> _TopicLines | None:
        raw = raw if isinstance(raw, Mapping) else {}
        if not raw.get("topics") and not raw.get("functions"):
            return None

        def words(key: str) -> frozenset[str]:
            return frozenset(normalise(str(w)) for w in raw.get(key) or ())

        return cls(
            topics={normalise(str(k)): str(v) for k, v in (raw.get("topics") or {}).items()},
            functions=words("functions"),
            denial_heads=words("denial_heads"),
            no=words("answers_no"),
            answers=(answers.no | answers.yes) if answers is not None else frozenset(),
            whole_denials=words("whole_denials"),
            fine=words("fine"),
            verbs=answers.verbs if answers is not None else frozenset(),
            you=frozenset(answers.you) if answers is not None else frozenset(),
            negation=answers.negation if answers is not None else "",
            none_word=str(raw.get("none_word", "")),
            item_split=re.compile(
                r"\s*[,;/]\s*"
                + "".join(rf"|\s+{re.escape(str(w))}\s+" for w in raw.get("list_joiners") or ())
            ),
            pronoun=re.compile(
                r"\b(?:" + "|".join(map(re.escape, (str(w) for w in raw.get("pronouns") or ()))) + r")\b"
                r"(?!\s+(?:" + "|".join(map(re.escape, (str(w) for w in raw.get("articles_before") or ()))) + r")\b)",
                re.IGNORECASE,
            )
            if raw.get("pronouns") else re.compile(r"(?!)"),
        )

    def read(self, text: str) -> str:
        if ":" not in text:
            return text
        return _TOPIC_LINE.sub(self._line, _HEADED_LIST.sub(self._headed_list, text))

    @staticmethod
    def _headed_list(match: re.Match[str]) -> str:
        """"Venstre fod:\n- slasker når jeg går" is "- Venstre fod slasker når jeg går": the heading is the
        subject of every item under it."""
        heading = match["heading"].strip()
        items = _LIST_ITEM.sub(lambda item: f"{item['bullet']}{heading} {item['item']}", match["items"])
        return f"{match['lead']}{heading}:\n{items}"

    def _line(self, match: re.Match[str]) -> str:
        """One "emne: svar" line, read in this order (the first reading that fits wins, so the order is
        the meaning): 1. a topic that is a denial denies every item of the answer; 2. "nej" to a normal
        function is its loss; 3. "nej" to a verb topic negates the verb; 4. a whole answer of denial
        denies a non-verb topic; 5. an answer that names its topic again speaks for itself; 6. a pronoun
        in the answer stands for the topic; 7. otherwise the line is left as written."""
        topic, value = match["topic"].strip(), match["value"].strip()
        topic_words, value_words = normalise(topic).split(), normalise(value).split()
        if not value_words or len(topic_words) > 6 or self.you & set(topic_words):
            return match.group(0)
        if " ".join(topic_words) in self.denial_heads:
            return f"{self.negation} " + self.item_split.sub(" eller ", value)
        says_no = value_words[0] in self.no and not self.fine & set(value_words)
        rest = value[len(value.split(maxsplit=1)[0]):].lstrip(" ,.!-")
        rest = f", {rest}" if rest else ""
        if says_no and topic_words[0] in self.functions:
            return f"{self.none_word} {topic}{rest}"
        if says_no and topic_words[0] in self.verbs and len(topic_words) >= 2:
            first, tail = topic.split(maxsplit=1)
            return f"{first} {self.negation} {tail}{rest}"
        if " ".join(value_words) in self.whole_denials and topic_words[0] not in self.verbs:
            return f"{self.none_word} {topic}"
        last = topic_words[-1]
        restated = last in value_words or any(len(w) > 5 and last in w for w in value_words)
        if restated and len(topic_words) <= 3 and len(last) >= 4 and value_words[0] not in self.answers | self.no:
            return value  # the answer names its topic again and speaks for it
        noun = next((self.topics[w] for w in topic_words if w in self.topics), None)
        if noun is not None and value_words[0] not in self.answers | self.no and self.pronoun.search(value):
            return f"{topic}: {self.pronoun.sub(noun, value, count=1)}"
        return match.group(0)


class Detector:
    """Compiled red flags plus the language rules; build once, call ``detect`` per message."""

    def __init__(
        self,
        flags: Sequence[RedFlag],
        raw_config: Mapping[str, Any] | None = None,
        guard: frozenset[str] = frozenset(),
    ) -> None:
        raw_config = raw_config or {}
        self.language = _Language.from_raw(raw_config.get("language"))
        words = (raw_config.get("language") or {}).get("abbreviations") or ()
        self._abbreviation = (
            re.compile(r"\b(" + "|".join(re.escape(str(w)) for w in words) + r")\.", re.IGNORECASE) if words else None
        )
        self._emoji = tuple(
            (str(k), str(v)) for k, v in ((raw_config.get("language") or {}).get("emoji") or {}).items()
        )
        self._foreign = _WordMap.from_raw((raw_config.get("language") or {}).get("foreign_words"))
        # "er holdt op med at kunne mærke ..." is "kan ikke længere mærke ...": one reading for all flags
        self._paraphrases = _WordMap.from_raw((raw_config.get("language") or {}).get("paraphrases"))
        self._dialects = tuple(
            d for d in map(_Dialect.from_raw, (raw_config.get("language") or {}).get("dialects") or ()) if d is not None
        )
        self._answer_config = _AnsweredQuestions.from_raw((raw_config.get("language") or {}).get("answered_questions"))
        self._answer_pattern = self._answer_config.pattern() if self._answer_config is not None else None
        self._indirect_pattern = self._answer_config.indirect_pattern() if self._answer_config is not None else None
        self._own_question_no = self._own_questions_answered_no(flags)
        # "Har du feber? nej", "svaghed i armene? ja begge to": a question answered at once is one sentence
        answers = (raw_config.get("language") or {}).get("question_answers") or ()
        self._answered = (
            re.compile(r"\?+\s*(?=(" + "|".join(re.escape(str(w)) for w in answers) + r")\b)", re.IGNORECASE)
            if answers else None
        )
        self._checklist = _Checklist.from_raw(
            (raw_config.get("language") or {}).get("checklist"), answers, self.language.negation_words
        )
        self._topic_lines = _TopicLines.from_raw(
            (raw_config.get("language") or {}).get("checklist"), self._answer_config
        )
        self._numbers = NumberWords.from_raw((raw_config.get("language") or {}).get("number_words"))
        self._dictation = _Dictation.from_raw((raw_config.get("language") or {}).get("dictation"))
        self._not_list_items = frozenset(normalise(str(w)) for w in answers) | self.language.negation_words
        self._join_cache: dict[tuple[str, ...], bool] = {}
        self._split_cache: dict[str, tuple[str, ...]] = {}
        self._starts_cache: dict[frozenset[int], dict[int, tuple[Sequence_, ...]]] = {}
        merged = (raw_config.get("language") or {}).get("merged_words") or {}
        self._merged = (
            frozenset(normalise(w) for w in merged.get("left") or ()),
            frozenset(normalise(w) for w in merged.get("right") or ()),
        )
        try:
            learned = learned_net.LearnedSettings.from_raw(raw_config.get("learned"))
        except learned_net.LearnedConfigError as exc:
            raise PatternError(str(exc)) from exc
        # the learned safety net raises this flag (absent from a detector built for a few flags only)
        self._learned = next(
            ((learned, f) for f in flags if learned is not None and f.id == learned.flag and f.learned), None
        )
        word_lists = {
            str(name): [str(w) for w in (words or [])]
            for name, words in (raw_config.get("word_lists") or {}).items()
        }
        self.lexicon = Lexicon(no_typo=self.language.no_typo | guard)
        self._negation_words = self.language.negation_words
        self._cue_index = _PhraseIndex(self.language.negation + self.language.hypothetical)
        self._hypothetical = frozenset(self.language.hypothetical)
        self._pseudo_index = _PhraseIndex(self.language.pseudo)
        phrases = {str(k): str(v) for k, v in (raw_config.get("phrases") or {}).items()}
        compiler = Compiler(self.lexicon, word_lists, self.language.negation_words, phrases)
        language = raw_config.get("language") or {}
        self.context_rules = _context_rules(
            language.get("context_rules") if isinstance(language, Mapping) else None, compiler
        )
        rules_by_name = {rule.name: rule for rule in self.context_rules}
        # what-if words cancel nothing where the message says the feared sign has happened ("... hvis jeg får
        # svært ved at tisse. Det har jeg nu!"): the phrases are that context rule's keep_in_message
        kept_by = language.get("hypothetical_kept_by") if isinstance(language, Mapping) else None
        self._hypothetical_keeper = rules_by_name.get(str(kept_by)) if kept_by else None
        if kept_by and (self._hypothetical_keeper is None or not self._hypothetical_keeper.keep_in_message):
            raise PatternError(f"hypothetical_kept_by: '{kept_by}' is no context rule with keep_in_message")
        self._comments = _comments_on_before(
            language.get("comments_on_before") if isinstance(language, Mapping) else None, rules_by_name
        )
        compiled: list[_CompiledFlag] = []
        topics: list[_CompiledFlag] = []
        # Identical word sequences (a $phrase used in many patterns, a line shared by two flags) are
        # matched once per message: the same object serves every pattern that contains it.
        interned: dict[_InternKey, Sequence_] = {}
        # id(sequence or Near) -> the context rules that may cancel a match of it
        self._rules_of: dict[int, tuple[_ContextRule, ...]] = {}
        # A flag's check_topics are compiled like its patterns (same negation and context rules) and
        # reported apart: a topic without a sign is a reason to ask the flag's question.
        with_topics = [(f, False) for f in flags] + [
            (replace(f, patterns=f.check_topics), True) for f in flags if f.check_topics
        ]
        for flag, is_topic in with_topics:
            patterns = []
            for source in flag.patterns:
                try:
                    tags, body = _split_tags(source)
                    unknown = sorted(tags - set(rules_by_name))
                    if unknown:
                        raise PatternError(f"unknown context rule {{{', '.join(unknown)}}}")
                    parts = compiler.compile(body)
                except PatternError as exc:
                    raise PatternError(f"flag '{flag.id}', pattern '{source}': {exc}") from exc
                names = frozenset(
                    rule.name
                    for rule in self.context_rules
                    if rule.name in tags or flag.id in rule.applies_to or flag.tier in rule.applies_to
                )
                interned_parts = tuple(_intern(part, (flag.negatable, names), interned) for part in parts)
                if names:
                    rules = tuple(rule for rule in self.context_rules if rule.name in names)
                    for part in interned_parts:
                        for x in (part, *_sequences(part)):
                            self._rules_of[id(x)] = rules
                patterns.append(interned_parts)
            (topics if is_topic else compiled).append(_CompiledFlag(flag, tuple(patterns), tuple(flag.patterns)))
        self.flags = tuple(compiled)
        self.topic_flags = tuple(topics)
        parts = [(cf, part) for cf in (*self.flags, *self.topic_flags) for pattern in cf.patterns for part in pattern]
        # Cue phrases of the context rules, indexed by their first word test (found only when needed).
        self._rule_starts: dict[int, list[Sequence_]] = {}
        for rule in self.context_rules:
            for seq in (*rule.cues, *rule.keep_between, *rule.keep_in_sentence, *rule.require_in_sentence,
                        *rule.keep_in_message, *rule.require_in_message):
                for atom_id in seq.slots[0].atoms:
                    self._rule_starts.setdefault(atom_id, []).append(seq)
        # Flags marked `negatable: false`: a nearby negation never cancels them.
        self._not_negatable = {
            id(x) for cf, part in parts if not cf.flag.negatable for x in (part, *_sequences(part))
        }
        # what the patterns of emergency flags match: a match of one that was denied or put in another
        # context ("ikke svært ved at tisse", "faldt som barn") keeps the learned safety net quiet
        self._emergency_keys = frozenset(
            id(x) for cf in self.flags if cf.flag.tier == "emergency"
            for pattern in cf.patterns for part in pattern for x in (part, *_sequences(part))
        )
        # word tests that patterns and context rules use side by side ("første gang", "over hovedet"): two
        # such words are never read as one
        self._next_in_patterns: dict[int, frozenset[int]] = _adjacent_atoms(
            [seq for _, part in parts for seq in _sequences(part)]
            + [seq for starts in self._rule_starts.values() for seq in starts]
        )
        self._near = [part for _, part in parts if isinstance(part, Near)]
        self._near_members = {id(seq) for near in self._near for seq in _sequences(near)}
        # Inverted index: first-slot atom -> sequences to try from a token carrying that atom, grouped
        # by their second slot, which is tested once per group (most starts end there).
        starts: dict[int, dict[Slot | None, list[Sequence_]]] = {}
        seen: set[int] = set()
        for _, part in parts:
            for seq in _sequences(part):
                if id(seq) in seen:
                    continue
                seen.add(id(seq))
                follow = seq.slots[1] if len(seq.slots) > 1 else None
                for atom_id in seq.slots[0].atoms:
                    starts.setdefault(atom_id, {}).setdefault(follow, []).append(seq)
        self._starts: dict[int, tuple[tuple[Slot | None, tuple[Sequence_, ...]], ...]] = {
            atom_id: tuple((follow, tuple(seqs)) for follow, seqs in groups.items())
            for atom_id, groups in starts.items()
        }

    # ------------------------------------------------------------------ public
    def detect(self, text: object, learned: bool = True) -> list[Detection]:
        """All flags found and not cancelled, most urgent first; never raises on any input."""
        return self.detect_with_topics(text, learned)[0]

    def detect_with_topics(self, text: object, learned: bool = True) -> tuple[list[Detection], list[Detection]]:
        """The flags found, and the flags whose check_topics were found but not the flag itself
        (most urgent first; `matched` is the topic phrase). Never raises on any input.

        ``learned=False`` gives the patterns alone (to measure them apart from the learned safety net)."""
        read = text
        try:
            read = self._read(text)
            found, topics, denied = self._detect(read)
        except Exception:  # noqa: BLE001 - a crash here would silence every later safety check
            logger.exception("red-flag detector failed on a message of %d chars", len(str(text or "")))
            found, topics, denied = [], [], False
        if learned and self._learned is not None and not any(d.tier == "emergency" for d in found):
            # the net reads the message as the patterns do: answered-no questions and unticked items gone
            extra = self._second_opinion(str(read or ""), denied)
            if extra is not None:
                found = [extra, *found]
        return found, topics

    @property
    def learned_settings(self) -> learned_net.LearnedSettings | None:
        """When the learned safety net judges a message (None: off in this detector)."""
        return self._learned[0] if self._learned is not None else None

    def _second_opinion(self, text: str, denied: bool) -> Detection | None:
        """The learned safety net: an emergency the patterns missed (it never cancels a pattern's flag).

        In a short message where the patterns read an emergency sign as denied, someone else's or long
        ago ("nej, jeg er ikke følelsesløs i skridtet"), their reading stands: the classifier reads
        negation poorly, and such messages are often answers to the screening questions."""
        assert self._learned is not None
        config, flag = self._learned
        if not config.applies(text) or (denied and config.trusts_denial(text)):
            return None
        try:
            score = learned_net.probability(text)
        except Exception:  # noqa: BLE001 - the patterns' result must survive a broken model
            logger.exception("learned red-flag safety net failed")
            return None
        if score < config.threshold:
            return None
        logger.info("red flag from the learned safety net only (p=%.2f)", score)
        return Detection(flag.id, flag.tier, f"learned p={score:.2f}", flag.conditions)

    # ------------------------------------------------------------------ internals
    def _read(self, text: object) -> object:
        """The message as the patient means it: dialect words and Norwegian, Swedish, German and English
        words in Danish, "holdt op med at kunne" as "kan ikke længere", emoji as words, spoken numbers as
        digits, spoken punctuation as marks, a ticked list and quoted questions with their answers restated
        as the patient's own statements."""
        if not isinstance(text, str):
            return text
        for dialect in self._dialects:  # first: every later reading is written for standard Danish
            text = dialect.read(text)
        if self._foreign is not None:
            text = self._foreign.read(text)
        if self._paraphrases is not None:
            text = self._paraphrases.read(text)
        if self._own_question_no is not None:  # before the list and number readings reword the question
            text = self._own_question_no.sub(". ", text)
        if self._numbers is not None:
            text = self._numbers.read(text)
        if self._dictation is not None:  # after the numbers: "otteogtredive komma ni" is 38,9
            text = self._dictation.read(text)
        if self._topic_lines is not None:  # before the list commas turn into "eller"
            text = self._topic_lines.read(text)
        text = _LIST_COMMA.sub(self._list_item, text)
        return self._restate_answers(self._checklist.read(self._emoji_words(text)))

    def _list_item(self, match: re.Match[str]) -> str:
        """A list item's comma becomes "eller"; an answer or a denial before the comma ("Nej, dobbeltsyn
        eller svimmelhed ...") is no list item and keeps it."""
        word = match.group(1)
        if normalise(word) in self._not_list_items:
            return match.group(0)
        return f"{word} eller "

    def _emoji_words(self, text: str) -> str:
        """Emoji that stand for a word ("💩 kommer bare", "ryg 🔥 + 🤒"), from `language.emoji`."""
        for emoji, word in self._emoji:
            if emoji in text:
                text = text.replace(emoji, f" {word} ")
        return text

    def _own_questions_answered_no(self, flags: Sequence[RedFlag]) -> re.Pattern[str] | None:
        """The bot's own screening questions, pasted back and answered no: "> Bot: Har du fået nye problemer
        med at tisse, kan du ikke mærke, når du tisser, ...? nej". A no to the whole question denies every
        sign in it; read word by word, its inner "kan du ikke mærke" would turn the no into a sign."""
        config = self._answer_config
        questions = sorted({f.question.strip().rstrip("?").strip() for f in flags if f.question}, key=len, reverse=True)
        if config is None or not questions:
            return None
        no = sorted((a for a in config.answers if normalise(a) in config.no), key=len, reverse=True)
        back = "|".join(map(re.escape, config.asks_back)) or "(?!)"
        def loose(question: str) -> str:
            return r"[\W_]+".join(map(re.escape, re.findall(r"\w+", question)))
        return re.compile(
            # between question and answer: punctuation, and a pasted chat's time and name ("[14:03] Mig:")
            r"(?:" + "|".join(map(loose, questions)) + r")"
            r"[\W_]*?(?:\d{1,2}[:.]\d{2}[\W_]*)?(?:\w{1,20}\s*[:?][\W_]*)?(?:"
            + "|".join(r"\s+".join(map(re.escape, a.split())) for a in no)
            + r")\b(?![\s,]*(?:" + back + r"|\?))",
            re.IGNORECASE,
        )

    def _restate_answers(self, text: str) -> str:
        """A quoted yes/no question with its answer, read as the patient's own statement.

        "Kan du tisse? Nej" says the sign is present ("jeg kan ikke tisse"); "Har du ondt i begge ben? nej
        kun det venstre" says it is not; a short answered-no question without "du" ("Feber? nej") is
        dropped. Answers that ask back ("nej vel?") and the patient's own questions are left alone."""
        if self._indirect_pattern is not None:
            text = self._indirect_pattern.sub(self._restate_indirect, text)
        if self._answer_pattern is None or "?" not in text:
            return text
        return self._answer_pattern.sub(self._restate_one, text)

    def _restate_indirect(self, match: re.Match[str]) -> str:
        """"spurgte om jeg stadig kunne mærke blæren. ikke rigtig" -> "jeg stadig kunne ikke mærke blæren"."""
        config = self._answer_config
        answer = normalise(match["answer"] or match["clause"])
        if answer not in config.no and answer not in config.clause_no:
            return f"{match['subject']} {match['question']}, "
        words = match["question"].split()
        first_clause = len(re.split(r",|\beller\b", match["question"], maxsplit=1)[0].split())
        for i, word in enumerate(words[:first_clause]):
            if normalise(word) in config.verbs:
                words.insert(i + 1, config.negation)
                return f"{match['subject']} {' '.join(words)}, "
        # a verb the list does not know, often heading a list answered no as a whole: "spørger om jeg
        # mistede bevidstheden, fik lammelser eller slog hovedet. Nej, intet af det" denies each item
        question = re.sub(r"\s*,\s*", " eller ", match["question"].strip())
        return f"{match['subject']} {config.negation} {question}, "

    def _restate_one(self, match: re.Match[str]) -> str:
        config = self._answer_config
        words = match["question"].split()
        negative = normalise(match["answer"]) in config.no
        first = normalise(words[0]) if words else ""
        symptom_question = any(normalise(w) in config.any_words for w in words)
        if len(words) >= 2 and first in config.verbs and normalise(words[1]) in config.you and not (
            negative and symptom_question
        ):
            return f"{match['lead']}{config.first_person} {words[0]}{self._restated_tail(words, negative)}"
        own = any(normalise(" ".join(words[: len(o.split())])) == o for o in config.own_questions)
        if (
            len(words) >= 3
            and first in config.verbs
            and not own
            and any(normalise(w) in config.you for w in words[2:])
            and not (negative and symptom_question)
        ):
            # "Bliver smerten bedre, når du hviler? Nej" -> "smerten bliver ikke bedre, når jeg hviler"
            return f"{match['lead']}{words[1]} {words[0]}{self._restated_tail(words, negative)}"
        if negative and words and (len(words) <= config.max_words or symptom_question) and not own:
            return f"{match['lead']} "
        return match.group(0)

    def _restated_tail(self, words: list[str], negative: bool) -> str:
        """The words after a restated question's verb and subject, "du" turned into "jeg", with "ikke"
        in front when the answer was no."""
        config = self._answer_config
        rest = " ".join(config.you.get(normalise(w), w) for w in words[2:])
        middle = f" {config.negation}" if negative else ""
        return f"{middle} {rest}, "

    def _detect(self, text: object) -> tuple[list[Detection], list[Detection], bool]:
        """Flags, check topics, and whether a match of an emergency pattern was cancelled (denied,
        someone else's, long ago: "ikke svært ved at tisse", "faldt som barn")."""
        sentences = [self._joined(s) for s in tokenise(text, self._abbreviation, self._answered)]
        if not sentences:
            return [], [], False
        found: dict[int, str] = {}  # id(sequence or Near) -> matched phrase (first non-cancelled match)
        ids_of = [[self.lexicon.classify(t) for t in sentence.tokens] for sentence in sentences]
        message = _MessageScan(self, sentences, ids_of)
        for index, (sentence, ids) in enumerate(zip(sentences, ids_of, strict=True)):
            if index + 1 < len(sentences) and self._taken_back(sentences[index + 1].tokens):
                continue
            self._scan(sentence, ids, found, message, self._said_after(sentences, ids_of, index, message))
        detections, topics = [], []
        for cf in self.flags:
            hit = self._flag_hit(cf, found)
            if hit is not None:
                detections.append(Detection(cf.flag.id, cf.flag.tier, hit, cf.flag.conditions))
        flagged = {d.flag_id for d in detections}
        for cf in self.topic_flags:
            hit = None if cf.flag.id in flagged else self._flag_hit(cf, found)
            if hit is not None:
                topics.append(Detection(cf.flag.id, cf.flag.tier, hit, cf.flag.conditions))
        detections.sort(key=lambda d: -TIER_RANK.get(d.tier, 0))
        topics.sort(key=lambda d: -TIER_RANK.get(d.tier, 0))
        return detections, topics, message.denied

    def _joined(self, sentence: _Sentence) -> _Sentence:
        """A compound split in two or more words ("følelses løs", "bi nyre bark hormon", "knogle skørhed":
        dictation and hurried typing) read as one word, when together the parts spell a pattern word that
        none of them matches alone, unless some pattern uses the parts side by side ("første gang" stays
        two words; "kraft løse" is read as "kraftløse")."""
        split = [self._split_merged(t) for t in sentence.tokens]
        if any(len(parts) > 1 for parts in split):
            sentence = _Sentence(
                tuple(p for parts in split for p in parts),
                tuple(c for parts, c in zip(split, sentence.clauses, strict=True) for _ in parts),
            )
        tokens, clauses = sentence.tokens, sentence.clauses
        n = len(tokens)
        if n < 2:
            return sentence
        out_tokens: list[str] = []
        out_clauses: list[int] = []
        i = 0
        while i < n:
            for k in range(min(MAX_SPLIT_PARTS, n - i), 1, -1):
                parts = tokens[i : i + k]
                if clauses[i] == clauses[i + k - 1] and self._spells_compound(parts):
                    out_tokens.append("".join(parts))
                    out_clauses.append(clauses[i])
                    i += k
                    break
            else:
                out_tokens.append(tokens[i])
                out_clauses.append(clauses[i])
                i += 1
        if len(out_tokens) == n:
            return sentence
        return _Sentence(tuple(out_tokens), tuple(out_clauses))

    def _split_merged(self, token: str) -> tuple[str, ...]:
        """Two words typed without a space ("ingenfeber", "kanikke", "tabtmig") read as two: a small word
        from `language.merged_words` (left: "ingen", "kan"; right: "ikke", "mig") and a word a pattern
        names. Only tokens no pattern word matches as written are split, so "meningen" never becomes "men
        ingen"; a token read as a pattern word only by typo tolerance is split all the same ("beggebenene" is
        "begge benene", not a typo of "bagbenene")."""
        hit = self._split_cache.get(token)
        if hit is not None:
            return hit
        parts: tuple[str, ...] = (token,)
        lexicon = self.lexicon
        left_words, right_words = self._merged
        if (
            (left_words or right_words)
            and len(token) >= MIN_MERGED
            and token.isalpha()
            and not any(lexicon.atoms[a].kind != "suf" for a in lexicon.exact_ids(token, skeleton(token)))
        ):
            for cut in range(2, len(token) - 1):
                left, right = token[:cut], token[cut:]
                if (left in left_words and (right in right_words or _word_of(lexicon, right))) or (
                    right in right_words and _word_of(lexicon, left)
                ):
                    parts = (left, right)
                    break
        if len(self._split_cache) > 50_000:
            self._split_cache.clear()
        self._split_cache[token] = parts
        return parts

    def _spells_compound(self, parts: tuple[str, ...]) -> bool:
        hit = self._join_cache.get(parts)
        if hit is not None:
            return hit
        joined = "".join(parts)
        hit = False
        if (
            len(joined) >= MIN_COMPOUND
            and len(parts[-1]) >= MIN_LAST_PART
            and all(len(p) >= 2 and p.isalpha() for p in parts)
        ):
            each = [self.lexicon.classify(p) for p in parts]
            alone = frozenset().union(*each)
            reach = len(joined) - len(parts[-1])  # the pattern word must reach into the last part
            hit = (not all(each) or not self._used_as_pair(each)) and any(
                atom_id not in alone
                and self.lexicon.atoms[atom_id].kind in ("lit", "pre")
                and len(self.lexicon.atoms[atom_id].norm) > max(reach, MIN_COMPOUND - 1)
                for atom_id in self.lexicon.exact_ids(joined, skeleton(joined))
            )
        if len(self._join_cache) > 50_000:
            self._join_cache.clear()
        self._join_cache[parts] = hit
        return hit

    def _used_as_pair(self, each: Sequence[frozenset[int]]) -> bool:
        """Whether some pattern has these words side by side, as it has "første gang" (then they stay two)."""
        empty: frozenset[int] = frozenset()
        return any(
            not nxt.isdisjoint(self._next_in_patterns.get(atom, empty))
            for prev, nxt in itertools.pairwise(each)
            for atom in prev
        )

    def _starts_within(self, keys: frozenset[int]) -> Mapping[int, tuple[Sequence_, ...]]:
        """The context-rule phrases among ``keys``, by first word (built once per key set: a message-wide
        lookup then touches only the words that can start one of them)."""
        hit = self._starts_cache.get(keys)
        if hit is None:
            hit = {}
            for atom_id, seqs in self._rule_starts.items():
                wanted = tuple(seq for seq in seqs if id(seq) in keys)
                if wanted:
                    hit[atom_id] = wanted
            self._starts_cache[keys] = hit
        return hit

    def _said_after(
        self,
        sentences: Sequence[_Sentence],
        ids_of: Sequence[Sequence[frozenset[int]]],
        index: int,
        message: _MessageScan,
    ) -> frozenset[str]:
        """The context rules that the next sentence applies to this whole one by opening with one of their
        `comments_on_before` phrases ("... sort for øjnene. Det har jeg altid haft."), unless that
        sentence keeps the sign itself ("Det har jeg altid haft, men nu er det blevet værre")."""
        if not self._comments or index + 1 >= len(sentences):
            return frozenset()
        after = sentences[index + 1]
        names = set()
        for rule, phrases in self._comments:
            if any(after.tokens[: len(phrase)] == phrase for phrase in phrases):
                context = _SentenceContext(self, after, ids_of[index + 1], message)
                if not (rule.keep_in_sentence_keys and context._kept(rule.keep_in_sentence_keys)):
                    names.add(rule.name)
        return frozenset(names)

    def _taken_back(self, tokens: Sequence[str]) -> bool:
        """The next sentence opens by taking the last one back ("... nej vent, det passer ikke")."""
        return any(tuple(tokens[: len(phrase)]) == phrase for phrase in self.language.taken_back)

    def _flag_hit(self, cf: _CompiledFlag, found: Mapping[int, str]) -> str | None:
        if cf.all_keys.isdisjoint(found):
            return None
        for pattern, keys in zip(cf.patterns, cf.keys, strict=True):
            texts = []
            for part, part_keys in zip(pattern, keys, strict=True):
                if part_keys.isdisjoint(found):
                    break
                if isinstance(part, Near):
                    texts.append(found[id(part)])
                else:
                    texts.append(next(found[id(s)] for s in part if id(s) in found))
            else:
                return " + ".join(texts)
        return None

    def _cues(self, tokens: Sequence[str]) -> list[_Trigger]:
        """Negation and hypothetical cues of a sentence, minus those inside a pseudo-negation."""
        cues = self._cue_index.find(tokens)
        if cues:
            masks = self._pseudo_index.find(tokens)
            cues = [c for c in cues if not any(m.start <= c.start and c.end <= m.end for m in masks)]
        return cues

    def _scan(
        self,
        sentence: _Sentence,
        ids: Sequence[frozenset[int]],
        found: dict[int, str],
        message: _MessageScan,
        said_after: frozenset[str] = frozenset(),
    ) -> None:
        tokens = sentence.tokens
        cue_cache: list[list[_Trigger]] = []  # computed only when a phrase matched

        def cues() -> list[_Trigger]:
            if not cue_cache:
                found_cues = self._cues(tokens)
                keeper = self._hypothetical_keeper
                if found_cues and keeper is not None and message.keeps(keeper):
                    found_cues = [c for c in found_cues if tokens[c.start:c.end] not in self._hypothetical]
                cue_cache.append(found_cues)
            return cue_cache[0]

        context = _SentenceContext(self, sentence, ids, message, said_after)

        spans: dict[int, list[tuple[int, int, bool]]] = {}  # raw matches of Near sides
        for pos in range(len(tokens)):
            tried: set[int] = set()
            for atom_id in ids[pos]:
                for follow, group in self._starts.get(atom_id, ()):
                    if follow is not None and not _can_follow(follow, ids, pos + 1):
                        continue
                    for seq in group:
                        key = id(seq)
                        if key in tried:
                            continue
                        tried.add(key)
                        member = key in self._near_members
                        if key in found and not member:
                            continue
                        self._try(seq, sentence, ids, pos, found, spans, cues, context)
        if spans:
            self._pair_near(sentence, spans, found, cues, context)

    def _try(
        self,
        seq: Sequence_,
        sentence: _Sentence,
        ids: Sequence[frozenset[int]],
        pos: int,
        found: dict[int, str],
        spans: dict[int, list[tuple[int, int, bool]]],
        cues: Callable[[], list[_Trigger]],
        context: _SentenceContext,
    ) -> None:
        """Match ``seq`` from ``pos``; record it in ``found`` unless cancelled, and Near sides in ``spans``."""
        tokens = sentence.tokens
        key = id(seq)
        member = key in self._near_members
        first_is_cue = seq.has_cue and tokens[pos] in self._negation_words
        clauses = sentence.clauses
        for end, own_cue in self._ends(seq, tokens, ids, 1, pos + 1, first_is_cue, [0]):
            # a negation that ends an earlier clause is not the sign's own: "dropfod har jeg ikke, kan fint
            # gå på hælene" is no "ikke kan gå på hælene", and "slog mig ikke – nakken blev stiv" is no blow
            # to the neck ("kan ikke mærke, når jeg tisser" stays one sign)
            if any(
                tokens[i] in self._negation_words and clauses[i] != clauses[i + 1] and tokens[i + 1] != "at"
                for i in range(pos, end - 1)
            ):
                continue
            # A negation among the matched words is the symptom itself ("kan ikke tisse") unless it
            # denies something abnormal ("mærker ikke noget unormalt i skridtet");
            # otherwise a nearby negation or question cancels the match.
            if own_cue and self._denies_abnormal(sentence, pos, end):
                context.note_cancelled(key)
                continue
            cue_hit = own_cue or key in self._not_negatable
            if member:
                spans.setdefault(key, []).append((pos, end, cue_hit))
            if key in found:
                continue
            if (cue_hit or not self._cancelled(sentence, cues(), pos, end)) and not context.cancels(
                self._rules_of.get(key, ()), pos, end
            ):
                found[key] = " ".join(tokens[pos:end])
                if not member:
                    break
            elif not member:
                context.note_cancelled(key)

    def _pair_near(
        self,
        sentence: _Sentence,
        spans: Mapping[int, list[tuple[int, int, bool]]],
        found: dict[int, str],
        cues: Callable[[], list[_Trigger]],
        context: _SentenceContext,
    ) -> None:
        """Join the two sides of each ``A ~N~ B`` found in one clause, either order, N words apart."""
        clauses = sentence.clauses
        for near in self._near:
            if id(near) in found:
                continue
            lefts = [span for seq in near.left for span in spans.get(id(seq), ())]
            rights = [span for seq in near.right for span in spans.get(id(seq), ())]
            for (ls, le, lc), (rs, re_, rc) in itertools.product(lefts, rights):
                if not (le <= rs or re_ <= ls):
                    continue  # the two sides must be different words
                start, end = min(ls, rs), max(le, re_)
                if max(ls, rs) - min(le, re_) > near.distance or clauses[start] != clauses[end - 1]:
                    continue
                if (lc or rc) and self._denies_abnormal(sentence, start, end):
                    context.note_cancelled(id(near))
                    continue
                cue_hit = lc or rc or id(near) in self._not_negatable
                if context.cancels(self._rules_of.get(id(near), ()), start, end):
                    context.note_cancelled(id(near))
                    continue
                if cue_hit or not self._cancelled(sentence, cues(), start, end):
                    found[id(near)] = " ".join(sentence.tokens[start:end])
                    break
                context.note_cancelled(id(near))

    def _ends(
        self,
        seq: Sequence_,
        tokens: Sequence[str],
        ids: Sequence[frozenset[int]],
        k: int,
        pos: int,
        cue_hit: bool,
        budget: list[int],
    ) -> Iterable[tuple[int, bool]]:
        """(end, matched-a-negation-word) for ``seq`` from slot ``k`` at ``pos`` (bounded backtracking)."""
        if k == len(seq.slots):
            budget[0] += 1
            yield pos, cue_hit
            return
        slot = seq.slots[k]
        for q in range(pos, min(pos + slot.gap + 1, len(tokens))):
            if budget[0] >= MAX_ENDS_PER_START:
                return
            if ids[q] & slot.atoms:
                hit = cue_hit or (seq.has_cue and tokens[q] in self._negation_words)
                yield from self._ends(seq, tokens, ids, k + 1, q + 1, hit, budget)

    def _denies_abnormal(self, sentence: _Sentence, start: int, end: int) -> bool:
        """A `normal_words` word in the match or just after it, in its clause ("... noget unormalt")."""
        normal = self.language.normal
        if not normal:
            return False
        tokens, clauses = sentence.tokens, sentence.clauses
        stop = min(end + 2, len(tokens))
        return any(
            clauses[i] == clauses[end - 1] and any(_word_matches(w, tokens[i]) for w in normal)
            for i in range(start, stop)
        )

    def _cancelled(self, sentence: _Sentence, cues: Sequence[_Trigger], start: int, end: int) -> bool:
        """Is the match [start, end) denied or only asked about? (negation, question, 'X: nej')."""
        lang = self.language
        tokens, clauses = sentence.tokens, sentence.clauses
        for cue in cues:
            if cue.end <= start:
                between = tokens[cue.end:start]
                if (
                    clauses[cue.end - 1] != clauses[start]
                    and not self._in_listed_denial(sentence, cue, start, end)
                    and not self._worry_reaches(sentence, cue, start)
                ):
                    continue
                if any(t in lang.breakers for t in between):
                    continue
                limit = lang.extended_window if any(t in lang.extenders for t in between) else lang.window
                if len(between) <= limit:
                    return True
            elif cue.start >= start and cue.end <= end:
                if clauses[cue.start] != clauses[end - 1]:
                    continue
                if any(t in lang.breakers for t in tokens[cue.end:end]):
                    continue
                return True
        return self._denied_after(sentence, end)

    def _worry_reaches(self, sentence: _Sentence, cue: _Trigger, start: int) -> bool:
        """'bange for, at jeg mister følelsen': a worry or what-if reaches across the comma into the
        'at' clause it governs (only hypothetical cues: 'kan ikke forstå, at ...' is no denial)."""
        tokens, clauses = sentence.tokens, sentence.clauses
        return (
            cue.end < len(tokens)
            and tokens[cue.end] == "at"
            and clauses[cue.end] == clauses[start] == clauses[cue.end - 1] + 1
            and tokens[cue.start:cue.end] in self._hypothetical
        )

    def _in_listed_denial(self, sentence: _Sentence, cue: _Trigger, start: int, end: int) -> bool:
        """'hverken A, B eller C': a list after an extending negation goes on across commas until its
        'eller'; so B is denied when no extender stands between the cue and B and one follows B, and C
        is denied when the list's 'eller' opens C's own clause."""
        lang, tokens, clauses = self.language, sentence.tokens, sentence.clauses
        if not any(t in lang.extenders for t in tokens[cue.start:cue.end]):
            return False
        extenders_between = [i for i in range(cue.end, start) if tokens[i] in lang.extenders]
        if extenders_between:
            return clauses[extenders_between[-1]] == clauses[start] and start - cue.end <= lang.extended_window
        rest = [t for i, t in enumerate(tokens[end:], end) if clauses[i] == clauses[start]]
        return any(t in lang.extenders for t in rest[:3])

    def _denied_after(self, sentence: _Sentence, end: int) -> bool:
        """'feber har jeg ikke', 'stiv nakke: nej' — a denial right after the phrase, ending its clause."""
        tokens, clauses = sentence.tokens, sentence.clauses
        n = len(tokens)
        clause = clauses[end - 1]
        stop = end
        while stop < n and clauses[stop] == clause:
            stop += 1
        tail = tokens[end:stop]
        if not tail and stop < n:  # 'feber, nej': the next clause is only a denial
            nxt = stop
            while nxt < n and clauses[nxt] == clauses[stop]:
                nxt += 1
            clause_words = tokens[stop:nxt]
            lang = self.language
            return (
                clause_words in lang.after
                or (len(clause_words) > 1 and clause_words[0] == "nej" and clause_words[1] in self._negation_words)
                # as in the same clause: "begge ben, nej kun i venstre" is a denial whatever follows "kun"
                or any(
                    len(p) < len(clause_words) and clause_words[: len(p)] == p and p[-1] in lang.after_exceptions
                    for p in lang.after
                )
            )
        lang = self.language
        for phrase in lang.after:
            k = len(phrase)
            # a phrase ending in an exception word is a denial whatever follows ("begge ben nej kun højre")
            if tail[:k] == phrase and (
                len(tail) == k
                or phrase[-1] in lang.after_exceptions
                or (len(phrase) >= 3 and phrase[-1] in lang.after_closing)
                or ((tail[k] in lang.breakers or tail[k] in lang.extenders) and tail[k] not in lang.after_exceptions)
            ):
                return True
        # a list answered at its end: "problemer med at tisse eller holde på afføringen nej"
        if tail and tail[0] in lang.extenders and len(tail) <= MAX_LISTED_DENIAL:
            return any(len(phrase) < len(tail) and tail[-len(phrase):] == phrase for phrase in lang.after)
        return False


class _MessageScan:
    """Message-wide phrases of the context rules (keep_in_message, require_in_message), looked up only
    when a rule is about to cancel a sign, so long messages cost nothing extra otherwise."""

    def __init__(
        self, detector: Detector, sentences: Sequence[_Sentence], ids_of: Sequence[Sequence[frozenset[int]]]
    ) -> None:
        self.detector = detector
        self.sentences = sentences
        self.ids_of = ids_of
        self._off: dict[str, bool] = {}
        self._kept: dict[str, bool] = {}
        self.denied = False  # a match of an emergency pattern was cancelled

    def switched_off(self, rule: _ContextRule) -> bool:
        if not (rule.keep_in_message or rule.require_in_message):
            return False
        off = self._off.get(rule.name)
        if off is None:
            off = bool(rule.keep_in_message and self._present(rule.keep_in_message_keys)) or bool(
                rule.require_in_message and not self._present(rule.require_in_message_keys)
            )
            self._off[rule.name] = off
        return off

    def keeps(self, rule: _ContextRule) -> bool:
        """Does the message hold one of the rule's keep_in_message phrases?"""
        kept = self._kept.get(rule.name)
        if kept is None:
            kept = self._kept[rule.name] = bool(rule.keep_in_message and self._present(rule.keep_in_message_keys))
        return kept

    def _present(self, keys: frozenset[int]) -> bool:
        detector = self.detector
        starts = detector._starts_within(keys)
        if not starts:
            return False
        for sentence, ids in zip(self.sentences, self.ids_of, strict=True):
            tokens = sentence.tokens
            for pos, atom_ids in enumerate(ids):
                for atom_id in atom_ids:
                    for seq in starts.get(atom_id, ()):
                        if any(detector._ends(seq, tokens, ids, 1, pos + 1, False, [0])):
                            return True
        return False


class _SentenceContext:
    """The context-rule cues of one sentence, found lazily and only near a sign that may be cancelled.

    Why lazy and local: most sentences never need them, and a pasted 20,000-character message must not
    be searched for every cue at every word.
    """

    def __init__(
        self,
        detector: Detector,
        sentence: _Sentence,
        ids: Sequence[frozenset[int]],
        message: _MessageScan | None = None,
        said_after: frozenset[str] = frozenset(),
    ) -> None:
        self.detector = detector
        self.message = message  # answers keep_in_message / require_in_message
        self.said_after = said_after  # rules the next sentence applies to all of this one
        self.sentence = sentence
        self.ids = ids
        self._at: dict[int, list[tuple[int, int]]] = {}  # position -> [(id(cue sequence), end)]

    def note_cancelled(self, key: int) -> None:
        if self.message is not None and key in self.detector._emergency_keys:
            self.message.denied = True

    def _starting_at(self, pos: int) -> list[tuple[int, int]]:
        hit = self._at.get(pos)
        if hit is None:
            detector, tokens, ids = self.detector, self.sentence.tokens, self.ids
            hit = []
            seen: set[int] = set()
            for atom_id in ids[pos]:
                for seq in detector._rule_starts.get(atom_id, ()):
                    if id(seq) in seen:
                        continue
                    seen.add(id(seq))
                    ends = {end for end, _ in detector._ends(seq, tokens, ids, 1, pos + 1, False, [0])}
                    hit.extend((id(seq), end) for end in sorted(ends))
            self._at[pos] = hit
        return hit

    def _spans(self, keys: frozenset[int], lo: int, hi: int) -> list[tuple[int, int]]:
        """Occurrences of the cue sequences ``keys`` that start in [lo, hi) and end by ``hi``."""
        lo, hi = max(0, lo), min(len(self.sentence.tokens), hi)
        return [(pos, end) for pos in range(lo, hi) for key, end in self._starting_at(pos) if key in keys and end <= hi]

    def cancels(self, rules: Sequence[_ContextRule], start: int, end: int) -> bool:
        """Does a rule's cue lie close enough to the match [start, end) (and nothing keep it)?"""
        return any(self._rule_cancels(rule, start, end) for rule in rules)

    def _rule_cancels(self, rule: _ContextRule, start: int, end: int) -> bool:
        tokens, clauses = self.sentence.tokens, self.sentence.clauses
        breakers = self.detector.language.breakers
        reach = rule.longest_cue
        if self.message is not None and self.message.switched_off(rule):
            return False
        if rule.name in self.said_after:
            return not (rule.keep_in_sentence_keys and self._kept(rule.keep_in_sentence_keys))
        if rule.require_in_sentence_keys and not self._spans(rule.require_in_sentence_keys, 0, len(tokens)):
            return False
        for cue_start, cue_end in self._spans(rule.cue_keys, start - rule.before - reach, end + rule.after + reach):
            if cue_end <= start:  # cue before the sign
                lo, hi, limit, same = cue_end, start, rule.before, clauses[cue_end - 1] == clauses[start]
            elif cue_start >= end:  # cue after the sign
                lo, hi, limit, same = end, cue_start, rule.after, clauses[end - 1] == clauses[cue_start]
            elif rule.inside:  # cue inside or overlapping the sign ("kortisonsprøjte")
                lo, hi, limit, same = start, start, 0, True
            else:
                continue
            if (rule.same_clause and not same) or hi - lo > limit:
                continue
            if rule.breakers and any(t in breakers for t in tokens[lo:hi]):
                continue
            if rule.keep_between_keys and self._spans(rule.keep_between_keys, lo, hi):
                continue
            # a cue is close: the sign is cancelled unless a keep phrase stands anywhere in the sentence
            return not (rule.keep_in_sentence_keys and self._kept(rule.keep_in_sentence_keys))
        return False

    def _kept(self, keys: frozenset[int]) -> bool:
        """A keep phrase in the sentence that is not itself denied: "det er ikke blevet værre" keeps
        nothing, "det er blevet værre" keeps the sign; "igen" after a word of recovery ("det blev helt godt
        igen") is no return either."""
        language, tokens = self.detector.language, self.sentence.tokens
        return any(
            pos == 0
            or (tokens[pos - 1] not in language.negation_words
                and not (tokens[pos] == "igen" and tokens[pos - 1] in language.well_again))
            for pos, _ in self._spans(keys, 0, len(tokens))
        )


# ---------------------------------------------------------------------- module-level API


def _word_of(lexicon: Lexicon, word: str) -> bool:
    """A word of three letters or more that a pattern names exactly."""
    return len(word) >= 3 and lexicon.has_word(word)


def _raw_config(path: str) -> Mapping[str, Any]:
    """The whole YAML file (cached per modification time)."""
    return _raw_config_at(path, _mtime(path))


def _mtime(path: str) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=4)
def _raw_config_at(path: str, mtime: int) -> Mapping[str, Any]:
    """The whole YAML file: word_lists and language rules are not part of RedFlag records."""
    raw, error = yamlutil.safe_load(Path(path).read_text(encoding="utf-8"))
    if error:
        raise PatternError(f"{path}:{error[0]}: invalid YAML: {error[1]}")
    return raw if isinstance(raw, dict) else {}


@lru_cache(maxsize=8)
def _detector_for(flags: tuple[RedFlag, ...], path: str, use_guard: bool, from_file: bool) -> Detector:
    if use_guard:
        fingerprint, guard = load_guard()
        detector = Detector(flags, _raw_config(path), guard)
        if from_file and fingerprint != detector.lexicon.fingerprint():
            logger.warning("typo guard is out of date: run `python -m bot.safety.typo_guard`")
        return detector
    return Detector(flags, _raw_config(path))


def get_detector(
    flags: Sequence[RedFlag] | None = None, path: Path | None = None, use_guard: bool = True
) -> Detector:
    """A cached Detector for ``flags`` (default: content/red_flags.yml) with that file's language rules.

    Raises ContentError/PatternError when the content is broken: that must stop the bot at start-up.
    """
    path = Path(path or default_path())
    if flags is None:
        return _file_detector(str(path), use_guard)
    return _detector_for(tuple(flags), str(path), use_guard, False)


def warm_up() -> Detector:
    """Compile the red-flag patterns and load the learned net before a server takes messages.

    Why: compiling takes seconds on a busy machine; done on a patient's first message it overran
    Rasa's action timeout and the patient got an apology instead of the escalation. A broken
    red_flags.yml raises here, so the start stops, as it must."""
    detector = get_detector()
    try:
        learned_net.scorer()
    except Exception:  # noqa: BLE001 - the patterns still work without it; each failed use is logged
        logger.exception("learned red-flag safety net could not be loaded")
    return detector


_file_detectors: dict[tuple[str, bool], tuple[int, Detector]] = {}


def _file_detector(path: str, use_guard: bool) -> Detector:
    """The detector for the file's flags, rebuilt when the file changes (clinicians edit it live).

    A broken edit at run time keeps the last good rules (logged as an error) instead of silently
    switching red-flag detection off; with no earlier rules (start-up) the error is raised.
    """
    key = (path, use_guard)
    mtime = _mtime(path)
    cached = _file_detectors.get(key)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        detector = _detector_for(tuple(load_red_flags(Path(path))), path, use_guard, True)
    except (ContentError, PatternError, OSError):
        if cached is None:
            raise
        logger.exception("%s is broken; keeping the previous red-flag rules until it is fixed", path)
        detector = cached[1]
    _file_detectors[key] = (mtime, detector)
    return detector


def clear_cache() -> None:
    """Forget compiled detectors (after red_flags.yml was edited, or in tests)."""
    _raw_config_at.cache_clear()
    _detector_for.cache_clear()
    _file_detectors.clear()


def detect(text: object, flags: Sequence[RedFlag] | None = None) -> list[Detection]:
    """All red flags in ``text`` that are not negated, most urgent first. Never raises on any input."""
    return get_detector(flags).detect(text)


def detect_with_topics(text: object) -> tuple[list[Detection], list[Detection]]:
    """The red flags in ``text`` and the flags only touched on (check_topics), most urgent first."""
    return get_detector().detect_with_topics(text)


def most_urgent(detections: Iterable[Detection] | None, condition: str | None = None) -> Detection | None:
    """The detection with the highest tier, or None.

    On a tie the flag belonging to ``condition`` (neck/radiculopathy) wins, so the escalation message
    gives the reason written for the patient's own complaint; otherwise the first listed wins.
    """
    best: Detection | None = None
    best_key = (-1, -1)
    for det in detections or ():
        key = (TIER_RANK.get(det.tier, 0), int(condition is not None and condition in det.conditions))
        if key > best_key:
            best, best_key = det, key
    return best
