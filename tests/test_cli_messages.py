"""Messages in ordinary use are written for the user, never "unexpected … please report it" (issue 15).

The cases of pipes, full disks and terminal bytes run the real command in a subprocess, since they only
behave truly in a real process; the others run in process. The store is written by
tests/store_killer.py (no spaCy model needed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from newsgraph.cli import main

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.issue(15)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("messages") / "news.db"
    subprocess.run(
        [sys.executable, str(REPO / "tests" / "store_killer.py"), str(db), "120", "40"],
        env=_env(),
        check=True,
        capture_output=True,
    )
    return db


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "NEWSGRAPH_DEBUG": ""}


def newsgraph(*args: str | bytes, **options: object) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run([sys.executable, "-m", "newsgraph", *args], env=_env(), timeout=120, **streams)


def cli(*args: str) -> SimpleNamespace:
    """The command run in this process (quicker), with the same fields as a finished subprocess."""
    result = CliRunner().invoke(main, list(args))
    return SimpleNamespace(
        returncode=result.exit_code, stdout=result.stdout.encode(), stderr=result.stderr.encode()
    )


def test_output_into_a_closed_pipe_ends_quietly(store: Path) -> None:
    # `newsgraph export | head -1`: the reader goes away after one line
    command = f"{sys.executable} -m newsgraph export --db {store}"
    shell = f"{command} | head -c 100 > /dev/null; echo ${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", shell], env=_env(), capture_output=True, timeout=120)
    assert result.stderr == b""  # was "Error: unexpected BrokenPipeError … please report it"
    assert result.stdout.strip() == b"1"


def test_an_output_file_in_a_missing_folder_is_named(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing_dir" / "x.jsonl"
    result = cli("export", "--db", str(store), "-o", str(target))
    assert result.returncode == 1
    assert (
        result.stderr.decode()
        == f"Error: {target}: the folder {target.parent} does not exist; create it first\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_named(store: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = newsgraph("export", "--db", str(store), stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 1
    assert (
        result.stderr.decode() == "Error: cannot write to the standard output: no space left on the device\n"
    )
    result = cli("export", "--db", str(store), "-o", "/dev/full")
    assert result.stderr.decode() == "Error: /dev/full: no space left on the device\n"


def test_a_filter_with_a_byte_that_is_not_utf8_is_named(store: Path) -> None:
    # what Python makes of the byte 0xff in a command-line argument
    result = cli("quotes", "--db", str(store), "--speaker", b"Ribeiro\xff".decode("utf-8", "surrogateescape"))
    assert result.returncode == 2
    message = result.stderr.decode()
    assert "Invalid value for '--speaker'" in message or "Invalid value for --speaker" in message
    assert "'Ribeiro\\xff' is not valid UTF-8 text" in message
    assert "unexpected" not in message


def test_search_snippets_keep_the_matched_word(store: Path) -> None:
    result = cli("search", "minister", "--db", str(store), "--limit", "3")
    assert result.returncode == 0, result.stderr
    # the matched word sat between "[" and "]", which the table read as markup and dropped
    assert "the minister Ana Ribeiro" in result.stdout.decode()


def test_an_impossible_date_is_refused_naming_the_option(store: Path) -> None:
    result = cli("quotes", "--db", str(store), "--since", "2024-02-30")
    assert result.returncode == 1
    assert result.stderr.decode() == (
        "Error: --since must be an ISO date such as 2024, 2024-03 or 2024-03-14, not '2024-02-30'\n"
    )


def test_an_fts_syntax_error_is_named_with_the_syntax(store: Path) -> None:
    # it used to become a phrase search that found nothing, silently
    result = cli("quotes", "--db", str(store), "--search", "said NEAR(")
    message = result.stderr.decode()
    assert result.returncode == 1 and message.startswith("Error: --search: FTS5 cannot parse the search")
    assert 'FTS5 syntax: plain words, "a phrase", AND / OR / NOT, prefix*' in message
    result = cli("search", "minister AND (", "--db", str(store))
    assert (
        result.returncode == 1 and "FTS5 cannot parse the search 'minister AND ('" in result.stderr.decode()
    )


def test_listings_cut_at_the_limit_say_how_many_more_and_how_to_see_them(store: Path) -> None:
    result = cli("quotes", "--db", str(store), "--limit", "50")  # 120 articles, 3 attributions each
    assert "50 of 360 attributions" in result.stdout.decode()
    assert result.stderr.decode() == (
        "50 of 360 attributions shown, 310 more; pass --limit 360 to see them all "
        "(or --format jsonl to save them)\n"
    )
    result = cli("entities", "--db", str(store), "--limit", "5")
    assert result.stderr.decode() == "5 of 240 entities shown, 235 more; pass --limit 240 to see them all\n"
    result = cli("quotes", "--db", str(store), "--limit", "360")
    assert result.stderr == b"" and "360 attributions" in result.stdout.decode()


def test_the_max_bytes_that_errors_mention_exists_on_the_commands_that_read(tmp_path: Path) -> None:
    from newsgraph.cli.common import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES
    from newsgraph.sources import DEFAULT_MAX_BYTES as LIBRARY_MAX_BYTES
    from newsgraph.sources.fetch import DEFAULT_DEADLINE as LIBRARY_DEADLINE

    assert (DEFAULT_MAX_BYTES, DEFAULT_DEADLINE) == (LIBRARY_MAX_BYTES, LIBRARY_DEADLINE)
    for command in ("ingest", "analyze", "watch"):
        shown = cli(command, "--help").stdout.decode()
        assert "--max-bytes" in shown and "--deadline" in shown, command
    big = tmp_path / "big.txt"
    big.write_text("The minister said the talks would resume. " * 10)
    result = cli("analyze", str(big), "--max-bytes", "100")
    assert result.returncode == 1
    assert "is 420 bytes, over the 100 bytes limit (raise --max-bytes)" in result.stderr.decode()


@pytest.fixture
def read_only_copy(store: Path, tmp_path: Path):
    """The store copied into a folder that cannot be written: chmod for a user, a read-only tmpfs for root."""
    place = tmp_path / "read-only"
    place.mkdir()
    if os.geteuid() != 0:
        shutil.copy2(store, place / "news.db")
        place.chmod(0o555)
        yield place / "news.db"
        place.chmod(0o755)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(place)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("running as root, and cannot mount a read-only file system here")
    try:
        shutil.copy2(store, place / "news.db")
        subprocess.run(["mount", "-o", "remount,ro", str(place)], check=True)
        yield place / "news.db"
    finally:
        subprocess.run(["umount", str(place)], check=False)


def test_a_store_in_a_read_only_place_is_opened_read_only(read_only_copy: Path) -> None:
    # it used to fail with "unable to open database file", suggesting the file was damaged
    result = cli("quotes", "--db", str(read_only_copy), "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert "2 of 360 attributions" in result.stdout.decode()
    assert cli("search", "minister", "--db", str(read_only_copy), "--limit", "1").returncode == 0
    from newsgraph.errors import StoreError
    from newsgraph.store import Store

    with pytest.raises(StoreError, match=r"read-only place .* ingest needs a writable copy"):
        Store(read_only_copy)


def test_text_that_is_not_utf8_but_cp1252_is_read_and_said_so(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("The minister said the caf\u00e9 would stay open \u2013 for now.\n".encode("cp1252"))
    result = cli("analyze", str(latin))
    assert result.returncode == 0, result.stderr
    # it used to be decoded as cp1252 silently, although invalid UTF-8 is said to be reported
    assert f"note: {latin}: not valid UTF-8; read as cp1252" in result.stderr.decode()
    assert "caf\u00e9" in result.stdout.decode()
