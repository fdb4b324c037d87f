"""INSERT … SELECT text for one unsaved model instance, to chain dependent rows in one PostgreSQL statement.

On PostgreSQL a statement's round trip costs more than the insert itself, so a hot path that writes several
rows depending on each other's keys can write them as data-modifying CTEs in a single statement. The columns and
their values come from the model (``pre_save`` and ``get_db_prep_save``, as ``Model.save`` does), so a field
added later is written without touching the SQL. ``pre_save`` receivers run as in ``Model.save``; ``save()``
overrides, ``post_save`` receivers and database defaults would be bypassed, and ``has_save_hooks`` tells the
caller so. The default database only (the project has one)."""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import NOT_PROVIDED, Model
from django.db.models.signals import post_save, pre_save


def has_save_hooks(*models) -> bool:
    """Whether a row of these models needs ``Model.save``: its own ``save()``, a ``post_save`` receiver or a
    field with a database default."""
    return any(_saves_its_own_way(m) or post_save.has_listeners(m) for m in models)


@cache
def _saves_its_own_way(model) -> bool:
    return model.save is not Model.save or any(f.db_default is not NOT_PROVIDED for f in model._meta.concrete_fields)


def insert_select(obj, *, exprs: dict[str, str | tuple[str, list]] | None = None, source: str = "",
                  returning: tuple[str, ...] = ()) -> tuple[str, list]:
    """``INSERT INTO table (columns) SELECT values [FROM source] [RETURNING …]`` and its parameters.

    ``exprs``: SQL expressions over ``source`` (an earlier CTE) for some columns, such as ``{"case_id": "c.id"}``,
    or (expression, its parameters); every other column takes the instance's value as a parameter. The auto
    primary key is left to the database."""
    conn = connections[DEFAULT_DB_ALIAS]  # once: every attribute read through the connection proxy costs
    pre_save.send(sender=type(obj), instance=obj, raw=False, using=conn.alias, update_fields=None)
    exprs = {column: (e, []) if isinstance(e, str) else e for column, e in (exprs or {}).items()}
    sql, columns = _layout(type(obj), tuple((c, e[0]) for c, e in exprs.items()), source, returning, obj.pk is None)
    params = []
    for column in columns:
        if isinstance(column, str):
            params.extend(exprs[column][1])
        else:
            params.append(column.get_db_prep_save(column.pre_save(obj, True), conn))
    return sql, params


@cache
def _layout(model, exprs: tuple[tuple[str, str], ...], source: str, returning: tuple[str, ...], auto_pk: bool):
    """The statement's text, and per value either its field or the column name of an expression."""
    meta = model._meta
    given = dict(exprs)
    qn = connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.generated and not (f is meta.auto_field and auto_pk)]
    values = [given.get(f.column, "%s") for f in fields]
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
           f"SELECT {', '.join(values)}")
    if source:
        sql += f" FROM {source}"
    if returning:
        sql += " RETURNING " + ", ".join(qn(c) for c in returning)
    return sql, tuple(f.column if f.column in given else f for f in fields)
