"""Written amounts ("two", "twenty-five", "5 1/2", "a couple of") and ISO 8601 durations built from them."""

from __future__ import annotations

import re

from newsgraph.extract.times.vocabulary import ONES, TENS, UNIT_CODES, VAGUE_CODES

_VAGUE_NUMBERS = re.compile(
    r"^(?:a\s+few|few|several|many|some|hundreds\s+of|dozens\s+of|thousands\s+of|a\s+number\s+of)$"
)


def parse_amount(text: str) -> float | None:
    """The value of a written amount ("two", "twenty-five", "5 1/2", "a couple of"); None when vague."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    half = 0.0
    if text.endswith(" and a half"):
        text, half = text[: -len(" and a half")], 0.5
    if _VAGUE_NUMBERS.match(text):
        return None
    if m := re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)(?: (\d)/(\d))?", text):
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value += int(m.group(2)) / int(m.group(3))
        return value + half
    if m := re.fullmatch(r"(\d)/(\d)", text):
        return int(m.group(1)) / int(m.group(2)) + half
    if text in ("a", "an", "one"):
        return 1 + half
    if text in ("a couple of", "couple of", "a couple"):
        return 2 + half
    if text in ("a dozen", "dozen"):
        return 12 + half
    if text in ("a hundred", "hundred"):
        return 100 + half
    if text in ONES:
        return ONES[text] + half
    parts = re.split(r"[ -]", text)
    if parts[0] in TENS and (len(parts) == 1 or (len(parts) == 2 and parts[1] in ONES)):
        return TENS[parts[0]] + (ONES[parts[1]] if len(parts) == 2 else 0) + half
    return None


def unit_name(word: str) -> str:
    word = word.lower()
    if word == "centuries":
        return "century"
    return word[:-1] if word.endswith("s") else word


# Where the fraction of a unit goes: "5 1/2 hours" is PT5H30M, "a year and a half" P1Y6M.
_SMALLER: dict[str, tuple[str, int]] = {
    "Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60), "TM": ("TS", 60),
    "TS": ("TS", 1),
}  # fmt: skip


def duration_value(amount: float | None, unit: str) -> str:
    """An ISO 8601 duration of ``amount`` units, or the vague ``PXY`` form when the amount is None."""
    if amount is None:
        return VAGUE_CODES[unit]
    code, factor = UNIT_CODES[unit]
    amount *= factor
    whole = int(amount)
    parts = {code: whole} if whole or amount == whole else {}
    if amount - whole > 1e-9:
        smaller, scale = _SMALLER[code]
        parts[smaller] = parts.get(smaller, 0) + round((amount - whole) * scale)
    date = "".join(f"{n}{c}" for c, n in parts.items() if not c.startswith("T"))
    time = "".join(f"{n}{c[1]}" for c, n in parts.items() if c.startswith("T"))
    return "P" + date + ("T" + time if time else "")
