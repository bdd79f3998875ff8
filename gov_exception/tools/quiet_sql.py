# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Silence the cursor's "bad query" log for statements expected to fail.

``odoo.tools.mute_logger`` swaps the handlers of a logger for the whole
process, which is unsafe when several threads enter and leave it at once. This
filter only drops records emitted by the thread that asked for silence.
"""

import contextlib
import logging
import threading

_state = threading.local()


class _ThreadQuietFilter(logging.Filter):
    def filter(self, record):
        return not getattr(_state, "depth", 0)


_FILTER = _ThreadQuietFilter()
logging.getLogger("odoo.sql_db").addFilter(_FILTER)


@contextlib.contextmanager
def quiet_sql_errors():
    """Within this block, this thread's failed queries are not logged."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
