# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A savepoint for each of many calls, at the cost of one statement a call.

``cr.savepoint()`` costs two statements (``SAVEPOINT``, ``RELEASE``) and a
third on failure. A worker that isolates each item of a batch does better:

* after a call that succeeded, its savepoint stays open and the next call's
  savepoint nests inside it (the earlier call's changes sit below it, out of
  reach of a later rollback);
* a call that failed rolls back to its own savepoint, which is then exactly
  the state before that call: the next call reuses it;
* releasing the outermost savepoint at the end releases them all.

Like ``cr.savepoint()``, pending ORM changes are flushed before a savepoint
and after a call that succeeded, and a rollback clears the record cache.
"""

import uuid

from odoo.tools import SQL


class SavepointChain:
    """Run calls in savepoints of their own: ``with SavepointChain(cr) as
    chain: failure = chain.run(function, on_error)``."""

    def __init__(self, cr):
        self._cr = cr
        self._outermost = None
        self._reusable = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_traceback):
        # on an error the transaction is being abandoned: leave it as it is
        if exc_type is None and self._outermost:
            self._cr.execute(SQL("RELEASE SAVEPOINT %s", self._outermost))
        return False

    def run(self, function, on_error):
        """Call ``function()`` in a savepoint of its own. Return ``None``, or,
        when it raised, ``on_error(exception)`` once whatever it changed is
        rolled back.

        ``on_error`` is called in the ``except`` clause, so that the exception
        is not kept: its traceback holds the frames of the call, and a frame
        that keeps it would keep all of them alive until the garbage collector
        finds the cycle.
        """
        if self._reusable is None:
            self._cr.flush()
            name = SQL.identifier(str(uuid.uuid4()))
            self._cr.execute(SQL("SAVEPOINT %s", name))
            self._reusable = name
            if self._outermost is None:
                self._outermost = name
        try:
            function()
            self._cr.flush()
        except Exception as error:  # noqa: BLE001 - handed to on_error
            self._cr.clear()
            self._cr.execute(SQL("ROLLBACK TO SAVEPOINT %s", self._reusable))
            return on_error(error)
        # kept open: the next call nests its own savepoint inside this one
        self._reusable = None
        return None
