"""Exports: JSONL (the analyze contract, one record per line), Parquet (one row per article) and GDELT-style
event rows (one per event, tab-separated)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from newsgraph.schema import Record


def write_jsonl(records: Iterable[Record], out: IO[str]) -> int:
    """Write one JSON object per record to ``out``; return the number written."""
    n = 0
    for record in records:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(records: Iterable[Record], path: str | Path, chunk: int = 500) -> int:
    """Write records to a Parquet file, one row per article with nested lists for what was extracted.

    ``metadata`` is stored as a JSON string because its keys differ between sources, and ``translation``
    as a JSON string too (``"null"`` for an article analysed as written), so every row has one column
    type. The ``original`` sentence spans of a translated record's items are left out: they follow from
    the alignment in ``translation``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: pq.ParquetWriter | None = None
    n = 0
    rows: list[dict] = []

    def flush() -> None:
        nonlocal writer
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=writer.schema if writer else None)
        if writer is None:
            writer = pq.ParquetWriter(str(path), table.schema)
        writer.write_table(table)
        rows.clear()

    try:
        for record in records:
            row = record.to_dict()
            row["metadata"] = json.dumps(row["metadata"], ensure_ascii=False)
            row["translation"] = json.dumps(row["translation"], ensure_ascii=False)
            for key in ("attributions", "claims", "events", "places", "times"):
                for item in row[key]:
                    item.pop("original", None)
            rows.append(row)
            n += 1
            if len(rows) >= chunk:
                flush()
        flush()
    finally:
        if writer is not None:
            writer.close()
    return n


# The 61 columns of a GDELT 2.0 event record, in order, then newsgraph's own (docs/gdelt-events.md).
GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                              "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    *(f"Actor2{f}" for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                              "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action")
      for f in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
    "PloverType", "PloverMode", "Actor1Sector", "Actor2Sector", "Hedged", "Negated", "Planned",
    "NumReports", "ReportedBy", "NewsgraphEventID",
)  # fmt: skip

# CAMEO actor type codes for PLOVER sectors where they differ: PLOVER's MED is health (CAMEO HLH) and
# its JRN is media (CAMEO MED); IGO/NGO/IMG are known-group codes in CAMEO, not types.
_CAMEO_TYPES = {"MED": "HLH", "JRN": "MED", "IGO": "", "NGO": "", "IMG": ""}


def _gdelt_actor(name: str | None, code: str | None, sector: str | None) -> list[str]:
    """Actor columns: Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1, Religion2, Type1-3."""
    if not name and not code:
        return [""] * 10
    country = code if code and code not in ("IGO", "NGO", "IMG") else ""
    group = code if code in ("IGO", "NGO", "IMG") else ""
    cameo_type = _CAMEO_TYPES.get(sector or "", sector or "")
    return [
        country + group + cameo_type,
        (name or "").upper(),
        country,
        group,
        "",
        "",
        "",
        cameo_type,
        "",
        "",
    ]


def _gdelt_place(place: Any) -> list[str]:
    """ActionGeo columns: Type, FullName, CountryCode (FIPS 10-4), ADM1, ADM2, Lat, Long, FeatureID."""
    from newsgraph.extract import countries

    if place is None:
        return ["0", "", "", "", "", "", "", ""]
    match = countries.lookup(place.name)
    if match is not None and match.kind == "name":
        fips = countries.fips_code(match.country) or ""
        return ["1", match.country.name, fips, fips, "", "", "", fips]
    alpha2 = place.country or (match.country.alpha2 if match is not None else "")
    fips = (countries.fips_code(alpha2) or "") if alpha2 else ""
    geo_type = "3" if alpha2 == "US" else "4"
    lat = f"{place.lat:.4f}" if place.lat is not None else ""
    lon = f"{place.lon:.4f}" if place.lon is not None else ""
    return [geo_type, place.name, fips, "", "", lat, lon, str(place.geonameid or "")]


def write_gdelt_events(groups: Iterable[Any], out: IO[str]) -> int:
    """Write events as tab-separated rows in GDELT 2.0's event-table layout, one row per event.

    The 61 GDELT columns come first, in GDELT's order (so GDELT loaders read them by position), then
    newsgraph's columns (PLOVER type and mode, sectors, hedged/negated/planned flags, number of reports,
    reporting speaker, newsgraph event id). No header line, as in GDELT's files; :data:`GDELT_COLUMNS`
    names every column and docs/gdelt-events.md describes them.

    Args:
        groups: Event groups (:class:`newsgraph.store.EventGroup`), e.g. ``Store.events(limit=None)``.
        out: A text stream.

    Returns:
        The number of rows written.
    """
    from newsgraph.extract.plover import QUAD_CLASS, SCORES, cameo_code

    n = 0
    for group in groups:
        day = (group.date or "").replace("-", "")
        year = day[:4]
        fraction = ""
        if len(day) == 8:
            ordinal = datetime.date(int(year), int(day[4:6]), int(day[6:])).timetuple().tm_yday
            fraction = f"{int(year) + ordinal / 365:.4f}"
        code = cameo_code(group.type, group.mode)
        first = group.reports[0]
        published = min((r.published or "" for r in group.reports), default="")[:10].replace("-", "")
        row = [
            str(int(group.id[:15], 16)),
            day,
            day[:6],
            year,
            fraction,
            *_gdelt_actor(group.actor_name, group.actor_country, group.actor_sector),
            *_gdelt_actor(group.target_name, group.target_country, group.target_sector),
            "1",
            code,
            code[:3],
            code[:2],
            str(QUAD_CLASS[group.type]),
            f"{SCORES[group.type]:.1f}",
            str(group.num_reports),
            str(group.num_sources),
            str(len({r.article_key for r in group.reports})),
            "",
            *(["0", "", "", "", "", "", "", ""] * 2),
            *_gdelt_place(group.place),
            f"{published}000000" if published else "",
            first.url or "",
            group.type,
            group.mode or "",
            group.actor_sector or "",
            group.target_sector or "",
            str(int(group.hedged)),
            str(int(group.negated)),
            str(int(group.planned)),
            str(group.num_reports),
            first.reported_by or "",
            group.id,
        ]
        out.write("\t".join(_tsv(v) for v in row) + "\n")
        n += 1
    return n


def _tsv(value: str) -> str:
    """A field without the tabs and newlines that would break the row."""
    return " ".join(value.split()) if any(c in value for c in "\t\r\n") else value
