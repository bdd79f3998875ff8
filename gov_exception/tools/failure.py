# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the queue derives from a failure, without the ORM: the fingerprint
that makes two captures "the same failure", and the failure's description
with its secrets masked."""

import hashlib
import traceback

from odoo.addons.gov_base.tools.chain import canonical_json

from .payload import mask_text

# longest stored error message, in characters
MESSAGE_LIMIT = 4000


def fingerprint_of(parts):
    """A stable hash of ``parts`` (a JSON-able list)."""
    return hashlib.sha256(canonical_json(parts).encode()).hexdigest()


def describe_error(error, patterns):
    """``(message, traceback)`` of an exception or a message, secrets masked;
    ``(False, False)`` without an error."""
    if error is None:
        return False, False
    if isinstance(error, BaseException):
        message = str(error) or error.__class__.__name__
        trace = (
            "".join(traceback.format_exception(error)) if error.__traceback__ else ""
        )
        message = f"{error.__class__.__name__}: {message}"
    else:
        message, trace = str(error), ""
    return (
        mask_text(message, patterns)[:MESSAGE_LIMIT],
        mask_text(trace, patterns) or False,
    )
