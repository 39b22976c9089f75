"""Save N small synthetic records to a store, printing a line after every committed batch.

tests/test_store.py runs this as a subprocess and kills it with SIGKILL part-way through, to check that
every batch reported as committed survives and that a rerun completes the set without duplicates.

Usage: python tests/store_killer.py DB N [BATCH_SIZE]
"""

from __future__ import annotations

import sys

from newsgraph.schema import Article, Attribution, Entity, Record, Via
from newsgraph.store import SaveResult, Store


def killer_record(i: int) -> Record:
    """Return record number ``i``: distinct text, two entities, three attributions."""
    text = (
        f"Killer report {i}: the minister Ana Ribeiro{i} said talks would resume on day {i}. "
        f'"We are ready," spokesman Kenji Ota{i} said, according to Kyodo News. '
        f"Officials said number {i} was final."
    )

    def span(part: str) -> tuple[int, int]:
        start = text.index(part)
        return (start, start + len(part))

    ribeiro, ota = f"Ana Ribeiro{i}", f"Kenji Ota{i}"
    return Record(
        article=Article(
            text=text, id=f"k{i:06d}", url=f"https://example.test/killer/{i}", published="2024-03-14"
        ),
        entities=[
            Entity("e1", ribeiro, "PERSON", mentions=[span(ribeiro)], role="minister"),
            Entity("e2", ota, "PERSON", mentions=[span(ota)], role="spokesman"),
        ],
        attributions=[
            Attribution(
                span(f"talks would resume on day {i}"), "indirect", span(ribeiro), span("said"), "e1", ribeiro
            ),
            Attribution(
                span("We are ready,"),
                "direct",
                span(ota),
                span(f"{ota} said"),
                "e2",
                ota,
                via=[Via("Kyodo News", span("Kyodo News"))],
            ),
            Attribution(
                span(f"number {i} was final"), "indirect", span("Officials"), None, None, "Officials"
            ),
        ],
    )


def main(argv: list[str]) -> int:
    db, count = argv[1], int(argv[2])
    batch_size = int(argv[3]) if len(argv) > 3 else 5

    def report(result: SaveResult) -> None:
        print(f"committed {result.seen}", flush=True)

    with Store(db) as store:
        result = store.save((killer_record(i) for i in range(count)), batch_size=batch_size, on_commit=report)
    print(f"done added={result.added} skipped={result.skipped}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
