"""Grouping one event's reports across articles: the key, the date tolerance, and order independence."""

from __future__ import annotations

import itertools

from newsgraph.schema import Article, Event, Record, TimeRef
from newsgraph.store.event_groups import EventReport, group_reports, party_key, report_date


def report(
    article: str,
    date: str | None,
    source: str = "time",
    event_type: str = "CONSULT",
    actor: str = "Ana Ribeiro",
    target: str = "Fumio Kishida",
    negated: bool = False,
    outlet: str | None = None,
) -> EventReport:
    event = Event((0, 3), event_type, actor_name=actor, target_name=target, negated=negated)
    return EventReport(event, article_key=article, outlet=outlet or article, date=date, date_source=source)


def test_three_outlets_one_event():
    groups = group_reports(
        [
            report("kyodo", "2024-05-16", "published"),
            report("reuters", "2024-05-16", "time"),
            report("lusa", "2024-05-17", "published", actor="Fumio Kishida", target="Ana Ribeiro"),
        ]
    )
    assert len(groups) == 1
    group = groups[0]
    assert (group.num_reports, group.num_sources, group.date) == (3, 3, "2024-05-16")


def test_next_day_tolerance_only_for_publication_dates():
    # A report dated by its own time expression a day later is another meeting.
    assert len(group_reports([report("a", "2024-05-16"), report("b", "2024-05-17", "time")])) == 2
    assert len(group_reports([report("a", "2024-05-16"), report("b", "2024-05-18", "published")])) == 2
    assert len(group_reports([report("a", "2024-05-16"), report("b", "2024-05-17", "published")])) == 1


def test_type_parties_direction_and_negation_split_groups():
    base = report("a", "2024-05-16")
    assert len(group_reports([base, report("b", "2024-05-16", event_type="AGREE")])) == 2
    assert len(group_reports([base, report("b", "2024-05-16", target="Yoon Tae-sik")])) == 2
    assert len(group_reports([base, report("b", "2024-05-16", negated=True)])) == 2
    # ASSAULT has a doer and a victim: swapping them is another event.
    attack = report("a", "2024-05-16", event_type="ASSAULT", actor="Mali", target="Niger")
    reverse = report("b", "2024-05-16", event_type="ASSAULT", actor="Niger", target="Mali")
    assert len(group_reports([attack, reverse])) == 2


def test_states_group_by_country_whatever_the_name():
    assert party_key("Japan", None) == party_key("Tokyo", None) == "JPN"
    assert party_key("the Kremlin", None) == "RUS"
    assert party_key("Helena Marques", "PRT") == "helena marques"
    assert party_key(None, "PRT") == "PRT"


def test_one_article_telling_it_twice_is_one_report():
    groups = group_reports([report("a", "2024-05-16"), report("a", "2024-05-16"), report("b", "2024-05-16")])
    assert [g.num_reports for g in groups] == [2]


def test_order_does_not_matter():
    reports = [
        report("a", "2024-05-16", "published"),
        report("b", "2024-05-17", "published"),
        report("c", "2024-05-17", "time"),
        report("d", "2024-05-20", "published"),
    ]
    shapes = set()
    for order in itertools.permutations(reports):
        groups = group_reports(order)
        shapes.add(tuple(sorted(tuple(sorted(r.article_key for r in g.reports)) for g in groups)))
    assert len(shapes) == 1


def test_report_date_prefers_a_linked_day():
    article = Article(text="They met on Tuesday.", published="2024-03-14")
    times = [TimeRef("t1", (12, 19), "Tuesday", "2024-03-12"), TimeRef("t2", (0, 4), "2024", "2024")]
    record = Record(article, times=times)
    assert report_date(Event((5, 8), "CONSULT", time="t1"), record) == ("2024-03-12", "time")
    assert report_date(Event((5, 8), "CONSULT", time="t2"), record) == ("2024-03-14", "published")
    assert report_date(Event((5, 8), "CONSULT"), Record(Article(text="x"))) == (None, "none")
