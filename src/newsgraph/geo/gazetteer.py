"""The gazetteer: an offline GeoNames index, built once into the user cache and read into memory per process.

    >>> gaz = Gazetteer.default()          # builds ~/.cache/newsgraph/gazetteer-v1.sqlite on first use
    >>> [c.country for c in gaz.lookup("Paris")][:2]
    ['FR', 'US']

The SQLite file is the index: a lookup is one query on its (key, geonameid) primary key, behind a cache of
recent names. A process keeps in memory only what answers the common question fast, whether a name is in
the index at all (a sorted array of the keys' hashes, about 4 MB: most names news text asks about are not
places), plus the countries and admin-1 regions; holding every name and place in memory took 130–150 MB
per process, paid again by every worker of a multi-process pipeline.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

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
# Names in the index whose candidates a process keeps: a news stream repeats its places. An entry takes
# about 850 bytes (a name has one to dozens of namesakes), so a full cache holds some 17 MB.
CACHE_SIZE = 20_000
_PLACE_COLUMNS = "p.geonameid, p.name, p.feature, p.country, p.admin1, p.admin2, p.lat, p.lon, p.population"


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
    """Exact and alternate-name lookup over the GeoNames index in a gazetteer file.

    Args:
        path: A gazetteer SQLite file (see :func:`ensure_gazetteer`).

    Raises:
        NewsgraphError: The file is missing, from another schema version, or unreadable.
    """

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._query_lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._pid = -1
        try:
            con = self._connection()
            version = dict(con.execute("SELECT key, value FROM meta")).get("schema_version")
            if version != str(SCHEMA_VERSION):
                raise NewsgraphError(
                    f"{self.path} is a gazetteer of schema {version}, this newsgraph reads {SCHEMA_VERSION}: "
                    "run `newsgraph gazetteer build`"
                )
            self._load(con)
        except sqlite3.Error as exc:
            self.close()
            raise NewsgraphError(
                f"cannot read the gazetteer {self.path}: {exc}; rebuild it with `newsgraph gazetteer build`"
            ) from exc
        except NewsgraphError:
            self.close()
            raise
        self._cached = lru_cache(maxsize=CACHE_SIZE)(self._query)

    def _connection(self) -> sqlite3.Connection:
        """This process's read-only connection (a forked worker opens its own: SQLite connections must not
        cross a fork)."""
        if self._con is None or self._pid != os.getpid():
            try:
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error as exc:
                raise NewsgraphError(f"cannot open the gazetteer {self.path}: {exc}") from exc
            self._con, self._pid = con, os.getpid()
        return self._con

    def close(self) -> None:
        """Close this process's connection to the file (a later lookup opens it again)."""
        if self._con is not None and self._pid == os.getpid():
            self._con.close()
        self._con = None

    def _load(self, con: sqlite3.Connection) -> None:
        # Hashes of every key, sorted: a name whose hash is not here is not in the index, with no query.
        # (Sized up front and sorted in place: growing and copying the array doubled the memory it took.)
        count = con.execute("SELECT count(DISTINCT key) FROM names").fetchone()[0]
        keys = con.execute("SELECT DISTINCT key FROM names")
        hashes = np.fromiter((hash(key) for (key,) in keys), np.int64, count=count)
        hashes.sort()
        self._hashes = array("q", hashes.tobytes())
        self._size = con.execute("SELECT count(*) FROM places").fetchone()[0]
        # Countries and admin-1 regions by code; where two rows share a code the later one (in geonameid
        # order) is kept.
        self._admin1_rows: dict[tuple[str, str], Candidate] = {}
        self._country_rows: dict[str, Candidate] = {}
        rows = con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places p WHERE p.feature IN ('ADM1', 'PCLI') ORDER BY p.geonameid"
        )
        for row in rows:
            place = _candidate(row, MAIN, None)
            if place.feature == "ADM1":
                self._admin1_rows[(place.country or "", place.admin1 or "")] = place
            else:
                self._country_rows[place.country or ""] = place

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer at :func:`default_path`, built on first use and opened once."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls(ensure_gazetteer())
            return cls._default

    def __len__(self) -> int:
        return self._size

    def _may_contain(self, key: str) -> bool:
        h = hash(key)
        i = bisect_left(self._hashes, h)
        return i < len(self._hashes) and self._hashes[i] == h

    def _query(self, key: str) -> list[Candidate]:
        with self._query_lock:
            rows = (
                self._connection()
                .execute(
                    f"SELECT n.flags, n.form, {_PLACE_COLUMNS} FROM names n JOIN places p USING (geonameid) "
                    "WHERE n.key = ? ORDER BY n.geonameid",
                    (key,),
                )
                .fetchall()
            )
        # Only codes keep their written form, the one kind of name whose case matters ("US" and "Us").
        return [_candidate(row[2:], row[0] & 7, row[1] if row[0] & CODE else None) for row in rows]

    def lookup_key(self, key: str) -> list[Candidate]:
        """Candidates for an already folded key (see :func:`newsgraph.geo.text.name_key`)."""
        if not self._may_contain(key):
            return []  # most names asked about; cheaper to answer again than to cache
        return self._cached(key)

    def lookup(self, name: str) -> list[Candidate]:
        """Every place ``name`` can refer to, by its folded key (case, accents, dots and "St." ignored).

        Callers decide what case differences mean: :attr:`Candidate.form` keeps the gazetteer's spelling.
        """
        return self.lookup_key(name_key(name))

    def contains(self, name: str) -> bool:
        """True when ``name`` folds to a key in the index."""
        key = name_key(name)
        return self._may_contain(key) and bool(self._cached(key))

    def clear_cache(self) -> None:
        """Forget the cached lookups (for timing cold lookups)."""
        self._cached.cache_clear()

    def get(self, geonameid: int) -> Candidate | None:
        """The place with this GeoNames id, or None."""
        with self._query_lock:
            row = (
                self._connection()
                .execute(f"SELECT {_PLACE_COLUMNS} FROM places p WHERE p.geonameid = ?", (geonameid,))
                .fetchone()
            )
        return None if row is None else _candidate(row, MAIN, None)

    def country(self, iso: str) -> Candidate | None:
        """The country with this ISO alpha-2 code, or None."""
        return self._country_rows.get(iso.upper())

    def admin1(self, country: str | None, code: str | None) -> Candidate | None:
        """The admin-1 region with this GeoNames code inside ``country``, or None."""
        if not country or not code:
            return None
        return self._admin1_rows.get((country, code))


def _candidate(row: tuple, flags: int, form: str | None) -> Candidate:
    """A Candidate from a places row (the columns of ``_PLACE_COLUMNS``)."""
    geonameid, name, feature, country, admin1, admin2, lat, lon, population = row
    return Candidate(
        geonameid=geonameid,
        name=name,
        feature=feature,
        country=country or None,
        admin1=admin1 or None,
        admin2=admin2 or None,
        lat=lat,
        lon=lon,
        population=population,
        flags=flags,
        form=form if form is not None else name,
    )
