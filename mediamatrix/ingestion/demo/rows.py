"""Writing many generated rows quickly: plain tuples, in batches of up to 2,000 rows.

`bulk_create` prepares every value through the field machinery, which costs about ten times
the SQL itself for the demo's hundreds of thousands of posts and snapshots. The generated rows
are valid by construction, so they are written as tuples: with COPY on PostgreSQL, with
multi-row INSERTs elsewhere. Datetimes go through the backend's own adapter (as the ORM does),
and a field the generator does not set gets its default.
"""

from collections.abc import Mapping
from typing import Any

from django.db import connection, models

BATCH_SIZE = 2000


class Table:
    """Buffered inserts into one model's table, inside the caller's transaction."""

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields if f.column)
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
        self.marks = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        limit = connection.features.max_query_params
        self.per_statement = min(BATCH_SIZE, limit // len(self.fields)) if limit else BATCH_SIZE
        self.dates = {i for i, f in enumerate(self.fields) if isinstance(f, models.DateTimeField)}
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, values: Mapping[str, Any]) -> None:
        """One row; `values` by attribute name (`account_id`, not `account`)."""
        adapt = connection.ops.adapt_datetimefield_value
        row = []
        for i, f in enumerate(self.fields):
            value = values[f.attname] if f.attname in values else f.get_default()
            row.append(adapt(value) if i in self.dates and value is not None else value)
        self.rows.append(tuple(row))

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: PostgreSQL's bulk load, several times faster than any INSERT.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                for start in range(0, len(self.rows), self.per_statement):
                    rows = self.rows[start : start + self.per_statement]
                    sql = self.sql + ", ".join([self.marks] * len(rows))
                    cursor.execute(sql, [value for row in rows for value in row])
        self.written += len(self.rows)
        self.rows = []
