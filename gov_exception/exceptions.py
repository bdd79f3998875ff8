# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Errors a handler raises to tell the exception queue what to do next."""

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError


class GovHandlerError(Exception):
    """What a handler raises to tell the queue what to do with its item; catch
    this one to mean "either of the two below"."""


class GovRetryableError(GovHandlerError):
    """A transient failure: the queue retries the item with backoff.

    :param retry_after: seconds the failing party asked us to wait
        (e.g. an HTTP ``Retry-After``); the next attempt is not scheduled
        earlier than that.
    """

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class GovPermanentError(GovHandlerError):
    """A failure that no retry will fix: the item goes to the dead-letter state."""


# Errors that no retry can fix, whatever an item's retryable flag says.
PERMANENT_ERRORS = (
    GovPermanentError,
    UserError,
    ValidationError,
    AccessError,
    MissingError,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    LookupError,
)
