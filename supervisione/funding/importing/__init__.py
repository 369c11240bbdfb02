"""Importing an ATS's commitments, liquidations and payments from the accounting software's export.

The file (XLSX, or CSV separated by ``;`` or ``,``) has a row per act, with the columns of ``columns.COLUMNS``
(headers matched ignoring case, accents, spaces and order; other columns are ignored and listed). The import
runs in stages, one module each:

1. ``read``: ``read_rows``, the file within limits (``lib.spreadsheets``: size, cells, time; at most
   ``MAX_ROWS`` acts);
2. ``parse``: ``parse_rows``, each row's cells as a ``rows.ParsedRow``, or a ``problems.RowProblem`` in Italian
   with its row number and column;
3. ``plan``: ``plan_import``, each act against the ATS's ledger, read in a fixed number of queries: its
   allocation (by the FNPS year it covers, or its parent's), its contract (by CIG; a commitment without CIG
   takes the one contract of the ATS without CIG, and says so), the act it executes (by number, in the ledger
   or in the file), and whether it is new, changed or already recorded (by stage and act number: importing the
   same file again changes nothing); then the ledger as the import would leave it is checked by
   ``funding.ledger`` (the same refusals as the forms);
4. ``actions.import_ledger``: the writes, only if no row has a problem, in one transaction.

Between the preview and the confirmation the rows travel in the page, signed by the server
(``confirmation``: ``sign_rows``, ``unsign_rows``, bound to the ATS and the user, valid for an hour); the
confirmation plans them again on the ledger as it is then.

Nothing is re-exported here: import each name from the module of its stage.
"""
