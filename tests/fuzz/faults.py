"""The fault campaign: kill `ingest` and `watch` at random points, then check the store and resume.

Each trial runs the real command in a subprocess on a fresh store and stops it one of three ways:

- ``SIGKILL`` at a random moment (while the model loads, while articles are analysed, mid-commit);
- ``SIGTERM`` at a random moment: the command must finish its current transaction and exit 0;
- a full disk: the store lives on a small tmpfs (or, where mounting is not allowed, under an
  ``RLIMIT_FSIZE`` file-size limit) sized at random, so a write fails part-way through.

Trials come in chains of five on one store, each run picking up where the last was stopped. After each
it checks ``PRAGMA integrity_check``, that every article stored is whole (as many attributions as a
clean run gives it), that every process the command started has ended (no orphans), and that the
error, if any, is a named line rather than "unexpected". After each chain it runs the command again
to completion and checks the store holds exactly the articles and attributions of a clean run: none
lost, none twice.

Usage:
    python tests/fuzz/faults.py [--points 50] [--seed N] [--keep DIR]

It prints one line per trial and the figures at the end; the exit code is 1 if any check failed.
``make faults`` runs 50 points; tests/fuzz/test_faults.py runs three.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))  # tests/, for local_server

from local_server import LocalServer, Reply  # noqa: E402

NAMES = ["Ana Ribeiro", "Kenji Ota", "Mara Lenz", "Tomas Varga", "Lena Holm", "Ivo Marek", "Sara Quist"]
PLACES = ["Valmora", "Ostrava", "Lisbon", "Tokyo", "Riga", "Porto", "Gdansk"]


def story(i: int) -> str:
    """Article number ``i``: distinct text with a quote or two, long enough to take a moment."""
    who, other = NAMES[i % len(NAMES)], NAMES[(i * 3 + 1) % len(NAMES)]
    where = PLACES[i % len(PLACES)]
    return (
        f"{where} port talks, report {i}. Dock workers in {where} walked out on Monday, the union said. "
        f'"We will stay out until the talks resume," union leader {who} told reporters on day {i}. '
        f"The harbour authority said on Tuesday that ferries would keep running. "
        f"{other}, a spokesman for the ministry, said the government hoped to settle within {i + 2} days. "
        f"Officials are thought to have met in {where} late last week, according to Reuters.\n"
    )


@dataclass
class Trial:
    number: int
    command: str
    fault: str
    processes: int
    delay: float
    returncode: int | None = None
    integrity: str = "-"
    orphans: int = 0
    articles: int = 0
    attributions: int = 0
    message: str = ""
    problems: list[str] = field(default_factory=list)


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "NEWSGRAPH_DEBUG": ""}


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def per_article(db: Path) -> dict[str, int]:
    """Attributions stored per article key."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        query = (
            "SELECT ar.key, (SELECT count(*) FROM attributions a WHERE a.article_key = ar.key) "
            "FROM articles ar"
        )
        return dict(conn.execute(query).fetchall())


def counts(db: Path) -> tuple[str, int, int]:
    """integrity_check's answer, and the number of articles and attributions stored."""
    if not db.exists():
        return "no store", 0, 0
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        integrity = ", ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "articles" not in tables:
            return integrity, 0, 0
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        attributions = conn.execute("SELECT count(*) FROM attributions").fetchone()[0]
    return integrity, articles, attributions


class Campaign:
    def __init__(self, root: Path, articles: int, server: LocalServer) -> None:
        self.root = root
        self.corpus = root / "corpus"
        self.corpus.mkdir()
        for i in range(articles):
            (self.corpus / f"report-{i:03d}.txt").write_text(story(i), encoding="utf-8")
        entries = "".join(
            f"<entry><title>Report {i}</title><id>urn:report:{i}</id>"
            f"<link href='https://news.example/report/{i}'/><updated>2024-03-14T09:00:00Z</updated>"
            # three stories' worth: a feed entry is taken as the full text from 150 words on
            f"<content type='text'>{story(i)} {story(i + 1000)} {story(i + 2000)}</content></entry>"
            for i in range(articles)
        )
        feed = (
            f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>{entries}</feed>"
        )
        server.route("/feed.xml", Reply(body=feed.encode(), headers={"Content-Type": "application/atom+xml"}))
        self.feed = server.url("/feed.xml")
        self.expected: dict[str, tuple[int, int]] = {}
        self.articles: dict[str, dict[str, int]] = {}
        self.took: dict[str, float] = {}
        self.mountable = _can_mount(root)

    def argv(self, command: str, db: Path, processes: int = 1) -> list[str]:
        base = [sys.executable, "-m", "newsgraph"]
        if command == "ingest":
            return [
                *base,
                "ingest",
                str(self.corpus),
                "--db",
                str(db),
                "-j",
                str(processes),
                "--batch-size",
                "4",
            ]
        return [*base, "watch", self.feed, "--once", "--allow-private", "--db", str(db)]

    def reference(self) -> None:
        for command in ("ingest", "watch"):
            db = self.root / f"reference-{command}.db"
            started = time.monotonic()
            subprocess.run(self.argv(command, db), env=env(), check=True, capture_output=True)
            self.took[command] = time.monotonic() - started
            integrity, articles, attributions = counts(db)
            assert integrity == "ok" and articles > 0, (command, integrity, articles)
            self.expected[command] = (articles, attributions)
            self.articles[command] = per_article(db)

    def run(self, trial: Trial, db: Path) -> Trial:
        """Run the command on ``db`` (a store a chain of trials shares) and stop it by the trial's fault;
        then check the store: integrity, and every article stored whole (as many attributions as a clean
        run gives it), none that a clean run does not store."""
        if trial.fault == "disk full":
            self._disk_full(trial, db.parent / f"small-{trial.number:03d}", db)
        else:
            self._signal(trial, db)
        trial.integrity, trial.articles, trial.attributions = counts(db)
        if trial.integrity not in ("ok", "no store"):
            trial.problems.append(f"integrity_check: {trial.integrity}")
        elif trial.articles:
            wanted = self.articles[trial.command]
            for key, found in per_article(db).items():
                if wanted.get(key) != found:
                    trial.problems.append(
                        f"article {key[:12]} stored with {found} attributions, not {wanted.get(key)}"
                    )
        return trial

    def resume(self, command: str, db: Path) -> tuple[int, int, list[str]]:
        """Run the command to its end on ``db``; the store must then hold exactly what a clean run stores."""
        problems: list[str] = []
        done = subprocess.run(self.argv(command, db), env=env(), capture_output=True, timeout=900)
        integrity, articles, attributions = counts(db)
        if done.returncode != 0:
            problems.append(f"resume exited {done.returncode}: {done.stderr.decode()[-300:]}")
        if integrity != "ok":
            problems.append(f"integrity_check after resuming: {integrity}")
        if (articles, attributions) != self.expected[command] or per_article(db) != self.articles[command]:
            want = self.expected[command]
            problems.append(
                f"after resuming {articles} articles, {attributions} attributions; "
                f"a clean run stores {want[0]} and {want[1]}"
            )
        return articles, attributions, problems

    def _signal(self, trial: Trial, db: Path) -> None:
        how = signal.SIGKILL if trial.fault == "SIGKILL" else signal.SIGTERM
        errors = db.parent / "stderr.txt"
        with errors.open("wb") as sink:
            process = subprocess.Popen(
                self.argv(trial.command, db, trial.processes),
                env=env(),
                stdout=subprocess.DEVNULL,
                stderr=sink,
            )
        started = time.monotonic()
        seen: set[int] = set()
        while time.monotonic() - started < trial.delay and process.poll() is None:
            seen |= children(process.pid)
            time.sleep(0.02)
        seen |= children(process.pid)
        if process.poll() is None:
            process.send_signal(how)
        try:
            trial.returncode = process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            trial.problems.append(f"still running 120 s after {trial.fault}")
            process.kill()
            trial.returncode = process.wait()
        deadline = time.monotonic() + 5
        while any(alive(p) for p in seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [p for p in seen if alive(p)]
        trial.orphans = len(left)
        for pid in left:
            trial.problems.append(f"orphaned process {pid}")
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        text = errors.read_text(errors="replace")
        trial.message = text.strip().splitlines()[-1][:120] if text.strip() else ""
        if "unexpected" in text or "Traceback" in text:
            trial.problems.append(f"crash-style message: {trial.message}")
        if how == signal.SIGTERM and trial.returncode not in (0, 1):
            # 0: stopped cleanly with a summary; 1: it had finished and reported a failed input.
            # Killed by the signal without saying "stopping after…": it came before the command set its
            # handler (Python still starting, importing) or after it put it back (exiting). Counted
            # apart; the store is checked all the same.
            if trial.returncode == -signal.SIGTERM and "stopping after" not in text:
                trial.fault = "SIGTERM (while starting)"
            else:
                trial.problems.append(f"SIGTERM: exit code {trial.returncode}, not 0")

    def _disk_full(self, trial: Trial, place: Path, db: Path) -> None:
        """Run on a copy of the store in a small file system (or under a file-size limit) that fills up
        part-way, then bring what is left back to the chain's store."""
        reference = self.root / f"reference-{trial.command}.db"
        names = [db.name + suffix for suffix in ("", "-wal", "-shm")]
        used = sum((db.parent / n).stat().st_size for n in names if (db.parent / n).exists())
        limit = used + random.randint(24 * 1024, max(48 * 1024, int(reference.stat().st_size * 0.9)))
        place.mkdir()
        mounted = self.mountable and _mount(place, limit)
        for name in names:
            if (db.parent / name).exists():
                shutil.copy2(db.parent / name, place / name)
        argv = self.argv(trial.command, place / db.name)
        preexec = None if mounted else _file_size_limit(limit)
        process = subprocess.run(argv, env=env(), capture_output=True, timeout=900, preexec_fn=preexec)
        trial.returncode = process.returncode
        text = process.stderr.decode(errors="replace")
        trial.message = text.strip().splitlines()[-1][:120] if text.strip() else ""
        trial.fault = f"disk full ({'tmpfs' if mounted else 'RLIMIT_FSIZE'} {limit // 1024} kB)"
        if "unexpected" in text or "Traceback" in text:
            trial.problems.append(f"crash-style message: {trial.message}")
        for name in names:
            (db.parent / name).unlink(missing_ok=True)
            if (place / name).exists():
                shutil.copy2(place / name, db.parent / name)
        if mounted:
            subprocess.run(["umount", str(place)], check=False)


def _can_mount(root: Path) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = root / "probe"
    probe.mkdir()
    ok = _mount(probe, 1024 * 1024)
    if ok:
        subprocess.run(["umount", str(probe)], check=False)
    return ok


def _mount(place: Path, size: int) -> bool:
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(place)], capture_output=True, check=False
    )
    return result.returncode == 0


def _file_size_limit(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=50, help="trials (kill points)")
    parser.add_argument("--articles", type=int, default=12, help="articles in the corpus and the feed")
    parser.add_argument("--chain", type=int, default=5, help="kill points on one store before it is resumed")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="keep the stores here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    random.seed(seed)
    root = args.keep or Path(tempfile.mkdtemp(prefix="newsgraph-faults-"))
    root.mkdir(parents=True, exist_ok=True)
    trials: list[Trial] = []
    with LocalServer() as server:
        campaign = Campaign(root, args.articles, server)
        campaign.reference()
        took = f"ingest {campaign.took['ingest']:.1f} s, watch {campaign.took['watch']:.1f} s"
        disk = "tmpfs" if campaign.mountable else "RLIMIT_FSIZE"
        print(f"seed {seed}; clean runs: {took}; full disk by {disk}", flush=True)
        resumes: list[tuple[str, int, int, list[str]]] = []
        for number in range(args.points):
            chain, place = divmod(number, args.chain)
            command = "ingest" if chain % 2 == 0 else "watch"
            folder = root / f"chain-{chain:03d}"
            folder.mkdir(exist_ok=True)
            db = folder / "news.db"
            fault = random.choice(["SIGKILL", "SIGKILL", "SIGTERM", "disk full"])
            processes = random.choice([1, 2]) if command == "ingest" else 1
            delay = random.uniform(0.3, campaign.took[command] * 1.1)
            trial = campaign.run(Trial(number, command, fault, processes, delay), db)
            trials.append(trial)
            verdict = "ok" if not trial.problems else "FAIL: " + "; ".join(trial.problems)
            print(
                f"{number:3d} {command:6} -j{processes} {trial.fault:<28} at {delay:5.1f} s  "
                f"exit {trial.returncode!s:>4}  integrity {trial.integrity:<8} "
                f"holds {trial.articles}/{trial.attributions}  {verdict}"
                + (f"  [{trial.message[:70]}]" if trial.message and trial.fault != "SIGKILL" else ""),
                flush=True,
            )
            if place == args.chain - 1 or number == args.points - 1:
                articles, attributions, problems = campaign.resume(command, db)
                resumes.append((command, articles, attributions, problems))
                verdict = "ok" if not problems else "FAIL: " + "; ".join(problems)
                print(
                    f"    resumed {command} chain {chain}: {articles}/{attributions}  {verdict}", flush=True
                )
    failures = [t for t in trials if t.problems] + [r for r in resumes if r[3]]
    faults = Counter(t.fault.split(" (")[0] for t in trials)
    figures = {
        "seed": seed,
        "kill_points": len(trials),
        "by_command": dict(Counter(t.command for t in trials)),
        "by_fault": dict(faults),
        "integrity_failures": sum(t.integrity not in ("ok", "no store") for t in trials),
        "articles_stored_in_part_after_a_kill": sum(
            any("stored with" in p for p in t.problems) for t in trials
        ),
        "resumes": len(resumes),
        "lost_or_duplicated_after_resume": sum(bool(r[3]) for r in resumes),
        "orphaned_processes": sum(t.orphans for t in trials),
        "sigterm_clean_exits": sum(t.fault == "SIGTERM" and t.returncode in (0, 1) for t in trials),
        "sigterm_while_starting": sum(t.fault == "SIGTERM (while starting)" for t in trials),
        "sigterm_not_clean": sum(t.fault == "SIGTERM" and t.returncode not in (0, 1) for t in trials),
        "crash_style_messages": sum(any("crash-style" in p for p in t.problems) for t in trials),
        "failed_trials": len(failures),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
