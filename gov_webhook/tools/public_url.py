# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The address senders and receivers reach this database at.

Behind a proxy, ``web.base.url`` is often an inside address
(``http://localhost:8069``); integrations need the public one. The suite keeps
its own setting, ``gov_webhook.public_url``, and falls back to
``web.base.url`` when it is empty.
"""

from urllib.parse import urlsplit

PUBLIC_URL_PARAM = "gov_webhook.public_url"


def normalize_public_url(value):
    """``value`` as a base URL (``https://erp.example.com``, no trailing
    slash), ``""`` for an empty value, or None when it is not an http(s)
    address without credentials, query or fragment."""
    value = (value or "").strip()
    if not value:
        return ""
    if any(char.isspace() for char in value):
        return None
    try:
        parts = urlsplit(value)
        # reading the port raises on a malformed one
        _port = parts.port
    except ValueError:
        return None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.query
        or parts.fragment
    ):
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def public_base_url(env):
    """The public base URL of ``env``'s database, without a trailing slash."""
    params = env["ir.config_parameter"].sudo()
    return (
        params.get_param(PUBLIC_URL_PARAM) or params.get_param("web.base.url", "")
    ).rstrip("/")
