"""The pattern language of content/red_flags.yml, compiled to token matchers.

Patterns are data written by clinicians; this module only knows the syntax (documented in the YAML
header), never any Danish symptom word. Compilation errors name the flag and the pattern so the content
linter and the tests can point an editor at the line to fix.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "u"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_SKEL_PAIRS = (("aa", "a"), ("oe", "o"), ("ae", "e"))
_DOUBLE = re.compile(r"(.)\1+")
_GAP = re.compile(r"^~(\d{1,2})$")
_MACRO = re.compile(r"\$(\w+)")
_NEAR = re.compile(r"\s~(\d{1,2})~\s")
_WORD = re.compile(r"^(=?)(\*?)([a-z0-9]+)(\*?)$")
MAX_EXPANSIONS = 512
MAX_WORD = 48  # longer "words" are not language (pasted junk); they get exact lookup only


class PatternError(ValueError):
    """A pattern in red_flags.yml that cannot be compiled."""


def normalise(text: object) -> str:
    """Lower-case, æ/ø/å -> ae/oe/aa, drop accents and punctuation, collapse spaces.

    Why: patients type with and without Danish letters; both spellings must meet the same pattern.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    lowered = text.lower().translate(_LETTERS)
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered)
        lowered = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", lowered).split())


def skeleton(token: str) -> str:
    """A coarse spelling key: 'foelelsesloes', 'folelseslos' and 'følelsesløs' share one skeleton.

    Why: without Danish letters people write o for ø, a for å and often drop doubled consonants.
    """
    for pair, single in _SKEL_PAIRS:
        token = token.replace(pair, single)
    return _DOUBLE.sub(r"\1", token)


def skeleton_variants(token: str) -> set[str]:
    """The skeleton plus the one where æ was typed as 'a' ("svart" for "svært")."""
    return {skeleton(token), _DOUBLE.sub(r"\1", token.replace("aa", "a").replace("oe", "o").replace("ae", "a"))}


def allowed_typos(length: int) -> int:
    """Edit distance tolerated for a pattern word of this skeleton length (short words must be exact)."""
    if length >= 8:
        return 2
    if length >= 5:
        return 1
    return 0


@dataclass(frozen=True)
class Atom:
    """One word test: literal, prefix (``word*``), suffix (``*word``); ``fuzzy`` allows typing errors."""

    kind: str  # "lit" | "pre" | "suf"
    norm: str
    skel: str
    fuzzy: bool


@dataclass(frozen=True)
class Slot:
    """One token position: any of ``atoms`` (ids into the Lexicon), after up to ``gap`` other tokens."""

    atoms: frozenset[int]
    gap: int


@dataclass(frozen=True)
class Sequence_:
    """A concrete word sequence; ``has_cue`` = it contains a negation word, so it is a symptom itself."""

    slots: tuple[Slot, ...]
    has_cue: bool


@dataclass(frozen=True, eq=False)
class Near:
    """``A ~N~ B``: both phrases in the same clause, in either order, at most N words apart."""

    left: tuple[Sequence_, ...]
    right: tuple[Sequence_, ...]
    distance: int


@dataclass
class Lexicon:
    """Every distinct word test used by all patterns, so each text token is classified once."""

    atoms: list[Atom] = field(default_factory=list)
    _index: dict[tuple[str, str, bool], int] = field(default_factory=dict)
    _lit_norm: dict[str, set[int]] = field(default_factory=dict)
    _lit_skel: dict[str, set[int]] = field(default_factory=dict)
    _fuzzy_by_initial: dict[str, list[int]] = field(default_factory=dict)
    _pre_norm: dict[str, set[int]] = field(default_factory=dict)
    _pre_skel: dict[str, set[int]] = field(default_factory=dict)
    _suf_norm: dict[str, set[int]] = field(default_factory=dict)
    _suf_skel: dict[str, set[int]] = field(default_factory=dict)
    _fuzzy_pre_by_initial: dict[str, list[int]] = field(default_factory=dict)
    no_typo: frozenset[str] = frozenset()  # skeletons of real words never read as typos
    _cache: dict[str, frozenset[int]] = field(default_factory=dict)

    def add(self, kind: str, norm: str, fuzzy: bool) -> int:
        """Intern a word test and return its id."""
        key = (kind, norm, fuzzy)
        if key in self._index:
            return self._index[key]
        skel = skeleton(norm)
        atom_id = len(self.atoms)
        self.atoms.append(Atom(kind, norm, skel, fuzzy))
        self._index[key] = atom_id
        if kind == "lit":
            self._lit_norm.setdefault(norm, set()).add(atom_id)
            if fuzzy:
                for variant in skeleton_variants(norm):
                    self._lit_skel.setdefault(variant, set()).add(atom_id)
                if allowed_typos(len(skel)):
                    self._fuzzy_by_initial.setdefault(skel[:1], []).append(atom_id)
        elif kind == "pre":
            self._pre_norm.setdefault(norm, set()).add(atom_id)
            if fuzzy:
                for variant in skeleton_variants(norm):
                    self._pre_skel.setdefault(variant, set()).add(atom_id)
                if allowed_typos(len(skel)):
                    self._fuzzy_pre_by_initial.setdefault(skel[:1], []).append(atom_id)
        else:
            self._suf_norm.setdefault(norm, set()).add(atom_id)
            if fuzzy:
                self._suf_skel.setdefault(skel, set()).add(atom_id)
        self._cache.clear()
        return atom_id

    def has_word(self, norm: str) -> bool:
        """Whether a pattern names this exact word (no prefix, no typo, no spelling variant)."""
        return norm in self._lit_norm

    def classify(self, token: str) -> frozenset[int]:
        """Ids of all word tests this text token passes (cached: messages reuse the same words)."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        result = frozenset(self._classify(token))
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[token] = result
        return result

    def _classify(self, token: str) -> set[int]:
        if len(token) > MAX_WORD:
            return set(self._lit_norm.get(token, ()))
        skel = skeleton(token)
        ids = self.exact_ids(token, skel)
        if skel not in self.no_typo and len(skel) >= 4 and not self._spelled_right(token, ids):
            ids |= self._unguarded(skel, self.fuzzy_ids(skel, ids))
        return ids

    def _unguarded(self, skel: str, fuzzy: set[int]) -> set[int]:
        """Drop typo readings of a prefix pattern word where the token starts with a real word of about
        that length: a compound of a guarded word is no typing error either ("afstivningsoperationen" is
        not "afstødning*")."""
        if not self.no_typo:
            return fuzzy
        heads = [cut for cut in range(4, len(skel) + 1) if skel[:cut] in self.no_typo]
        if not heads:
            return fuzzy
        return {
            atom_id for atom_id in fuzzy
            if self.atoms[atom_id].kind != "pre" or max(heads) < len(self.atoms[atom_id].skel) - 1
        }

    def _spelled_right(self, token: str, ids: set[int]) -> bool:
        """A token that a pattern word of 5+ letters spells out (all but its ending) is no typing
        error, so it is not "corrected" into another pattern word ("tisseproblemer" is not "taleproblemer")."""
        return any(len(self.atoms[i].norm) >= max(5, len(token) - 3) for i in ids)

    def exact_ids(self, token: str, skel: str) -> set[int]:
        """Word tests passed without typo tolerance (spelling variants via the skeleton included)."""
        ids: set[int] = set(self._lit_norm.get(token, ()))
        for cut in range(1, len(token) + 1):
            ids.update(self._pre_norm.get(token[:cut], ()))
        for cut in range(len(token)):
            ids.update(self._suf_norm.get(token[cut:], ()))
        # Spelling variants via the skeleton, but only towards less precise spelling: "svert" may
        # mean "svært", while "tåle" (taale) is never a way of writing "tale".
        digraphs = _digraphs(token)
        for atom_id in self._lit_skel.get(skel, ()):
            if digraphs <= _digraphs(self.atoms[atom_id].norm):
                ids.add(atom_id)
        for cut in range(1, len(skel) + 1):
            for atom_id in self._pre_skel.get(skel[:cut], ()):
                norm = self.atoms[atom_id].norm
                if _digraphs(token[: len(norm)]) <= _digraphs(norm):
                    ids.add(atom_id)
        for cut in range(len(skel)):
            for atom_id in self._suf_skel.get(skel[cut:], ()):
                norm = self.atoms[atom_id].norm
                if _digraphs(token[-len(norm):]) <= _digraphs(norm):
                    ids.add(atom_id)
        return ids

    def fuzzy_ids(self, skel: str, known: set[int] | frozenset[int] = frozenset()) -> set[int]:
        """Word tests passed only thanks to typo tolerance (same first letter, small edit distance)."""
        ids: set[int] = set()
        for atom_id in self._fuzzy_pre_by_initial.get(skel[:1], ()):
            if atom_id not in known and _fuzzy_prefix(skel, self.atoms[atom_id].skel):
                ids.add(atom_id)
        for atom_id in self._fuzzy_by_initial.get(skel[:1], ()):
            atom = self.atoms[atom_id]
            limit = allowed_typos(len(atom.skel))
            if (
                atom_id not in known
                and abs(len(atom.skel) - len(skel)) <= limit
                and OSA.distance(skel, atom.skel, score_cutoff=limit) <= limit
            ):
                ids.add(atom_id)
        return ids

    def fingerprint(self) -> str:
        """Identifies the set of typo-tolerant word tests (the typo guard must be rebuilt when it changes)."""
        keys = sorted({f"{a.kind}:{a.skel}" for a in self.atoms if a.fuzzy and allowed_typos(len(a.skel))})
        return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


def _digraphs(word: str) -> int:
    """How many æ/ø/å spellings (ae/oe/aa) a normalised word carries."""
    return sum(word.count(pair) for pair, _ in _SKEL_PAIRS)


def _fuzzy_prefix(skel: str, prefix: str) -> bool:
    """True when the token starts with ``prefix`` give or take a typing error (prefixes of 5+ letters)."""
    limit = allowed_typos(len(prefix))
    if not limit or skel[:1] != prefix[:1]:
        return False
    n = len(prefix)
    for cut in range(max(1, n - limit), n + limit + 1):
        if cut > len(skel):
            break
        if OSA.distance(skel[:cut], prefix, score_cutoff=limit) <= limit:
            return True
    return False


# ----------------------------------------------------------------------------------------- parsing


def _split_elements(part: str) -> list[str]:
    """Split a pattern part on spaces, keeping (...) and [...] groups whole.

    A (...) group may also be one alternative among single words: ``knap|(binde sko*)``.
    """
    elements: list[str] = []
    buf: list[str] = []
    closing = ""
    for ch in part:
        if closing:
            buf.append(ch)
            if ch == closing:
                closing = ""
            elif ch in "([":
                raise PatternError("groups cannot be nested")
            continue
        if ch == "(":
            if buf and buf[-1] != "|":
                raise PatternError(f"a group must start a new word or follow '|': {''.join(buf)}(")
            buf.append(ch)
            closing = ")"
        elif ch == "[":
            if buf:
                raise PatternError(f"an optional [...] must start a new word: {''.join(buf)}[")
            buf.append(ch)
            closing = "]"
        elif ch.isspace():
            if buf:
                elements.append("".join(buf))
                buf = []
        elif ch in ")]":
            raise PatternError(f"unbalanced '{ch}'")
        else:
            if buf and buf[-1] in ")]" and ch != "|":
                raise PatternError(f"put a space or '|' after a group: {''.join(buf)}{ch}")
            buf.append(ch)
    if closing:
        raise PatternError(f"missing '{closing}'")
    if buf:
        elements.append("".join(buf))
    return elements


def _alternatives(element: str) -> list[str]:
    """Top-level '|' split of an element, leaving (...) groups intact."""
    pieces: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in element:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "|" and depth == 0:
            pieces.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    pieces.append("".join(buf))
    return pieces


@dataclass
class Compiler:
    """Turns pattern strings into Sequence_ alternatives over one shared Lexicon."""

    lexicon: Lexicon
    word_lists: Mapping[str, Sequence[str]]
    negation_words: frozenset[str]
    phrases: Mapping[str, str] = field(default_factory=dict)
    fuzzy: bool = True

    def atoms_for(self, word: str) -> tuple[frozenset[int], bool]:
        """Atom ids for one pattern word (``@list`` expands); second value: is it a negation word."""
        if word.startswith("@"):
            name = word[1:]
            if name not in self.word_lists:
                raise PatternError(f"unknown word list @{name}")
            ids: set[int] = set()
            cue = False
            for item in self.word_lists[name]:
                if str(item).startswith("@"):
                    raise PatternError(f"word list @{name} may not refer to another list")
                more, is_cue = self.atoms_for(str(item))
                ids |= more
                cue = cue or is_cue
            return frozenset(ids), cue
        raw = word.strip()
        exact = raw.startswith("=")
        core = raw.lstrip("=")
        prefix = core.endswith("*")
        suffix = core.startswith("*")
        norm = normalise(core.strip("*"))
        if not norm or " " in norm:
            raise PatternError(f"bad word '{word}'")
        if prefix and suffix:
            raise PatternError(f"'{word}': use either word* or *word")
        kind = "pre" if prefix else "suf" if suffix else "lit"
        if kind != "lit" and len(norm) < 2:
            raise PatternError(f"'{word}' is too short for a wildcard")
        atom_id = self.lexicon.add(kind, norm, self.fuzzy and not exact)
        return frozenset({atom_id}), kind == "lit" and norm in self.negation_words

    def _token(self, text: str) -> tuple[frozenset[int], bool]:
        ids: set[int] = set()
        cue = False
        for alt in text.split("|"):
            if not alt:
                raise PatternError(f"empty alternative in '{text}'")
            more, is_cue = self.atoms_for(alt)
            ids |= more
            cue = cue or is_cue
        return frozenset(ids), cue

    def _words(self, alt: str, element: str) -> list[tuple[frozenset[int], bool, int]]:
        """One alternative inside a group: words, possibly with ~N gaps between them."""
        out: list[tuple[frozenset[int], bool, int]] = []
        gap = 0
        for word in alt.split():
            match = _GAP.match(word)
            if match:
                if not out:
                    raise PatternError(f"a group alternative cannot start with ~N: '{element}'")
                gap = int(match.group(1))
                continue
            out.append((*self._token(word), gap))
            gap = 0
        if not out or gap:
            raise PatternError(f"empty alternative or trailing ~N in '{element}'")
        return out

    def compile_part(self, part: str) -> list[Sequence_]:
        """All concrete sequences one pattern part stands for (groups and optionals expanded)."""
        # Each element becomes a list of options; an option is a list of (atoms, is_cue, gap) tokens.
        choices: list[tuple[int, list[list[tuple[frozenset[int], bool, int]]]]] = []
        pending_gap = 0
        for element in _split_elements(part):
            gap = _GAP.match(element)
            if gap:
                if not choices:
                    raise PatternError("a pattern cannot start with ~N")
                pending_gap = int(gap.group(1))
                continue
            if element.startswith("["):
                if not element.endswith("]"):
                    raise PatternError(f"put a space after '{element}'")
                options = [self._words(alt, element) for alt in element[1:-1].split("|")]
                options.append([])
            elif "(" in element:
                options = []
                for piece in _alternatives(element):
                    if piece.startswith("(") and piece.endswith(")"):
                        options.extend(self._words(alt, element) for alt in piece[1:-1].split("|"))
                    elif piece and "(" not in piece and ")" not in piece:
                        options.append([(*self._token(piece), 0)])
                    else:
                        raise PatternError(f"empty or malformed alternative in '{element}'")
            else:
                options = [[(*self._token(element), 0)]]
            choices.append((pending_gap, options))
            pending_gap = 0
        if pending_gap:
            raise PatternError("a pattern cannot end with ~N")
        if not choices:
            raise PatternError("empty pattern")
        sequences: list[Sequence_] = []
        for combo in itertools.product(*(opts for _, opts in choices)):
            slots: list[Slot] = []
            cue = False
            carry = 0
            for (gap, _), tokens in zip(choices, combo, strict=True):
                if not tokens:
                    carry += gap
                    continue
                for i, (ids, is_cue, inner_gap) in enumerate(tokens):
                    slots.append(Slot(ids, (gap + carry) if i == 0 else inner_gap))
                    cue = cue or is_cue
                carry = 0
            if slots:
                slots[0] = Slot(slots[0].atoms, 0)
                sequences.append(Sequence_(tuple(slots), cue))
            if len(sequences) > MAX_EXPANSIONS:
                raise PatternError("pattern expands to too many alternatives; split it")
        if not sequences:
            raise PatternError("pattern can match nothing but optional words")
        return sequences

    def expand(self, pattern: str) -> str:
        """Replace each $name by the pattern piece defined under `phrases:` (one level, no nesting)."""

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.phrases:
                raise PatternError(f"unknown phrase ${name}")
            piece = str(self.phrases[name])
            if "$" in piece:
                raise PatternError(f"phrase ${name} may not use another $phrase")
            return piece

        return _MACRO.sub(substitute, pattern)

    def compile(self, pattern: str) -> list[tuple[Sequence_, ...] | Near]:
        """Parts joined by '&' (all required, any order): alternatives, or a Near pair (A ~N~ B)."""
        parts = [p.strip() for p in self.expand(str(pattern)).split("&")]
        if any(not p for p in parts):
            raise PatternError("empty side of '&'")
        compiled: list[tuple[Sequence_, ...] | Near] = []
        for part in parts:
            pieces = _NEAR.split(f" {part} ")
            if len(pieces) == 1:
                compiled.append(tuple(self.compile_part(part)))
            elif len(pieces) == 3 and pieces[0].strip() and pieces[2].strip():
                left = tuple(self.compile_part(pieces[0].strip()))
                right = tuple(self.compile_part(pieces[2].strip()))
                compiled.append(Near(left, right, int(pieces[1])))
            else:
                raise PatternError("use ~N~ once, with words on both sides")
        return compiled


def phrase_tokens(phrases: Iterable[object]) -> list[str]:
    """Normalise a YAML list of short phrases, dropping blanks."""
    out = []
    for phrase in phrases or ():
        norm = " ".join(str(phrase).split())
        if norm:
            out.append(norm)
    return out
