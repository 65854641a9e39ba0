"""Open data of closed polls (SPEC §5.1–5.3): the seal, CSV/XLSX streams, pages and receipt checks.

Once a published poll has closed, its array of counted ballots is sealed: the poll row is locked,
the hash chain of :mod:`ag_app.domain.opendata` is computed over every ballot in receipt order and
stored as a :class:`~ag_app.models.PollSeal` (rows, final hash, totals) with a checkpoint every
:data:`CHECKPOINT_EVERY` rows, and ``Poll.sealed_at`` is set. The ballot path refuses ballots of a
sealed poll, so the sealed ballots never change afterwards: streams read them chunk by chunk in
short read-only transactions (no transaction stays open for the whole download) and still produce
exactly the sealed chain. Pages and receipt lookups rebuild rows from the nearest checkpoint, so
their cost does not grow with the number of ballots.

One module per job — rows (limits, DTOs, reading ballots as rows), seal, pages (pages and receipts),
files (CSV/XLSX streams, checking a downloaded file); this package names what other contexts call.
"""

from ag_app.services.opendata.files import csv_chunks, open_data_rows, verify_file, xlsx_chunks
from ag_app.services.opendata.pages import find_receipt, my_row, open_data_page
from ag_app.services.opendata.rows import (
    CHECKPOINT_EVERY,
    CHUNK,
    PAGE_SIZE,
    PAGE_SIZE_MAX,
    PUBLISHED_STATES,
    Connect,
    OpenDataPage,
    OpenDataRow,
    SealView,
)
from ag_app.services.opendata.seal import get_seal, seal_closed_polls, seal_poll

__all__ = [
    "CHECKPOINT_EVERY",
    "CHUNK",
    "Connect",
    "OpenDataPage",
    "OpenDataRow",
    "PAGE_SIZE",
    "PAGE_SIZE_MAX",
    "PUBLISHED_STATES",
    "SealView",
    "csv_chunks",
    "find_receipt",
    "get_seal",
    "my_row",
    "open_data_page",
    "open_data_rows",
    "seal_closed_polls",
    "seal_poll",
    "verify_file",
    "xlsx_chunks",
]
