"""A real zip bomb shaped like an Excel workbook, for the upload tests."""

import functools
import io
import zipfile

from openpyxl import Workbook


@functools.cache
def xlsx_zip_bomb(unpacked_megabytes: int = 150) -> bytes:
    """A valid .xlsx (every part a workbook needs) whose first sheet unpacks to
    ``unpacked_megabytes`` MB of XML padding while the file itself is a few hundred kB."""
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["type", "name", "label"])
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entry.filename, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with archive.open(entry.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>")
                padding = b" " * (1024 * 1024)
                for _megabyte in range(unpacked_megabytes):
                    sheet.write(padding)
                sheet.write(tail)
    return bomb.getvalue()
