"""The languages of the stored articles, and how each was read (issue 17)."""

from __future__ import annotations

from dataclasses import dataclass

from newsgraph.store.connection import Database


@dataclass(frozen=True)
class LanguageCount:
    """Stored articles in one language.

    Args:
        language: ISO 639-1 code (``?`` when a source gave none).
        articles: Articles in that language.
        translated: Of those, articles translated into English before analysis.
        not_analysed: Of those, articles no engine translated, stored with their metadata only.
        engines: The engines that translated them (``apertium``, ``argos``), comma-separated.
    """

    language: str
    articles: int
    translated: int
    not_analysed: int
    engines: str


def language_counts(db: Database) -> list[LanguageCount]:
    """Return one row per language, most articles first."""
    sql = (
        "SELECT coalesce(language, '?') AS lang, COUNT(*), "
        "SUM(translation IS NOT NULL AND translation != 'null'), "
        "SUM(coalesce(language, '?') != 'en' AND (translation IS NULL OR translation = 'null')), "
        "group_concat(DISTINCT json_extract(translation, '$.engine')) "
        "FROM articles GROUP BY lang ORDER BY COUNT(*) DESC, lang"
    )
    with db.read("count articles by language") as conn:
        return [LanguageCount(row[0], row[1], row[2], row[3], row[4] or "") for row in conn.execute(sql)]
