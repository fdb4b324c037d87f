"""Excel (.xlsx) in and out, shared by every ledger's import and export.

Reading: the upload goes through the same size limit and content sniffing as the upload pipeline (the
file is never stored: it usually holds personal data), headers are matched by key, English title, a fixed
Chinese title or the title in any UI language, and rows come back with their spreadsheet row number.
Importing is all-or-nothing: ``run_import`` checks every row and saves them through the services in one
transaction, rolled back if any row has a problem; problems go back per row, on the page and in an error
report (the original rows plus an Errors column) that can be corrected and uploaded again. The upload
page and the background run of long files are in ``lianxin.core.importing``.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .uploads import _read_limited, sniff_document

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000
# A zip bomb is small on the wire and huge inside: cap the unpacked size too.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Marks a value removed from an error report (e.g. a password); importers reject it.
REDACTED = "●●●●●●"
ERRORS_TITLE = gettext_lazy("Errors")
YES_WORDS = {"1", "y", "yes", "true", "t", "✓", "✔", "√", "是", "对"}
NO_WORDS = {"", "0", "n", "no", "false", "f", "否", "不是", "×"}
LIST_SPLIT = re.compile(r"[,，、;；\n]+")


@dataclass(frozen=True)
class Column:
    """One column of a ledger: ``title`` is the English source (translated in files and pages);
    ``zh`` is the fixed Chinese title, accepted whatever the translations say."""

    key: str
    title: Any
    zh: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 16
    text: bool = False  # long digit strings (IDs, mobiles): keep as text so Excel does not round them
    secret: bool = False  # never written back into an error report (passwords)
    help: Any = ""
    example: Any = ""


def _norm(title) -> str:
    return re.sub(r"[\s*＊:：_\-()（）]", "", str(title or "")).casefold()


def _names(col: Column) -> set[str]:
    names = {_norm(col.key), _norm(col.zh), *(_norm(a) for a in col.aliases)}
    with translation.override("en"):
        names.add(_norm(col.title))
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            names.add(_norm(col.title))
    return names - {""}


def header_title(col: Column) -> str:
    return str(col.title)


def cell_text(value) -> str:
    """A cell as the text the user typed: 13912345678.0 -> "13912345678", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not (value.hour or value.minute) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_bool(text: str) -> bool:
    word = text.strip().casefold()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValidationError(_("Write yes or no (是 or 否)."), code="bool")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in LIST_SPLIT.split(text or "") if part.strip()]


class ChoiceReader:
    """Reads a cell naming one of ``choices`` (value, label): by its value, its label in any UI language, or one
    of the ``words`` given for it (e.g. 镇 and 街道 for a town)."""

    def __init__(self, choices, words: dict[str, Sequence[str]] | None = None):
        self.choices = list(choices)
        self.names: dict[str, str] = {}
        for value, label in self.choices:
            self.names[_norm(value)] = value
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    self.names.setdefault(_norm(label), value)
            for word in (words or {}).get(value, ()):
                self.names.setdefault(_norm(word), value)

    def read(self, text: str) -> str:
        value = self.names.get(_norm(text))
        if value is None:
            known = pgettext("list separator", ", ").join(str(label) for _v, label in self.choices)
            raise ValidationError(_("Unknown value “%(value)s”: write one of %(known)s.")
                                  % {"value": text, "known": known}, code="choice")
        return value


@dataclass
class Row:
    number: int  # the row number the user sees in Excel
    cells: tuple  # the original values, in the file's column order
    values: dict[str, str]  # column key -> text
    raw: dict[str, Any]  # column key -> original value

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def parse_date(row: Row, key: str) -> date | None:
    """A date cell: a real Excel date, or text such as 2020-06-30, 2020/6/30 or 2020.6.30; empty gives None."""
    raw = row.raw.get(key)
    if hasattr(raw, "date") and callable(raw.date):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = row.get(key).replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Write a date such as 2020-06-30.")) from None


@dataclass
class Sheet:
    headers: list[str]  # the file's own header texts
    keys: list[str | None]  # the column key of each header (None: a column we do not know)
    rows: list[Row]
    columns: Sequence[Column]


def read_upload(uploaded) -> bytes:
    """The bytes of an uploaded .xlsx, after the upload pipeline's size limit and content check."""
    data = _read_limited(uploaded, settings.UPLOAD_MAX_BYTES)
    kind = sniff_document(data)
    if kind == "xlsx":
        return data
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _("This is an old Excel 97–2003 (.xls) file. Open it in Excel or WPS, save it as "
              "“Excel workbook (*.xlsx)” and upload that file."), code="xls")
    raise ValidationError(
        _("This file is not an Excel workbook (.xlsx), whatever its name says. A CSV or text file renamed "
          "to .xlsx does not work: save the sheet as “Excel workbook (*.xlsx)” and upload it again."),
        code="not_xlsx")


def _open_workbook(data: bytes):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("This workbook is too large to import."), code="too_large")
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception as e:  # openpyxl raises many kinds of errors on damaged files
        raise ValidationError(
            _("This Excel file could not be read; it may be damaged. Open it in Excel or WPS, save it again "
              "and upload it."), code="bad_xlsx") from e


def read_sheet(uploaded, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> Sheet:
    """Read the first sheet of an upload (or of bytes it gave): the first non-empty row is the header,
    empty rows are skipped.

    File-level problems (wrong type, missing required columns, no rows) raise ValidationError.
    """
    wb = _open_workbook(uploaded if isinstance(uploaded, bytes) else read_upload(uploaded))
    try:
        ws = wb.worksheets[0]
        by_name = {}
        for col in columns:
            for name in _names(col):
                by_name.setdefault(name, col.key)
        ignored = {_norm(ERRORS_TITLE), _norm("Errors"), _norm("错误")}
        headers: list[str] | None = None
        keys: list[str | None] = []
        rows: list[Row] = []
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            if all(cell_text(c) == "" for c in cells):
                continue
            if headers is None:
                headers = [cell_text(c) for c in cells]
                keys = [_header_key(h, by_name, ignored) for h in headers]
                continue
            if len(rows) >= max_rows:
                raise ValidationError(
                    _("The file has more than %(n)d rows: split it into smaller files.") % {"n": max_rows},
                    code="too_many_rows")
            values, raw = {}, {}
            for key, cell in zip(keys, cells, strict=False):
                if key and key not in values:
                    values[key], raw[key] = cell_text(cell), cell
            rows.append(Row(number, tuple(cells), values, raw))
    finally:
        wb.close()
    if headers is None:
        raise ValidationError(_("The file is empty."), code="empty")
    missing = [str(c.title) for c in columns if c.required and c.key not in keys]
    if missing:
        raise ValidationError(
            _("The header row (the first row) lacks these columns: %(cols)s. Download the template to see "
              "the expected columns.") % {"cols": ", ".join(missing)}, code="missing_columns")
    if not rows:
        raise ValidationError(_("The file has a header row but no data rows."), code="no_rows")
    return Sheet(headers, keys, rows, columns)


def _header_key(header: str, by_name: dict, ignored: set) -> str | None:
    norm = _norm(header)
    if norm in ignored:
        return None
    if norm in by_name:
        return by_name[norm]
    # "姓名 / Name": either half will do.
    for part in re.split(r"[/|｜]", header):
        if _norm(part) in by_name:
            return by_name[_norm(part)]
    return None


@dataclass
class RowError:
    row: int
    column: str  # the column's title, or "" for the row as a whole
    message: str


@dataclass
class Problems:
    """Every problem found, by row; a row may have several."""

    sheet: Sheet
    by_row: dict[int, list[tuple[str | None, str]]] = field(default_factory=dict)

    def add(self, row: Row, key: str | None, error) -> None:
        for message in _messages(error):
            entry = (key, message)
            if entry not in self.by_row.setdefault(row.number, []):
                self.by_row[row.number].append(entry)

    def __bool__(self) -> bool:
        return bool(self.by_row)

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_row.values())

    def title_of(self, key: str | None) -> str:
        for col in self.sheet.columns:
            if col.key == key:
                return str(col.title)
        return ""

    def listing(self) -> list[RowError]:
        return [RowError(number, self.title_of(key), message)
                for number in sorted(self.by_row) for key, message in self.by_row[number]]


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    if isinstance(error, PermissionDenied):
        return [_("This is outside the area you may add records to.")]
    return [str(error)]


def error_field(error: ValidationError) -> str | None:
    """The model field a service's ValidationError is about, if it names one."""
    if hasattr(error, "error_dict") and len(error.error_dict) == 1:
        key = next(iter(error.error_dict))
        return None if key == "__all__" else key
    return None


# Told (phase "check" or "save", rows done, rows in all) as an import goes; see core.importing.
Progress = Callable[[str, int, int], None] | None


class Importer:
    """A ledger's import: ``check_row`` records problems, ``save_row`` writes through the services."""

    columns: Sequence[Column] = ()
    sheet_title: Any = ""

    def __init__(self, user):
        self.user = user

    def check(self, sheet: Sheet, problems: Problems, progress: Progress = None) -> None:
        for done, row in enumerate(sheet.rows, start=1):
            for col in self.columns:
                if col.required and not row.get(col.key):
                    problems.add(row, col.key, ValidationError(_("This column is required.")))
            self.check_row(row, problems)
            if progress:
                progress("check", done, len(sheet.rows))

    def check_row(self, row: Row, problems: Problems) -> None:
        raise NotImplementedError

    def save_row(self, row: Row):
        raise NotImplementedError

    def save_order(self, rows: list[Row]) -> list[Row]:
        """The order the rows are saved in (a tree's parents before their children); the file's by default."""
        return rows

    def field_key(self, model_field: str | None) -> str | None:
        """The column a service error's model field maps to (override where names differ)."""
        return model_field if any(c.key == model_field for c in self.columns) else None

    def example_rows(self) -> list[list]:
        return [[col.example for col in self.columns]]

    def help_rows(self) -> list[list]:
        return [[str(c.title), c.zh, _("required") if c.required else _("optional"), str(c.help)]
                for c in self.columns]


@dataclass
class Outcome:
    sheet: Sheet
    problems: Problems
    created: list

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rollback(Exception):
    pass


def run_import(importer: Importer, source, *, progress: Progress = None) -> Outcome:
    """Check every row, then save every row that passed through the services, in one transaction;
    if any row has a problem, roll it all back. ``source``: an upload, its bytes, or a Sheet read already.

    The services are the one source of the write rules (e.g. a number already in the registry, a
    username taken anywhere): each row is saved in a savepoint so what they refuse ends up on its row,
    and every row gets its problems reported in one go.
    """
    sheet = source if isinstance(source, Sheet) else read_sheet(source, importer.columns)
    problems = Problems(sheet)
    importer.check(sheet, problems, progress)
    created: list = []
    try:
        with transaction.atomic():
            for done, row in enumerate(importer.save_order(sheet.rows), start=1):
                if progress:
                    progress("save", done, len(sheet.rows))
                if row.number in problems.by_row:
                    continue
                try:
                    with transaction.atomic():
                        created.append(importer.save_row(row))
                except ValidationError as e:
                    problems.add(row, importer.field_key(error_field(e)), e)
                except PermissionDenied as e:
                    problems.add(row, None, e)
            if problems:
                raise _Rollback
    except _Rollback:
        created = []
    return Outcome(sheet, problems, created)


# Writing ---------------------------------------------------------------------------------------------


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _append_sheet(wb, title, headers: Sequence, rows: Iterable[Sequence], widths: Sequence[int] = (),
                  text_columns: Iterable[int] = (), fills: dict | None = None) -> None:
    """A write-only sheet: bold frozen header, column widths; ``fills`` colours cells {(row, col): fill}."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(_sheet_title(title))
    ws.freeze_panes = "A2"
    text_columns = set(text_columns)
    for i, width in enumerate(widths):
        ws.column_dimensions[_letter(i)].width = width
    for i in text_columns:
        # Cells typed later into the template stay text too (an 18-digit ID typed as a number is lost).
        ws.column_dimensions[_letter(i)].number_format = "@"
    bold = Font(bold=True)
    head = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font = bold
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        head.append(cell)
    ws.append(head)
    fills = fills or {}
    for r, values in enumerate(rows):
        out = []
        for c, value in enumerate(values):
            value = _plain(value)
            fill = fills.get((r, c))
            multiline = isinstance(value, str) and "\n" in value
            formula_like = isinstance(value, str) and value.startswith("=")
            if not (c in text_columns or fill is not None or multiline or formula_like):
                out.append(value)
                continue
            cell = WriteOnlyCell(ws, value=value)
            if formula_like:
                cell.data_type = "s"  # text someone typed, never a formula Excel would run
            if c in text_columns:
                cell.number_format = "@"
            if fill is not None:
                cell.fill = fill
            if multiline:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            out.append(cell)
        ws.append(out)


def _sheet_title(title) -> str:
    # Excel forbids []:*?/\ and more than 31 characters in sheet names.
    return re.sub(r"[\[\]:*?/\\]", " ", str(title or "Sheet"))[:31] or "Sheet"


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool | int | float | date | datetime):
        return value
    return str(value)


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_workbook(columns: Sequence[Column], rows: Iterable[Sequence], *, title,
                   extra_sheets: Sequence[tuple] = ()) -> bytes:
    """An export or template: one sheet of ``rows`` under the columns' titles, then ``extra_sheets``
    given as (title, headers, rows, widths)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _append_sheet(wb, title, [header_title(c) for c in columns], rows, [c.width for c in columns],
                  [i for i, c in enumerate(columns) if c.text])
    for sheet_title, headers, sheet_rows, widths in extra_sheets:
        _append_sheet(wb, sheet_title, headers, sheet_rows, widths)
    return _save(wb)


def error_report(problems: Problems) -> bytes:
    """The original rows as uploaded, plus an Errors column listing every problem of the row.

    Rows without problems stay in, so the corrected report can be uploaded again as it is. Secret
    columns (passwords) are blanked out with a marker the importer rejects.
    """
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    sheet = problems.sheet
    secret_keys = {c.key for c in sheet.columns if c.secret}
    secret = {i for i, k in enumerate(sheet.keys) if k in secret_keys}
    index_of = {k: i for i, k in reversed(list(enumerate(sheet.keys))) if k}
    width = max([len(sheet.headers), *(len(r.cells) for r in sheet.rows)])
    bad_row = PatternFill("solid", fgColor="FDE8E8")
    bad_cell = PatternFill("solid", fgColor="F8B4B4")
    rows, fills = [], {}
    for r, row in enumerate(sheet.rows):
        cells = list(row.cells) + [None] * (width - len(row.cells))
        cells = [REDACTED if i in secret and cell_text(v) else v for i, v in enumerate(cells)]
        found = problems.by_row.get(row.number, [])
        lines = [f"{problems.title_of(k)}: {m}" if k else m for k, m in found]
        rows.append([*cells, "\n".join(lines)])
        if found:
            fills[(r, width)] = bad_row
            for key, _m in found:
                if key in index_of:
                    fills[(r, index_of[key])] = bad_cell
    headers = [*sheet.headers, *[""] * (width - len(sheet.headers)), str(ERRORS_TITLE)]
    widths = [16] * width + [60]
    for col in sheet.columns:
        if col.key in index_of:
            widths[index_of[col.key]] = col.width
    wb = Workbook(write_only=True)
    _append_sheet(wb, ERRORS_TITLE, headers, rows, widths, fills=fills)
    return _save(wb)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # exports hold personal data
    return response


def dated_name(stem: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
