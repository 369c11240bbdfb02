"""Importing a census spreadsheet (Allegato 2): read, check every row, plan, then write in one transaction.

The web import (``jobs.py``, in a worker) and the management command run the same steps, one module each:

1. ``read``: ``TableReader`` streams the file (XLSX, or CSV separated by ``;`` or ``,`` in UTF-8 or
   Windows-1252) as rows of text keyed by column, within the limits of the IMPORT_* settings
   (``supervisione.lib.spreadsheets``); headers are matched ignoring case, accents, spaces and order
   (``columns``: the layout).
2. ``validate``: each row becomes a ``ParsedRow`` (``rows``) or a list of ``Problem`` (``problems``: row number
   as the spreadsheet shows it, column header, Italian message); ``check_across_rows`` then finds the same
   codice fiscale with different data and duplicated rows.
3. ``plan``: ``plan_import``, what the valid rows would create, update or leave alone, from a constant number
   of queries whatever the size of the file.
4. ``apply``: ``apply_plan``, the writes, in bulk, inside one transaction with their audit entries.

``run`` puts them together: ``check_file`` does 1 and 2 a chunk at a time, keeping the valid rows and a
``ProblemLog`` (the first problems, the rest counted by column); ``run_import`` does all four, as the command.

Re-importing the same file finds every row unchanged and writes nothing.

Nothing is re-exported here: import each name from the module of its stage.
"""
