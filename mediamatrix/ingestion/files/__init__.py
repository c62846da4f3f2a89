"""Posts and metrics from Excel/CSV files: layouts, a streaming reader, row mapping, template.

The service that imports a file is `mediamatrix.ingestion.services.files.posts_import_file`;
this package holds the parts it is made of. See docs/ingestion/files.md.
"""

from mediamatrix.ingestion.files.layouts import LAYOUTS, TEMPLATE, WECHAT_EXPORT, Column, Layout
from mediamatrix.ingestion.files.reader import FileProblem, RawRow, Table, open_table
from mediamatrix.ingestion.files.rows import AccountResolver, MappedRow, RowMapper
from mediamatrix.ingestion.files.template import (
    CONTENT_TYPES,
    FORMATS,
    posts_template,
    template_filename,
)

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "LAYOUTS",
    "TEMPLATE",
    "WECHAT_EXPORT",
    "AccountResolver",
    "Column",
    "FileProblem",
    "Layout",
    "MappedRow",
    "RawRow",
    "RowMapper",
    "Table",
    "open_table",
    "posts_template",
    "template_filename",
]
