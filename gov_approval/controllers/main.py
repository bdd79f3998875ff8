# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.gov_base.tools.engine import acting_as


class GovApprovalLinkController(http.Controller):
    """Approve or reject from an e-mail link.

    The signed token is the credential (no session), so the form needs no
    CSRF token; opening the link (GET) never decides, only the form does.
    """

    @http.route(
        "/gov/approval/link/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def show(self, token, **_kwargs):
        step, user, refused = self._read_token(token)
        return refused or self._page(step=step, user=user, token=token)

    @http.route(
        "/gov/approval/link/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def decide(self, token, decision=None, reason=None, **_kwargs):
        if decision not in ("approve", "reject"):
            return self._page(
                error=request.env._("Choose approve or reject."), status=400
            )
        step, user, refused = self._read_token(token)
        if refused:
            return refused
        try:
            # the signed link proves who decides: that user acts, nobody else
            with request.env.cr.savepoint(), acting_as(user.id):
                # the decision counts on the step the link was sent for
                step.request_id.with_user(user)._decide(
                    decision, reason, channel="email", step=step
                )
        except AccessError as error:
            return self._page(error=error.args[0], status=403)
        except UserError as error:
            # nothing decided: the link stays usable, with the form shown again
            return self._page(
                step=step, user=user, token=token, error_form=error.args[0], status=422
            )
        return self._page(step=step, user=user, done=decision)

    def _read_token(self, token):
        """``(step, user, None)`` for a valid link, else ``(None, None, page)``
        with the refusal page to answer."""
        try:
            step, user = request.env["gov.approval.request"]._from_link_token(token)
        except UserError as error:
            return None, None, self._page(error=error.args[0], status=403)
        return step, user, None

    def _page(self, status=200, **values):
        values.setdefault("step", None)
        values.setdefault("error", None)
        values.setdefault("done", None)
        values.setdefault("error_form", None)
        return request.render("gov_approval.approval_link_page", values, status=status)
