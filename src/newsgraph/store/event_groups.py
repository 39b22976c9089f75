"""One event, many reports: grouping the same event told by several articles or outlets.

Each coded event in an article is a *report*. Reports of the same happening are grouped into one
:class:`EventGroup` with a count of reports. The grouping key is:

- the PLOVER **type** and whether the report is **negated** ("did not meet" is not "met");
- the two **parties**: each the actor's country code when the actor is a state named by its country or
  capital ("Japan", "Tokyo", "Beijing"), else its name folded (case, accents, a leading "the"); for
  CONSULT, AGREE and COOPERATE, which have peers rather than a doer and a receiver, the pair is
  unordered ("Marques met Hayama" = "Hayama met Marques");
- the **date**: the value of the event's linked time when it names a day, else the article's
  publication date. A report dated only by its publication date also joins a group dated the day
  before, since wire copy often reports the previous day's meeting and agencies in other time zones
  publish a day later.

Reports are compared with every earlier report of the same type and parties, so the result does not
depend on the order articles were stored in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from newsgraph.extract import countries
from newsgraph.schema import Event, Place, Record

# Types whose two parties are peers, so the pair is unordered in the grouping key.
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})

# A report dated only by publication joins a group dated up to this many days earlier (see above).
PUBLICATION_LAG_DAYS = 1


@lru_cache(maxsize=65536)
def party_key(name: str | None, country: str | None) -> str:
    """The grouping key of one party: a state's country code, else its folded name, else its country."""
    if name:
        match = countries.lookup(name)
        if match is not None and match.kind in ("name", "capital", "seat"):
            return match.country.alpha3
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
        folded = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", folded).strip())
        folded = re.sub(r"['’]s$", "", folded)
        if folded:
            return folded
    return country or ""


def report_date(event: Event, record: Record) -> tuple[str | None, str]:
    """(ISO date, source) of a report: ("2024-05-16", "time") from its linked time when that names a day,
    else the publication date with source "published"."""
    if event.time:
        value = next((t.value for t in record.times if t.id == event.time), None)
        if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]) and len(value) >= 10:
            return value[:10], "time"
    published = record.article.published
    if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published[:10]):
        return published[:10], "published"
    return None, "none"


@dataclass
class EventReport:
    """One article's report of an event.

    Args:
        event: The event as coded in the article.
        article_key: The article's storage key.
        index: The event's position in its article's events.
        article_id: The article's id.
        url: The article's URL.
        outlet: The article's outlet.
        published: The article's publication date.
        trigger_text: The text of the trigger span.
        date: The report's date (see :func:`report_date`).
        date_source: "time", "published" or "none".
        reported_by: The speaker of the attribution that reports it ("NHK"), when one does.
        place: The linked place, when there is one.
    """

    event: Event
    article_key: str
    index: int = 0
    article_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    trigger_text: str = ""
    date: str | None = None
    date_source: str = "none"
    reported_by: str | None = None
    place: Place | None = None

    @property
    def key(self) -> tuple[str, bool, tuple[str, str]]:
        """(type, negated, party pair): the grouping key without the date."""
        event = self.event
        pair = (
            party_key(event.actor_name, event.actor_country),
            party_key(event.target_name, event.target_country),
        )
        if event.type in SYMMETRIC_TYPES:
            pair = (min(pair), max(pair))
        return (event.type or "", event.negated, pair)

    def to_dict(self) -> dict[str, object]:
        return {
            "article": self.article_id or self.article_key,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
            "trigger_text": self.trigger_text,
            "date": self.date,
            "date_source": self.date_source,
            "reported_by_name": self.reported_by,
            "place_name": self.place.name if self.place else None,
            **{k: v for k, v in self.event.to_dict().items() if k != "candidate"},
        }


@dataclass
class EventGroup:
    """An event as told by one or more reports.

    Args:
        id: A stable identifier (hex digest of the grouping key and date).
        type: PLOVER type.
        date: The event's date: the earliest date a linked time gives, else the earliest publication date.
        reports: The reports, by date then article.
    """

    id: str
    type: str
    date: str | None
    reports: list[EventReport] = field(default_factory=list)

    @property
    def first(self) -> Event:
        return self.reports[0].event

    def _common(self, attr: str) -> str | None:
        values = Counter(getattr(r.event, attr) for r in self.reports if getattr(r.event, attr))
        return values.most_common(1)[0][0] if values else None

    @property
    def mode(self) -> str | None:
        return self._common("mode")

    @property
    def actor_name(self) -> str | None:
        return self._common("actor_name")

    @property
    def actor_country(self) -> str | None:
        return self._common("actor_country")

    @property
    def actor_sector(self) -> str | None:
        return self._common("actor_sector")

    @property
    def target_name(self) -> str | None:
        return self._common("target_name")

    @property
    def target_country(self) -> str | None:
        return self._common("target_country")

    @property
    def target_sector(self) -> str | None:
        return self._common("target_sector")

    @property
    def hedged(self) -> bool:
        """True when every report hedges it (one outlet asserting it is enough to drop the hedge)."""
        return all(r.event.hedged for r in self.reports)

    @property
    def negated(self) -> bool:
        return all(r.event.negated for r in self.reports)

    @property
    def planned(self) -> bool:
        """True while every report presents it as planned."""
        return all(r.event.planned for r in self.reports)

    @property
    def place(self) -> Place | None:
        places = [r.place for r in self.reports if r.place is not None]
        resolved = [p for p in places if p.resolved]
        return (resolved or places or [None])[0]

    @property
    def num_reports(self) -> int:
        return len(self.reports)

    @property
    def num_sources(self) -> int:
        """Distinct outlets (an article without an outlet counts as its own source)."""
        return len({r.outlet or r.article_key for r in self.reports})

    def to_dict(self) -> dict[str, object]:
        place = self.place
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "date": self.date,
            "actor_name": self.actor_name,
            "actor_country": self.actor_country,
            "actor_sector": self.actor_sector,
            "target_name": self.target_name,
            "target_country": self.target_country,
            "target_sector": self.target_sector,
            "place": place.name if place else None,
            "hedged": self.hedged,
            "negated": self.negated,
            "planned": self.planned,
            "num_reports": self.num_reports,
            "num_sources": self.num_sources,
            "reports": [r.to_dict() for r in self.reports],
        }


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _same_event(earlier: EventReport, later: EventReport) -> bool:
    """True when two reports with the same key and dates in order can be the same event."""
    if earlier.date == later.date:
        return True
    a, b = _day(earlier.date), _day(later.date)
    if a is None or b is None:
        return False
    return later.date_source == "published" and 0 < (b - a).days <= PUBLICATION_LAG_DAYS


def _report_order(report: EventReport) -> tuple[str, bool, str, str]:
    return (report.date or "9999", report.date_source != "time", report.published or "", report.article_key)


def group_reports(reports: Iterable[EventReport]) -> list[EventGroup]:
    """Group reports of the same event (see the module docstring for the key).

    Returns:
        Groups ordered by date (undated last), then by type and the first report's article.
    """
    by_key: dict[tuple[str, bool, tuple[str, str]], list[EventReport]] = defaultdict(list)
    for report in reports:
        if report.event.type:
            by_key[report.key].append(report)
    groups: list[EventGroup] = []
    for key, items in by_key.items():
        items.sort(key=_report_order)
        clusters: list[list[EventReport]] = []
        for report in items:
            home = next((c for c in clusters if any(_same_event(m, report) for m in c)), None)
            if home is None:
                clusters.append([report])
            elif all(m.article_key != report.article_key for m in home):
                home.append(report)  # an article that tells the event twice is still one report
        for cluster in clusters:
            timed = [r.date for r in cluster if r.date and r.date_source == "time"]
            dated = [r.date for r in cluster if r.date]
            date = min(timed) if timed else (min(dated) if dated else None)
            digest = hashlib.sha256(repr((key, date)).encode("utf-8")).hexdigest()[:16]
            groups.append(EventGroup(digest, key[0], date, cluster))
    groups.sort(key=lambda g: (g.date or "9999", g.type, g.reports[0].article_key))
    return groups


def reports_from_record(record: Record) -> list[EventReport]:
    """The event reports of one analysed record (no store needed)."""
    out = []
    places = {p.id: p for p in record.places}
    for index, event in enumerate(record.events):
        if not event.type or event.candidate:
            continue
        date, source = report_date(event, record)
        speaker = None
        if event.reported_by is not None and 0 <= event.reported_by < len(record.attributions):
            speaker = record.attributions[event.reported_by].speaker_name
        out.append(
            EventReport(
                event=event,
                article_key=record.article.key,
                index=index,
                article_id=record.article.id,
                url=record.article.url,
                outlet=record.article.outlet,
                published=record.article.published,
                trigger_text=record.article.text[event.trigger[0] : event.trigger[1]],
                date=date,
                date_source=source,
                reported_by=speaker,
                place=places.get(event.place or ""),
            )
        )
    return out
