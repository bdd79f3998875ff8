# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import SUPERUSER_ID, http
from odoo.http import request

# where the body read for a request is kept (the request's WSGI environ)
BODY_KEY = "gov_webhook.body"
READ_CHUNK = 64 * 1024


def read_at_most(stream, limit):
    """The bytes of ``stream``, or None once more than ``limit`` arrive.

    Reads ``limit + 1`` bytes at most, chunk by chunk: an oversized body,
    chunked or not, is refused without being read whole.
    """
    chunks, size = [], 0
    while size <= limit:
        chunk = stream.read(min(READ_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > limit else b"".join(chunks)


class GovWebhookController(http.Controller):
    """One static route for every endpoint: parse the request, hand it over."""

    @http.route(
        "/gov/webhook/<string:path_key>",
        type="http",
        auth="none",
        methods=None,
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def receive(self, path_key, **_params):
        httprequest = request.httprequest
        headers = {name.lower(): value for name, value in httprequest.headers.items()}

        def read_body(limit):
            # Odoo serves the request again after a serialization failure:
            # the body is read once, every try sees the same bytes
            kept = httprequest.environ
            if BODY_KEY not in kept:
                kept[BODY_KEY] = _read_request_body(httprequest, limit)
            return kept[BODY_KEY]

        env = request.env(user=SUPERUSER_ID)
        reply = env["gov.webhook.inbox"]._receive(
            path_key,
            httprequest.method,
            headers,
            read_body,
            httprequest.content_length,
            httprequest.remote_addr,
        )
        return request.make_json_response(
            reply.body, headers=list(reply.headers.items()), status=reply.status
        )


def _read_request_body(httprequest, limit):
    # werkzeug's input stream (Odoo's request wrapper does not expose it):
    # bounded by the Content-Length, or the de-chunked body as it arrives
    stream = httprequest._HTTPRequest__wrapped.stream
    try:
        return read_at_most(stream, limit)
    except RequestEntityTooLarge:
        # past the server's own request size limit
        return None
