"""A survey's submitted answers as columns (``analysis.SurveyTable``), loaded fast and kept.

Building the columns from the stored answers (one JSON object per response) is what costs:
100,000 responses × 40 questions took 6 s and 879 MB when every answer became a Python dict
first. Here the table is

1. **streamed** from the database when it must be built: the answers are read 2,000 rows at
   a time as JSON text (``values_list`` with a cast, no model instances), parsed by orjson
   and written straight into preallocated NumPy arrays (``TableBuilder``); no chunk's dicts
   outlive the chunk;
2. **stored** once built, as one compressed row (``SurveyTableSnapshot``: every array of
   every column, ``encode``/``decode``), so another process or a restart reads one row
   instead of every response;
3. **kept warm** in the process (``_warm``, bounded by ``SURVEY_TABLE_CACHE_MB``).

Each read checks the database cheaply (the snapshot's generation, the count of submitted
responses: index-only) and appends what was submitted since (a few rows, read and parsed
alone), so a new response shows at once without a reload. The count is the safety net:
when the submitted responses are not exactly the table's plus the new ones (a response
deleted behind the services' back, a stale snapshot) the table is rebuilt. An erasure
(``services.response_erase``) calls ``remove``, which takes the response out of the stored
and the warm table in its transaction, so erased answers live on in no stored copy; a
service that changes stored answers in place would call ``forget`` (the snapshot is deleted
and rebuilt on the next read).

Per-response fields besides the answers are read in ``_ROW_FIELDS`` and handed to
``TableBuilder.add``: ``Response.not_asked`` becomes each column's ``asked`` mask (through
``analysis.asked_masks``, a chunk at a time). ``encode``/``decode``, ``concatenate`` and
``Column.take`` handle every array field of ``Column`` by name.

One module per part: ``building`` (``TableBuilder``, ``add_rows``), ``stored`` (``concatenate``,
``encode``/``decode``), ``warm`` (the tables kept in the process) and ``loading`` (``build``,
``load``, ``forget``, ``remove``); every name is importable from here.
"""

from .building import Spec, TableBuilder, add_rows
from .loading import CHUNK, FORMAT, MARGIN, build, forget, load, remove, spec_key
from .stored import MAGIC, concatenate, decode, encode
from .warm import _warm

__all__ = [
    "CHUNK",
    "FORMAT",
    "MAGIC",
    "MARGIN",
    "Spec",
    "TableBuilder",
    "_warm",
    "add_rows",
    "build",
    "concatenate",
    "decode",
    "encode",
    "forget",
    "load",
    "remove",
    "spec_key",
]
