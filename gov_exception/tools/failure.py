# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the queue derives from a failure, without the ORM: the fingerprint
that makes two captures "the same failure", the failure's description with
its secrets masked, and the outcome of a handler run."""

import hashlib
import traceback
from typing import NamedTuple

from odoo.addons.gov_base.tools.chain import canonical_json

from ..exceptions import PERMANENT_ERRORS
from .payload import mask_text

# longest stored error message, in characters
MESSAGE_LIMIT = 4000


def fingerprint_of(parts):
    """A stable hash of ``parts`` (a JSON-able list)."""
    return hashlib.sha256(canonical_json(parts).encode()).hexdigest()


def error_message(error, patterns):
    """One line naming an exception (or a message as it is), secrets masked."""
    if isinstance(error, BaseException):
        name = error.__class__.__name__
        message = f"{name}: {str(error) or name}"
    else:
        message = str(error)
    return mask_text(message, patterns)[:MESSAGE_LIMIT]


def describe_error(error, patterns):
    """``(message, traceback)`` of an exception or a message, secrets masked;
    ``(False, False)`` without an error."""
    if error is None:
        return False, False
    trace = ""
    if isinstance(error, BaseException) and error.__traceback__:
        trace = "".join(traceback.format_exception(error))
    return error_message(error, patterns), mask_text(trace, patterns) or False


class HandlerFailure(NamedTuple):
    """What the queue keeps of an exception a handler raised. Not the
    exception itself: its traceback holds the handler's frames, and with them
    every record and environment the handler used."""

    message: str
    permanent: bool
    retry_after: float | None

    @classmethod
    def of(cls, error, patterns):
        return cls(
            error_message(error, patterns),
            isinstance(error, PERMANENT_ERRORS),
            getattr(error, "retry_after", None),
        )


def run_outcome(failure, *, kind, state, retryable, attempt, max_attempts):
    """What a handler run leaves its item in: ``success``, ``retry`` (again
    later), ``dead`` (dead-letter) or ``failed`` (left to a person).

    :param failure: the run's :class:`HandlerFailure`, ``None`` when it succeeded
    :param kind: the kind of run (``retry`` for the scheduled action)
    :param state: the item's state before the run
    :param attempt: the number of this attempt, from 1
    """
    if failure is None:
        return "success"
    if retryable and not failure.permanent and attempt < max_attempts:
        return "retry"
    if kind == "retry" or state in ("retry", "dead"):
        return "dead"
    return "failed"
