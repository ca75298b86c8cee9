"""Value ranges in the Sheets-API test server: values.get, batchGet, update, append and
batchUpdate.

A range is read as Google returns it: trimmed, rendered under ``valueRenderOption`` and
``dateTimeRenderOption`` (sheets_render.py), by rows or, with ``majorDimension=COLUMNS``,
transposed. A write parses what was sent under ``valueInputOption`` (required; RAW or
USER_ENTERED), keeps the number format Google gives what was typed, leaves a cell sent as null
unchanged, grows the grid to fit, and is refused as a whole when it touches a protected range the
caller may not edit (sheets_model.Spreadsheet.check_editable). values.append writes after the last
row with data; values.batchUpdate checks every range before it writes any.
``includeValuesInResponse`` adds what was written, rendered with the response options. Test
equipment, not product.

Error policy: every client mistake raises sheets_schema.ApiError (a 400 shaped like Google's);
nothing is written then.
"""
from __future__ import annotations

from typing import Any, Mapping

from .problems import column_letter
from .sheets_a1 import Box, a1, quote_title
from .sheets_model import SKIP, Spreadsheet
from .sheets_render import parse_typed, render, trim
from .sheets_schema import bad_request, check_message, one


def get_values(book: Spreadsheet, text: str, value_option: str, date_option: str) -> dict:
    """One range as a ValueRange, by rows."""
    sheet, box = book.resolve(text)
    box = sheet.clip(box)
    result: dict[str, Any] = {"range": f"{quote_title(sheet.title)}!{a1(box)}",
                              "majorDimension": "ROWS"}
    locale = book.locale
    rows = [[v if type(v) is str else render(v, value_option, date_option, locale)
             for v in row] for row in sheet.values(box)]
    if rows:
        result["values"] = rows
    return result


def update_values(book: Spreadsheet, text: str, values: list[list[Any]], option: str,
                  editor: str | None = None) -> dict:
    """values.update; ``editor`` (the caller's e-mail) is checked against protected ranges
    (None: a test's own setup, never refused)."""
    sheet, box = book.resolve(text)
    typed = [[(SKIP, None) if v is None else parse_typed(v, option, book.locale) for v in row]
             for row in values]
    parsed = [[v for v, _ in row] for row in typed]
    formats = [[f for _, f in row] for row in typed]
    height = len(parsed)
    width = max((len(r) for r in parsed), default=0)
    if box.r1 is not None and box.c1 is not None and (box.r1 - box.r0 < height
                                                      or box.c1 - box.c0 < width):
        if not (box.r1 - box.r0 == 1 and box.c1 - box.c0 == 1):  # a single cell is an anchor
            raise bad_request(
                f"Requested writing within range [{text}], but tried writing to "
                f"{'row' if box.r1 - box.r0 < height else 'column'} "
                f"[{box.r0 + height if box.r1 - box.r0 < height else column_letter(box.c0 + width - 1)}]")
    if height and width:
        book.check_editable(sheet, Box(box.r0, box.c0, box.r0 + height, box.c0 + width),
                            editor)
    sheet.write(box.r0, box.c0, parsed, formats)
    response: dict[str, Any] = {"spreadsheetId": book.key}
    if height and width:
        written = Box(box.r0, box.c0, box.r0 + height, box.c0 + width)
        response.update(updatedRange=f"{quote_title(sheet.title)}!{a1(written)}",
                        updatedRows=height, updatedColumns=width,
                        updatedCells=sum(len(r) for r in parsed))
    return response


def append_values(book: Spreadsheet, text: str, values: list[list[Any]], option: str,
                  editor: str | None = None) -> dict:
    """values.append: the rows go after the last row with data (or from the range's row)."""
    sheet, box = book.resolve(text)
    table = Box(box.r0, box.c0, None, None)
    start = max(sheet.last_data_row(), box.r0)
    width = max((len(r) for r in values), default=0)
    existing = sheet.values(Box(0, 0, None, None))
    response: dict[str, Any] = {"spreadsheetId": book.key}
    if existing:
        table_box = Box(table.r0, table.c0, len(existing),
                        max(max(len(r) for r in existing), table.c0 + 1))
        response["tableRange"] = f"{quote_title(sheet.title)}!{a1(table_box)}"
    anchor = f"{quote_title(sheet.title)}!{column_letter(box.c0)}{start + 1}"
    response["updates"] = update_values(book, anchor, values, option, editor) if width else {
        "spreadsheetId": book.key}
    return response


# --- the values.* methods: query parameters and bodies -----------------------------------------

def _render_options(params: dict[str, list[str]]) -> tuple[str, str]:
    return (one(params, "valueRenderOption") or "FORMATTED_VALUE",
            one(params, "dateTimeRenderOption") or "SERIAL_NUMBER")


def _columns(result: dict) -> dict:
    """majorDimension=COLUMNS: the same cells, transposed."""
    rows = result.get("values", [])
    width = max((len(r) for r in rows), default=0)
    cols = [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]
    result = {**result, "majorDimension": "COLUMNS"}
    cols = trim(cols)
    if cols:
        result["values"] = cols
    return result


def read(book: Spreadsheet, text: str, params: dict[str, list[str]]) -> dict:
    """values.get / one range of batchGet, with the request's render options and dimension."""
    result = get_values(book, text, *_render_options(params))
    return _columns(result) if one(params, "majorDimension") == "COLUMNS" else result


def input_option(option: str | None) -> str:
    """valueInputOption is required for every write, and must say RAW or USER_ENTERED."""
    if option is None:
        raise bad_request("'valueInputOption' is required but not specified")
    if option == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise bad_request(f"Invalid valueInputOption: {option}")
    return option


def value_range(body: dict, url_range: str | None) -> list[list[Any]]:
    """The rows of a ValueRange body (checked; transposed when sent by columns)."""
    check_message(body, "ValueRange")
    if url_range is not None and body.get("range") not in (None, url_range):
        raise bad_request(f"Requested update range [{url_range}] does not match ValueRange "
                      f"range [{body['range']}].")
    values = body.get("values") or []
    if body.get("majorDimension") == "COLUMNS":
        width = max((len(c) for c in values), default=0)
        values = [[c[r] if r < len(c) else None for c in values] for r in range(width)]
    return values


def with_values(book: Spreadsheet, update: dict, params: Mapping[str, Any]) -> dict:
    """includeValuesInResponse: add what was written, rendered with the response options."""
    include = params.get("includeValuesInResponse")
    if isinstance(include, list):  # query parameters come as lists of strings
        params = {k: v[0] for k, v in params.items() if v}
        include = str(params.get("includeValuesInResponse", "")).lower() == "true"
    if update.get("updatedRange") and include:
        update["updatedData"] = get_values(
            book, update["updatedRange"],
            params.get("responseValueRenderOption") or "FORMATTED_VALUE",
            params.get("responseDateTimeRenderOption") or "SERIAL_NUMBER")
    return update


def batch_update_values(book: Spreadsheet, body: dict, editor: str | None) -> dict:
    """values.batchUpdate: every range is checked first, as a batch is all or nothing."""
    check_message(body, "BatchUpdateValuesRequest")
    option = input_option(body.get("valueInputOption"))
    data = body.get("data") or []
    for item in data:  # check every range first: a batch is all or nothing
        target_sheet, box = book.resolve(item.get("range") or "")
        values = value_range(item, None)
        if values:
            book.check_editable(target_sheet, Box(
                box.r0, box.c0, box.r0 + len(values),
                box.c0 + max(len(r) for r in values)), editor)
    responses = [with_values(book, update_values(
        book, item["range"], value_range(item, None), option, editor), body) for item in data]
    return {"spreadsheetId": book.key,
            "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
            "totalUpdatedColumns": sum(r.get("updatedColumns", 0) for r in responses),
            "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
            "totalUpdatedSheets": len({r["updatedRange"].rsplit("!", 1)[0]
                                       for r in responses if "updatedRange" in r}),
            "responses": responses}
