"""Writes to sessions and registers, and the moves of unused A2 hours (which need the hours delivered), each in
one transaction with its audit entry.

Every change of an existing session or register states the ``version`` it was based on (the form it came
from): a change based on an older version is refused with ``StaleVersionError`` instead of overwriting what
someone else saved in between (optimistic locking).

A module per topic: ``scheduling`` (booking, moving and cancelling sessions), ``registers`` (attendance, its
confirmation, check-in, the final register and its signed scan), ``notes`` (topics and the supervisor's
private note), ``a2_moves`` (moving unused A2 hours) and ``feeds`` (the private calendar addresses); ``base``
holds what they share: the refusals and the version check. Nothing is re-exported: callers import from the
module.
"""
