"""Numbers said aloud, read as digits: "otteogtredive komma ni" -> "38,9", "femten" -> "15".

Why: patients who dictate on a phone get numbers written as words, and the red-flag patterns read a
temperature ("@feber_tal @decimal") or an age ("jeg er @alder_55") from digits. The words themselves live
in content/red_flags.yml (`language.number_words`); this module only knows how Danish composes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class NumberWords:
    """A compiled reader for one `number_words` section."""

    pattern: re.Pattern[str]
    decimal: re.Pattern[str] | None
    values: Mapping[str, int]
    digits: Mapping[str, int]

    @classmethod
    def from_raw(cls, raw: object) -> NumberWords | None:
        """Compile the section; None when it is missing, so a file without it still loads.

        ``ones`` alone stay words ("to ben", "fem dage" are read by the patterns as they are); they count
        only inside a compound ("otteogtredive" = 8 + 30) and as the digit after the decimal word."""
        if not isinstance(raw, Mapping):
            return None
        ones = {str(k).lower(): int(v) for k, v in (raw.get("ones") or {}).items()}
        teens = {str(k).lower(): int(v) for k, v in (raw.get("teens") or {}).items()}
        tens = {str(k).lower(): int(v) for k, v in (raw.get("tens") or {}).items()}
        joiner = str(raw.get("joiner") or "og").lower()
        values: dict[str, int] = {**teens, **tens}
        for one, one_value in ones.items():
            for ten, ten_value in tens.items():
                values[f"{one}{joiner}{ten}"] = one_value + ten_value
        if not values:
            return None
        words = "|".join(re.escape(w) for w in sorted(values, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])({words})(?![\w-])", re.IGNORECASE)
        digits = {**ones, **{str(k).lower(): int(v) for k, v in (raw.get("zero") or {}).items()}}
        digits.update({str(d): d for d in range(10)})
        decimal_word = str(raw.get("decimal") or "").strip().lower()
        decimal = None
        if decimal_word:
            alternatives = "|".join(re.escape(w) for w in sorted(digits, key=len, reverse=True))
            decimal = re.compile(rf"(\d+) {re.escape(decimal_word)} ({alternatives})(?![\w-])", re.IGNORECASE)
        return cls(pattern, decimal, values, digits)

    def read(self, text: str) -> str:
        """The text with spoken numbers as digits; everything else unchanged."""
        text = self.pattern.sub(lambda m: str(self.values[m.group(1).lower()]), text)
        if self.decimal is not None:
            text = self.decimal.sub(lambda m: f"{m.group(1)},{self.digits[m.group(2).lower()]}", text)
        return text
