"""Bulk import of initiatives from a spreadsheet: Hjulet's own columns or a Participedia export.

``import_prepare`` reads the file and checks every row without saving anything: the cells
are read against the reference data looked up once per file (dictionaries of
municipalities, terms and methods), then each row's fields get the model's own checks
(``services.initiative_problems``, the rules ``initiative_create`` applies, without a query
per row); the file and the result of the check are kept in an ``ImportBatch``.
``import_commit`` reads the file again against the reference data as it is then, and saves
every row with ``services.initiative_create_many`` in one transaction: every initiative
(with its partnership, tags, methods, audit entry and search index) is saved, or none. The
queries of both grow with the number of batches (1,000 rows), not of rows.
"""

from django.core.exceptions import ValidationError

from .cells import MAX_PARTICIPANTS, SUMMARY_LENGTH, Lookups, parse_date, shorten
from .checks import (
    MAX_LISTED_ROWS_WITH_ERRORS,
    PREVIEW_ROWS,
    Issue,
    Listing,
    RowCheck,
    issue_text,
    report_of,
)
from .columns import (
    COLUMNS,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNCOMPRESSED_BYTES,
    LANGUAGE_NAMES,
    Column,
    column_key,
    columns_help,
    import_template,
    max_bytes,
    max_rows,
    max_uncompressed_bytes,
)
from .commit import (
    ImportFailed,
    can_commit,
    can_commit_good_rows,
    check_committable,
    import_commit,
    mapping_missing,
)
from .layouts import Layout, layout_of
from .reading import (
    DEFAULT_CHUNK_ROWS,
    FILE_ERRORS,
    MAX_CELL_CHARACTERS,
    PROGRESS_EVERY,
    analyse,
    check_fields,
    check_model_rules,
    check_rows,
    chunk_rows,
    file_error_message,
    open_table,
    read_table,
    stored_content,
    table_chunks,
)
from .uploads import (
    import_prepare,
    import_prune,
    prepared_changes,
    read_upload,
    require_lead,
    store_check,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_CHUNK_ROWS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_UNCOMPRESSED_BYTES",
    "FILE_ERRORS",
    "LANGUAGE_NAMES",
    "MAX_CELL_CHARACTERS",
    "MAX_LISTED_ROWS_WITH_ERRORS",
    "MAX_PARTICIPANTS",
    "PREVIEW_ROWS",
    "PROGRESS_EVERY",
    "SUMMARY_LENGTH",
    "Column",
    "ImportFailed",
    "Issue",
    "Layout",
    "Listing",
    "Lookups",
    "RowCheck",
    "ValidationError",
    "analyse",
    "can_commit",
    "can_commit_good_rows",
    "check_committable",
    "check_fields",
    "check_model_rules",
    "check_rows",
    "chunk_rows",
    "column_key",
    "columns_help",
    "file_error_message",
    "import_commit",
    "import_prepare",
    "import_prune",
    "import_template",
    "issue_text",
    "layout_of",
    "mapping_missing",
    "max_bytes",
    "max_rows",
    "max_uncompressed_bytes",
    "open_table",
    "parse_date",
    "prepared_changes",
    "read_table",
    "read_upload",
    "report_of",
    "require_lead",
    "shorten",
    "store_check",
    "stored_content",
    "table_chunks",
]
