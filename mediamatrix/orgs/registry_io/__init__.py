"""Bulk import and export of the registry (units, accounts, grid groups) as Excel or CSV.

See docs/registry-import.md for the file format. Public interface:

- `registry_import(...)` → `ImportResult` with `RowError`s; `ImportFileError` for unreadable files
- `registry_export(...)`, `csv_stream(...)`, `export_queryset(...)`, `registry_template(...)`
"""

from mediamatrix.orgs.registry_io.columns import KINDS, SPECS, Column, Kind, KindSpec, kind_spec
from mediamatrix.orgs.registry_io.exporter import (
    FORMATS,
    csv_stream,
    export_filename,
    export_queryset,
    registry_export,
    registry_template,
    template_filename,
)
from mediamatrix.orgs.registry_io.importer import ImportMode, ImportResult, registry_import
from mediamatrix.orgs.registry_io.readers import ImportFileError
from mediamatrix.orgs.registry_io.references import UnitNotFound, UnitResolver
from mediamatrix.orgs.registry_io.rows import RowError

__all__ = [
    "FORMATS",
    "KINDS",
    "SPECS",
    "Column",
    "ImportFileError",
    "ImportMode",
    "ImportResult",
    "Kind",
    "KindSpec",
    "RowError",
    "UnitNotFound",
    "UnitResolver",
    "csv_stream",
    "export_filename",
    "export_queryset",
    "kind_spec",
    "registry_export",
    "registry_import",
    "registry_template",
    "template_filename",
]
