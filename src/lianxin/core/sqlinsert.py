"""INSERT … SELECT text for one unsaved model instance, to chain dependent rows in one PostgreSQL statement.

On PostgreSQL a statement's round trip costs more than the insert itself, so a hot path that writes several
rows depending on each other's keys can write them as data-modifying CTEs in a single statement. The columns and
their values come from the model (``pre_save`` and ``get_db_prep_save``, as ``Model.save`` does), so a field
added later is written without touching the SQL. ``pre_save`` receivers run as in ``Model.save``; ``save()``
overrides and ``post_save`` receivers would be bypassed, and ``has_save_hooks`` tells the caller so."""

from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_save, pre_save


def has_save_hooks(*models) -> bool:
    """Whether a row of these models needs ``Model.save``: its own ``save()`` or a ``post_save`` receiver."""
    return any(m.save is not Model.save or post_save.has_listeners(m) for m in models)


def insert_select(obj, *, exprs: dict[str, str | tuple[str, list]] | None = None, source: str = "",
                  returning: tuple[str, ...] = ()) -> tuple[str, list]:
    """``INSERT INTO table (columns) SELECT values [FROM source] [RETURNING …]`` and its parameters.

    ``exprs``: SQL expressions over ``source`` (an earlier CTE) for some columns, such as ``{"case_id": "c.id"}``,
    or (expression, its parameters); every other column takes the instance's value as a parameter. The auto
    primary key is left to the database."""
    exprs = exprs or {}
    meta = obj._meta
    pre_save.send(sender=type(obj), instance=obj, raw=False, using=connection.alias, update_fields=None)
    qn = connection.ops.quote_name
    columns, values, params = [], [], []
    for field in meta.concrete_fields:
        if field.generated or (field is meta.auto_field and obj.pk is None):
            continue
        columns.append(qn(field.column))
        if field.column in exprs:
            expr = exprs[field.column]
            expr, expr_params = (expr, []) if isinstance(expr, str) else expr
            values.append(expr)
            params.extend(expr_params)
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    sql = f"INSERT INTO {qn(meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(values)}"  # noqa: S608
    if source:
        sql += f" FROM {source}"
    if returning:
        sql += " RETURNING " + ", ".join(qn(c) for c in returning)
    return sql, params
