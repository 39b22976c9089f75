"""The gazetteer: an offline GeoNames index, built once into the user cache and read into memory per process.

    >>> gaz = Gazetteer.default()          # builds ~/.cache/newsgraph/gazetteer-v1.sqlite on first use
    >>> [c.country for c in gaz.lookup("Paris")][:2]
    ['FR', 'US']

The SQLite file is the durable form; a process reads its two tables once into compact parallel lists and a
dict from folded name to candidate rows (about 130 MB, 1–2 s), so a lookup is one dict probe.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
import threading
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from newsgraph.errors import NewsgraphError
from newsgraph.geo.build import ALTERNATE, CODE, MAIN, SCHEMA_VERSION, BuildStats, build_gazetteer
from newsgraph.geo.text import name_key

__all__ = [
    "ALTERNATE",
    "CODE",
    "MAIN",
    "Candidate",
    "Gazetteer",
    "cache_dir",
    "default_path",
    "ensure_gazetteer",
]

FEATURES = ("CONT", "PCLI", "ADM1", "ADM2", "PPLC", "PPL", "RGN", "SEA", "LDMK")
_FEATURE_CODE = {f: i for i, f in enumerate(FEATURES)}


class Candidate(NamedTuple):
    """One gazetteer entry a name can refer to.

    Args:
        geonameid: GeoNames id; negative for an entry of :mod:`newsgraph.geo.regions` that has none.
        name: GeoNames' name for it.
        feature: CONT (continent), PCLI (country), ADM1, ADM2, PPLC (capital), PPL (populated place), or
            RGN, SEA, LDMK for the regions, seas and landmarks of :mod:`newsgraph.geo.regions`.
        country: ISO 3166 alpha-2 code (None for continents).
        admin1: GeoNames admin-1 code within the country ("VA", "08", "ENG").
        admin2: GeoNames admin-2 code within the admin-1 region.
        lat: Latitude.
        lon: Longitude.
        population: GeoNames population (a region's is the sum of its towns').
        flags: How the looked-up name matched: MAIN, CODE and/or ALTERNATE bits.
        form: The name as the gazetteer writes it for this match (case kept).
    """

    geonameid: int
    name: str
    feature: str
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    population: int
    flags: int
    form: str


def cache_dir() -> Path:
    """Where newsgraph keeps built data: ``$NEWSGRAPH_CACHE``, else ``$XDG_CACHE_HOME/newsgraph``, else
    ``~/.cache/newsgraph``."""
    if os.environ.get("NEWSGRAPH_CACHE"):
        return Path(os.environ["NEWSGRAPH_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsgraph"


def default_path() -> Path:
    """The gazetteer file in the cache folder; its name carries the schema version."""
    return cache_dir() / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


def _notice_progress() -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """A rich progress bar on stderr when it is a terminal, else one plain line."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        print("newsgraph: building the gazetteer (once; about half a minute)…", file=sys.stderr, flush=True)
        return (lambda label, done, total: None), (lambda: None)
    bar = Progress(
        TextColumn("gazetteer: {task.description}"), BarColumn(), TimeElapsedColumn(), console=console
    )
    bar.start()
    task = bar.add_task("starting", total=6)

    def update(label: str, done: int, total: int) -> None:
        bar.update(task, description=label, completed=done, total=total)

    return update, bar.stop


def ensure_gazetteer(
    path: str | Path | None = None,
    rebuild: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> Path:
    """Return the gazetteer file, building it first when it is missing (or ``rebuild``).

    Concurrent processes wait on a lock file rather than building twice.

    Args:
        path: The file; default :func:`default_path`.
        rebuild: Build even when the file exists.
        progress: ``progress(step, done, total)``; default a progress bar on stderr.

    Raises:
        NewsgraphError: The data packages are missing or the cache folder is not writable.
    """
    target = Path(path) if path is not None else default_path()
    if target.exists() and not rebuild:
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = open(target.with_name(target.name + ".lock"), "w")  # noqa: SIM115 (held until built)
    except OSError as exc:
        raise NewsgraphError(
            f"cannot create the gazetteer cache at {target.parent}: {exc}; "
            "set NEWSGRAPH_CACHE to a writable folder"
        ) from exc
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists() and not rebuild:
            return target
        stop: Callable[[], None] = lambda: None  # noqa: E731
        if progress is None:
            progress, stop = _notice_progress()
        try:
            build_gazetteer(target, progress)
        finally:
            stop()
    return target


def build(
    path: str | Path | None = None, progress: Callable[[str, int, int], None] | None = None
) -> BuildStats:
    """Build (or rebuild) the gazetteer file and return what went in (``newsgraph gazetteer build``)."""
    target = Path(path) if path is not None else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    return build_gazetteer(target, progress)


class Gazetteer:
    """Exact and alternate-name lookup over the GeoNames index, held in memory.

    Args:
        path: A gazetteer SQLite file (see :func:`ensure_gazetteer`).

    Raises:
        NewsgraphError: The file is missing, from another schema version, or unreadable.
    """

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise NewsgraphError(f"cannot open the gazetteer {self.path}: {exc}") from exc
        try:
            version = dict(con.execute("SELECT key, value FROM meta")).get("schema_version")
            if version != str(SCHEMA_VERSION):
                raise NewsgraphError(
                    f"{self.path} is a gazetteer of schema {version}, this newsgraph reads {SCHEMA_VERSION}: "
                    "run `newsgraph gazetteer build`"
                )
            self._load(con)
        except sqlite3.Error as exc:
            raise NewsgraphError(
                f"cannot read the gazetteer {self.path}: {exc}; rebuild it with `newsgraph gazetteer build`"
            ) from exc
        finally:
            con.close()
        self._cache: dict[str, list[Candidate]] = {}

    def _load(self, con: sqlite3.Connection) -> None:
        self._ids = array("q")
        self._lat = array("d")
        self._lon = array("d")
        self._pop = array("q")
        self._feature = array("b")
        self._name: list[str] = []
        self._country: list[str | None] = []
        self._admin1: list[str | None] = []
        self._admin2: list[str | None] = []
        row_of: dict[int, int] = {}
        intern = sys.intern
        rows = con.execute(
            "SELECT geonameid, name, feature, country, admin1, admin2, lat, lon, population FROM places"
        )
        for i, (gid, name, feature, country, admin1, admin2, lat, lon, pop) in enumerate(rows):
            row_of[gid] = i
            self._ids.append(gid)
            self._name.append(name)
            self._feature.append(_FEATURE_CODE[feature])
            self._country.append(intern(country) if country else None)
            self._admin1.append(intern(admin1) if admin1 else None)
            self._admin2.append(intern(admin2) if admin2 else None)
            self._lat.append(lat)
            self._lon.append(lon)
            self._pop.append(pop)
        self._row_of = row_of
        # key -> packed (row << 3 | flags), a bare int for the common single-candidate key.
        names: dict[str, int | tuple[int, ...]] = {}
        # Forms are kept only for codes, the one kind of name whose written case matters ("US" and "Us").
        forms: dict[tuple[str, int], str] = {}
        for key, gid, form, flags in con.execute("SELECT key, geonameid, form, flags FROM names"):
            row = row_of[gid]
            packed = row << 3 | flags
            old = names.get(key)
            if old is None:
                names[key] = packed
            elif isinstance(old, int):
                names[key] = (old, packed)
            else:
                names[key] = (*old, packed)
            if flags & CODE:
                forms[(key, row)] = form
        self._names = names
        self._forms = forms
        self._admin1_rows: dict[tuple[str, str], int] = {}
        self._country_rows: dict[str, int] = {}
        for i, feature in enumerate(self._feature):
            if feature == _FEATURE_CODE["ADM1"]:
                self._admin1_rows[(self._country[i] or "", self._admin1[i] or "")] = i
            elif feature == _FEATURE_CODE["PCLI"]:
                self._country_rows[self._country[i] or ""] = i

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer at :func:`default_path`, built on first use and loaded once."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls(ensure_gazetteer())
            return cls._default

    def __len__(self) -> int:
        return len(self._ids)

    def _candidate(self, row: int, flags: int, form: str | None) -> Candidate:
        return Candidate(
            geonameid=self._ids[row],
            name=self._name[row],
            feature=FEATURES[self._feature[row]],
            country=self._country[row],
            admin1=self._admin1[row],
            admin2=self._admin2[row],
            lat=self._lat[row],
            lon=self._lon[row],
            population=self._pop[row],
            flags=flags,
            form=form if form is not None else self._name[row],
        )

    def lookup_key(self, key: str) -> list[Candidate]:
        """Candidates for an already folded key (see :func:`newsgraph.geo.text.name_key`)."""
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        packed = self._names.get(key)
        if packed is None:
            out: list[Candidate] = []
        else:
            items = (packed,) if isinstance(packed, int) else packed
            out = [self._candidate(p >> 3, p & 7, self._forms.get((key, p >> 3))) for p in items]
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def lookup(self, name: str) -> list[Candidate]:
        """Every place ``name`` can refer to, by its folded key (case, accents, dots and "St." ignored).

        Callers decide what case differences mean: :attr:`Candidate.form` keeps the gazetteer's spelling.
        """
        return self.lookup_key(name_key(name))

    def contains(self, name: str) -> bool:
        """True when ``name`` folds to a key in the index."""
        return name_key(name) in self._names

    def get(self, geonameid: int) -> Candidate | None:
        """The place with this GeoNames id, or None."""
        row = self._row_of.get(geonameid)
        return None if row is None else self._candidate(row, MAIN, None)

    def country(self, iso: str) -> Candidate | None:
        """The country with this ISO alpha-2 code, or None."""
        row = self._country_rows.get(iso.upper())
        return None if row is None else self._candidate(row, MAIN, None)

    def admin1(self, country: str | None, code: str | None) -> Candidate | None:
        """The admin-1 region with this GeoNames code inside ``country``, or None."""
        if not country or not code:
            return None
        row = self._admin1_rows.get((country, code))
        return None if row is None else self._candidate(row, MAIN, None)
