"""Reading the spreadsheets users send (XLSX, CSV) as rows of text, within limits.

A file that comes from outside is hostile until read: a 2 KB XLSX can declare a sheet of 17 billion cells, a
30 KB one can inflate to gigabytes (a zip bomb) or hold a million formatting runs in one cell, a CSV can be one
cell of 25 million characters. openpyxl's reader is not built for that (its read-only mode pads every row to
the declared dimension, parses the whole sheet when the dimension is missing, builds each row's element tree
and loads every shared string at once: a 30 KB file took 480 MB and 13 s), so imports read XLSX here:

- the archive is checked before anything is decompressed: number of members and size of its directory, the
  uncompressed size of every member and of all together, each large member's compression ratio;
- the XML is streamed through expat with handlers that build no tree: only the rows and cells that exist are
  read (the declared dimension is ignored), only the columns asked for are kept, every text is counted as it
  arrives, nesting and the length of any tag or text are bounded before expat holds them, and a document type
  declaration (the way to entity bombs) refuses the file;
- shared strings are kept as UTF-8 in blocks with their offsets, never as millions of Python strings;
- a CSV is decoded and parsed as a stream, one record at a time, each record bounded;
- both count the rows with data and check a deadline as they go.

Every refusal is a ``SpreadsheetError`` whose message, in Italian, says which limit the file passed and what to
do. openpyxl still provides the rules for what a number format means (dates, percentages) and the Excel date
conversion, so cells read here have the values openpyxl gave them.

The package, a module per part: ``reading`` is the front door (``open_rows``, ``guess_kind``); ``limits`` holds
``SpreadsheetError``, the ``Limits`` of the settings, the fixed bounds and the ``Deadline``; ``rows`` what both
readers share (counting rows, the text of a cell); ``xlsx_archive`` the zip and its XML streams, ``xlsx`` the
workbook's parts and the XLSX reader, ``xlsx_sheet`` the handlers of a worksheet; ``csv_file`` the CSV reader.
Nothing is re-exported here: import each name from its module.
"""
