"""Words and regular-expression pieces shared by detection and normalisation of temporal expressions.

Patterns are compiled with IGNORECASE; month and weekday names are checked for a capital letter after
matching, so "may" and "march" the verbs never count as months.
"""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
NAMES = frozenset(MONTHS) | frozenset(WEEKDAYS)
ONES: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip
DECADE_WORDS: dict[str, int] = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_INDEX = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
PARTS: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI", "tonight": "NI",
}  # fmt: skip
# ISO 8601 / TimeML duration designators; decades and centuries are written in years, as the TimeBank
# annotators did for counted ones ("two decades" → P20Y).
UNIT_CODES: dict[str, tuple[str, int]] = {
    "second": ("TS", 1), "minute": ("TM", 1), "hour": ("TH", 1), "day": ("D", 1), "week": ("W", 1),
    "fortnight": ("W", 2), "month": ("M", 1), "year": ("Y", 1), "decade": ("Y", 10), "century": ("Y", 100),
}  # fmt: skip
# Vague amounts ("years", "several decades") use X; decades and centuries keep the TimeBank letters.
VAGUE_CODES: dict[str, str] = {
    "second": "PTXS", "minute": "PTXM", "hour": "PTXH", "day": "PXD", "week": "PXW", "fortnight": "PXW",
    "month": "PXM", "year": "PXY", "decade": "PXE", "century": "PXC",
}  # fmt: skip
SET_WORDS: dict[str, str] = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "fortnightly": "P2W", "biweekly": "P2W",
    "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y", "hourly": "PT1H",
}  # fmt: skip
PRESENT_WORDS = ("now", "currently", "nowadays", "presently", "these days", "at present", "at the moment")
PAST_WORDS = ("recently", "lately", "the past")
FUTURE_WORDS = ("the future", "the near future", "the foreseeable future", "the distant future")


def alternation(words: object) -> str:
    """A regex alternation of ``words``, longest first, any whitespace between their words."""
    return "|".join(sorted((re.escape(str(w)).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


MONTH = rf"(?:{alternation(MONTHS)})\b\.?"
WEEKDAY = rf"(?:{alternation(WEEKDAYS)})\b"
YEAR = r"(?<![\d$.,])(?:1[5-9]\d\d|20\d\d)\b(?![.,]\d)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
PART = r"(?:morning|afternoon|evening|night|overnight)\b"
SEASON = r"(?:spring|summer|autumn|fall|winter)\b"
ONE_TO_NINE = "|".join(w for w, n in ONES.items() if 1 <= n <= 9)
NUM_WORD = (
    rf"(?:(?:{alternation(TENS)})(?:[\s-](?:{ONE_TO_NINE}))?|{alternation(ONES)}|a\s+hundred|hundred"
    r"|a\s+dozen|dozen|a\s+couple\s+of|couple\s+of|a\s+couple|a\s+few|few|several|many|some|hundreds\s+of"
    r"|dozens\s+of|thousands\s+of|a\s+number\s+of)"
)
NUM = rf"(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:\s+\d/\d)?|{NUM_WORD}(?:\s+and\s+a\s+half)?|an?)"
UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|century|centuries)\b"
# Words between an amount and its unit that leave the duration as counted: "two more weeks", "eight
# trading days".
UNIT_PREFIX = r"(?:(?:more|additional|extra|further|trading|business|working)[\s-]+)?"
QUANT = (
    r"(?:about|around|nearly|almost|more\s+than|less\s+than|fewer\s+than|over|some|at\s+least|at\s+most"
    r"|roughly|approximately|up\s+to|just|only|barely|under|close\s+to|well\s+over|as\s+many\s+as"
    r"|as\s+long\s+as|the\s+better\s+part\s+of|another|an\s+additional|a\s+further)"
)
MOD_WORD = r"(?:early|late|earlier|later|mid|the\s+(?:end|beginning|start|middle)\s+of)"
MOD = rf"(?:{MOD_WORD}[\s-]+)"
REL = r"(?:this\s+past|this\s+coming|last|next|this|coming|past|previous|current)"
CLOCK = (
    r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b|o'clock)|noon\b|midnight\b|midday\b)"
    r"(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|JST)\b)?"
)
NOT_AGE = r"(?![\s-]+olds?\b)"
# Holiday names are matched case-sensitively: "christmas" in lower case is not a date in news copy.
HOLIDAY_NAMES = (
    r"(?:Thanksgiving(?:\s+Day)?|Christmas(?:\s+(?:Day|Eve))?|New\s+Year's\s+(?:Day|Eve)|Easter(?:\s+Sunday)?"
    r"|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Halloween|Valentine's\s+Day|Boxing\s+Day|Election\s+Day)\b"
)
HOLIDAY = rf"(?-i:{HOLIDAY_NAMES})"
