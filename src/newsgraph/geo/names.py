"""Hand-kept name tables the packaged GeoNames data lacks: English news usage for countries and states.

The packages give each country its ISO and GeoNames names and some alternates, but not the forms wire copy
uses ("U.S.", "Britain", "the Gulf states" aside); US and Canadian style-book abbreviations ("Calif.",
"W.Va.", "B.C.") are in none of them.
"""

from __future__ import annotations

# English forms of country names used in news and missing from the packaged alternates, keyed by ISO alpha-2.
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("U.S.", "U.S.A.", "US", "USA", "America", "United States of America", "the States"),
    "GB": ("U.K.", "UK", "Britain", "Great Britain"),
    "KR": ("Korea", "Republic of Korea", "S. Korea"),
    "KP": ("N. Korea", "DPRK", "Democratic People's Republic of Korea"),
    "RU": ("Russian Federation",),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa", "Congo"),
    "CG": ("Congo-Brazzaville", "Congo"),
    "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "CZ": ("Czech Republic",),
    "MM": ("Burma",),
    "MK": ("Macedonia",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "VA": ("Vatican", "Vatican City", "Holy See"),
    "PS": ("Palestine", "Palestinian Territories", "Palestinian territories"),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "NL": ("Holland", "the Netherlands"),
    "CV": ("Cape Verde",),
    "TR": ("Türkiye", "Turkiye"),
    "VN": ("Viet Nam",),
    "LA": ("Lao PDR",),
    "SY": ("Syrian Arab Republic",),
    "IR": ("Islamic Republic of Iran",),
    "TW": ("Republic of China",),
    "CN": ("People's Republic of China", "PRC", "mainland China", "Mainland China"),
    "BA": ("Bosnia",),
    "FM": ("Federated States of Micronesia",),
}

# Country coordinates come from countryinfo, whose points are the CIA Factbook's. GeoNames places a few
# countries elsewhere (the US at the centre of the contiguous states, Japan at Tokyo); where the two lie more
# than 161 km apart, GeoNames' own point is used so that the index agrees with the ids it carries.
GEONAMES_COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5),
    "CA": (60.10867, -113.64258),
    "JP": (35.68536, 139.75309),
    "IN": (22.0, 79.0),
    "AU": (-25.0, 135.0),
    "LY": (28.0, 17.0),
}

# AP style-book abbreviations and postal codes of US states, keyed by postal code. Postal codes that are also
# English words ("IN", "OR", "ME", "OK", "HI") only match in upper case after a comma ("Portland, OR").
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",),
    "AK": (),
    "AZ": ("Ariz.",),
    "AR": ("Ark.",),
    "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",),
    "CT": ("Conn.",),
    "DE": ("Del.",),
    "DC": ("D.C.", "Washington, D.C.", "Washington D.C.", "District of Columbia"),
    "FL": ("Fla.",),
    "GA": ("Ga.",),
    "HI": (),
    "ID": (),
    "IL": ("Ill.",),
    "IN": ("Ind.",),
    "IA": (),
    "KS": ("Kan.", "Kans."),
    "KY": ("Ky.",),
    "LA": ("La.",),
    "ME": (),
    "MD": ("Md.",),
    "MA": ("Mass.",),
    "MI": ("Mich.",),
    "MN": ("Minn.",),
    "MS": ("Miss.",),
    "MO": ("Mo.",),
    "MT": ("Mont.",),
    "NE": ("Neb.", "Nebr."),
    "NV": ("Nev.",),
    "NH": ("N.H.",),
    "NJ": ("N.J.",),
    "NM": ("N.M.",),
    "NY": ("N.Y.", "New York State"),
    "NC": ("N.C.",),
    "ND": ("N.D.",),
    "OH": (),
    "OK": ("Okla.",),
    "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn.", "Penna."),
    "RI": ("R.I.",),
    "SC": ("S.C.",),
    "SD": ("S.D.",),
    "TN": ("Tenn.",),
    "TX": ("Tex.",),
    "UT": (),
    "VT": ("Vt.",),
    "VA": ("Va.",),
    "WA": ("Wash.", "Washington State", "Washington state"),
    "WV": ("W.Va.", "W. Va."),
    "WI": ("Wis.", "Wisc."),
    "WY": ("Wyo.",),
}

# Canadian province abbreviations (Canadian Press style and postal), keyed by GeoNames admin-1 code.
CA_PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "01": ("Alta.", "AB"),
    "02": ("B.C.", "BC"),
    "03": ("Man.", "MB"),
    "04": ("N.B.", "NB"),
    "05": ("N.L.", "NL", "Nfld."),
    "07": ("N.S.", "NS"),
    "08": ("Ont.", "ON"),
    "09": ("P.E.I.", "PEI"),
    "10": ("Que.", "QC"),
    "11": ("Sask.", "SK"),
    "12": ("Y.T.",),
    "13": ("N.W.T.",),
}

# Alternate names that are codes rather than names: matched only when written in capitals, exactly.
CODE_MAX_LENGTH = 3

# Adjectives of continents, keyed by GeoNames continent code: "European leaders", "African Union" name a
# continent as a demonym names a country. (Country demonyms are not in the gazetteer: they are country
# references, see newsgraph.extract.countries.)
CONTINENT_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "EU": ("European",),
    "AF": ("African",),
    "AS": ("Asian",),
    "NA": ("North American", "Central American"),
    "SA": ("South American",),
    "OC": ("Oceanian",),
}

# Adjectives of regions, islands and states that are not countries, each with the gazetteer name it refers
# to and the country that name must lie in (None for a region without one). "a Siberian chill", "Sicilian
# lemon curd", "Texan ranchers" name the region as "Russian" names Russia. Built by hand from the common
# English forms (style guides' lists of demonyms for sub-national regions and macro-regions); only forms
# that are not also a country's demonym are listed: "English", "Scottish" or "Kurdish" stay country
# references (newsgraph.extract.countries), and forms that are mostly something else in news ("Alpine",
# "Roman", "Caucasian", "Lombard", "Carolinian") are left out.
REGION_ADJECTIVES: dict[str, tuple[str, str | None]] = {
    # Macro-regions, seas and ranges (see newsgraph.geo.regions).
    "Middle Eastern": ("Middle East", None),
    "Latin American": ("Latin America", None),
    "Central American": ("Central America", None),
    "Southeast Asian": ("Southeast Asia", None),
    "South-East Asian": ("Southeast Asia", None),
    "Central Asian": ("Central Asia", None),
    "South Asian": ("South Asia", None),
    "East Asian": ("East Asia", None),
    "North African": ("North Africa", None),
    "West African": ("West Africa", None),
    "East African": ("East Africa", None),
    "Sub-Saharan": ("Sub-Saharan Africa", None),
    "Saharan": ("Sahara", None),
    "Sahelian": ("Sahel", None),
    "Balkan": ("Balkans", None),
    "Scandinavian": ("Scandinavia", None),
    "Western European": ("Western Europe", None),
    "Eastern European": ("Eastern Europe", None),
    "Himalayan": ("Himalayas", None),
    "Amazonian": ("Amazon", None),
    "Siberian": ("Siberia", None),
    "Kashmiri": ("Kashmir", None),
    "Midwestern": ("Midwest", None),
    # Regions inside one country.
    "Sicilian": ("Sicily", "IT"),
    "Sardinian": ("Sardinia", "IT"),
    "Tuscan": ("Tuscany", "IT"),
    "Corsican": ("Corsica", "FR"),
    "Breton": ("Brittany", "FR"),
    "Bavarian": ("Bavaria", "DE"),
    "Catalan": ("Catalonia", "ES"),
    "Andalusian": ("Andalusia", "ES"),
    "Galician": ("Galicia", "ES"),
    "Flemish": ("Flanders", "BE"),
    "Walloon": ("Wallonia", "BE"),
    "Tibetan": ("Tibet", "CN"),
    "Crimean": ("Crimea", "UA"),
    "Chechen": ("Chechnya", "RU"),
    "Punjabi": ("Punjab", None),
    "Tasmanian": ("Tasmania", "AU"),
    "Albertan": ("Alberta", "CA"),
    "Québécois": ("Quebec", "CA"),
    "Quebecois": ("Quebec", "CA"),
    "Quebecer": ("Quebec", "CA"),
    "Ontarian": ("Ontario", "CA"),
    "Manitoban": ("Manitoba", "CA"),
    "Nova Scotian": ("Nova Scotia", "CA"),
    "Cornish": ("Cornwall", "GB"),
    "Alaskan": ("Alaska", "US"),
    "Hawaiian": ("Hawaii", "US"),
    "Californian": ("California", "US"),
    "Texan": ("Texas", "US"),
    "Floridian": ("Florida", "US"),
    "Oregonian": ("Oregon", "US"),
    "Arizonan": ("Arizona", "US"),
    "Coloradan": ("Colorado", "US"),
    "Nevadan": ("Nevada", "US"),
    "Ohioan": ("Ohio", "US"),
    "Minnesotan": ("Minnesota", "US"),
    "Iowan": ("Iowa", "US"),
    "Kansan": ("Kansas", "US"),
    "Oklahoman": ("Oklahoma", "US"),
    "Louisianan": ("Louisiana", "US"),
    "Tennessean": ("Tennessee", "US"),
    "Kentuckian": ("Kentucky", "US"),
    "Virginian": ("Virginia", "US"),
    "Pennsylvanian": ("Pennsylvania", "US"),
}
