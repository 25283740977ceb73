"""Keeping the search's trigram index current (storage/search_index.py), in the background.

A bulk import leaves its cards out of the index (indexing them would cost the import as much
again), and an edited card waits in a list: both are searched the slow way, as every card used
to be, so a search is never wrong, only slower. Once enough cards wait, a search starts a
collection worker that indexes them a chunk per transaction, so an answer or an edit made
meanwhile waits for one chunk at most; `close()` waits for the worker, which stops after a
few chunks (the next search starts it again).
"""

from __future__ import annotations

from peewee import DatabaseError

from flashcards.services.collection import Collection
from flashcards.storage import search_index
from flashcards.storage.binding import bound, runs_on_collection

WORKER = "search-index"
REFRESH_AT = 1000
"""Cards waiting to be indexed from which a search starts the worker: fewer cost a search
about a millisecond, less than starting a thread."""
CHUNK = 2000
"""Cards a transaction indexes: some 20-30 ms of the write lock."""
CHUNKS_A_RUN = 10
"""Chunks one run of the worker indexes before it ends (~0.3 s of work): closing the
collection waits for the worker, so it never has the whole of a big import left to do; the
next search starts it again while enough cards wait."""


@runs_on_collection
def keep_index_current(col: Collection) -> bool:
    """Start indexing the waiting cards in the background if enough wait; whether it started."""
    if col.path is None or col.worker_running(WORKER):
        return False
    if search_index.behind(col.db, REFRESH_AT) < REFRESH_AT:
        return False

    def work() -> None:
        with bound(col.db):  # this thread's own connection, closed before it ends
            try:
                for _ in range(CHUNKS_A_RUN):
                    if not search_index.refresh(col.db, most=CHUNK):
                        break
            except DatabaseError:
                pass  # busy or damaged: those cards stay read the slow way; a later search retries
            finally:
                col.db.close()

    return col.start_worker(WORKER, work)
