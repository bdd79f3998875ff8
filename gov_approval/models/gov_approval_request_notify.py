# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How a request tells people: chatter on the document, approval
activities, e-mails to approvers (with signed links when the matrix allows
them), the requester's notice and the audit events, grouped in one batch
for mass decisions.
"""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain
from odoo.tools.misc import hmac as odoo_hmac

from ..tools.engine import approval_writes, current_batch
from ..tools.links import ExpiredToken, InvalidToken, make_token, read_token
from .gov_approval_request import LINK_SCOPE, STATES


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    def _post_on_document(self, body, subtype, partner=None, recipients=None):
        """A message in the document's chatter, with the approval subtype.

        Without people to notify it is only logged (one insert, no recipients
        to compute; grouped with the batch's when one is open), naming
        ``recipients`` if given; with ``partner`` they are notified.
        """
        document = self._document().sudo()
        if not hasattr(document, "message_post"):
            return
        if partner:
            document.message_post(
                body=body,
                subtype_xmlid=subtype,
                message_type="notification",
                partner_ids=partner.ids,
            )
            return
        vals = {
            "model": document._name,
            "res_id": document.id,
            "body": body,
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(subtype),
            "author_id": self.env.user.partner_id.id,
            # given, so that the message does not look them up
            "email_from": self._sender(),
            "reply_to": self._sender(),
        }
        if recipients:
            vals["partner_ids"] = [Command.set(recipients.ids)]
        batch = current_batch()
        if batch is not None:
            batch["messages"].append(vals)
            return
        self.env["mail.message"].sudo().create(vals)

    def _sender(self):
        return (
            self.env.user.email_formatted or self.env.company.email_formatted or False
        )

    @api.model
    def _activity_type_id(self):
        return self.env["ir.model.data"]._xmlid_to_res_id(
            "gov_approval.mail_activity_type_approval"
        )

    def _schedule_activities(self, step, users):
        if not users:
            return
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = (step.deadline or fields.Datetime.now()).date()
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": self.id,
                # given, so that they are not computed by more queries
                "res_model": self._name,
                "res_name": self.name,
                "activity_type_id": self._activity_type_id(),
                "user_id": user.id,
                "date_deadline": deadline,
                "summary": self.env._("Approve: %(name)s", name=self.name),
            }
            for user in users
        ]
        batch = current_batch()
        if batch is not None:
            batch["activities"].extend(vals_list)
            return
        self._create_activities(vals_list)

    @api.model
    def _create_activities(self, vals_list):
        # an activity computes its model's name from its model (a name given
        # is dropped): the model, whose id Odoo caches by name, gets that
        # name in the cache, so that it is not read for it
        IrModel = self.env["ir.model"]
        for name in {vals["res_model"] for vals in vals_list}:
            model = IrModel._get(name)
            model._fields["model"]._insert_cache(model, [name])
        # approvers are told by _notify_approvers, one short e-mail each, and
        # reach their requests through the activity: they do not follow them
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, gov_approval_no_follow=True
        ).create(vals_list)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if self.env.context.get("gov_approval_no_follow"):
            return True
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def _clear_activities(self, users=None):
        """Archive the approval activities of the requests (of ``users``
        only, when given), as Odoo does with done activities: they stay in
        the history."""
        batch = current_batch()
        if batch is not None:
            batch["clear"].extend((request.id, users) for request in self)
            return
        self._archive_activities([(request.id, users) for request in self])

    @api.model
    def _archive_activities(self, targets):
        """Archive in one go the activities of ``[(request id, users or None)]``."""
        domain = (
            Domain("res_model", "=", self._name)
            & Domain("res_id", "in", list({request_id for request_id, _u in targets}))
            & Domain("activity_type_id", "=", self._activity_type_id())
        )
        # with what archiving them reads (responsible, deadline, done date)
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                domain, ["res_id", "user_id", "date_deadline", "date_done", "active"]
            )
        )
        wanted = defaultdict(set)
        for request_id, users in targets:
            wanted[request_id].add(None if users is None else frozenset(users.ids))
        activities.filtered(
            lambda a: any(
                who is None or a.user_id.id in who for who in wanted[a.res_id]
            )
        ).write({"active": False})

    def _audit(
        self, event_type, summary, details=None, channel=None, on_behalf_of=None
    ):
        Event = self.env["gov.audit.event"]
        batch = current_batch()
        write = (
            batch["events"].append
            if batch is not None
            else (lambda vals: Event._create_events([vals]))
        )
        write(
            Event._prepare_event_vals(
                event_type,
                summary,
                record=self,
                details=dict(details or {}, document=f"{self.res_model},{self.res_id}"),
                # the audit log knows no "mass" channel: it is the user interface
                channel={"mass": "ui"}.get(channel, channel),
                on_behalf_of=on_behalf_of,
                company=self.company_id,
            )
        )

    @api.model
    def _flush_batch(self, batch):
        if batch["clear"]:
            self._archive_activities(batch["clear"])
        if batch["activities"]:
            self._create_activities(batch["activities"])
        self._create_messages(batch["mails"], batch["messages"])
        if batch["events"]:
            self.env["gov.audit.event"]._create_events(batch["events"])
        if batch["resume"]:
            # the engine's own step after its decisions, wherever the batch
            # was opened
            with approval_writes():
                for request in batch["resume"]:
                    request._resume()

    @api.model
    def _create_messages(self, mails=(), notes=()):
        """Create the engine's e-mails ``mails`` (mail.mail values) and
        chatter notes ``notes`` (mail.message values): the messages of both in
        one insert, then the e-mails on theirs."""
        if not mails and not notes:
            return
        Mail = self.env["mail.mail"].sudo()
        inherited = {name for name, field in Mail._fields.items() if field.inherited}
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    # the type mail.mail gives the messages it makes itself
                    {"message_type": "email_outgoing"}
                    | {key: value for key, value in vals.items() if key in inherited}
                    for vals in mails
                ]
                + list(notes)
            )
        )
        if mails:
            Mail.create(
                [
                    {key: value for key, value in vals.items() if key not in inherited}
                    | {
                        "mail_message_id": message.id,
                        # the e-mail owns its message, as one that made it:
                        # deleting the e-mail once sent deletes the message
                        "is_notification": False,
                    }
                    for vals, message in zip(mails, messages, strict=False)
                ]
            )

    def _notify_requester(self):
        """Tell requesters the outcome, when their request closes approved
        or rejected, as each one reads their notifications: one short e-mail
        (as approvers get, grouped with a batch's), or a notification in
        their Odoo inbox."""
        mails = []
        for request in self:
            state = dict(STATES)[request.state]
            request = request.sudo()
            requester = request.requester_id
            subject = self.env._("%(name)s: %(state)s", name=request.name, state=state)
            body = Markup("<p>%s</p>") % self.env._(
                "Your request %(name)s is %(state)s. %(reason)s",
                name=request.name,
                state=state.lower(),
                reason=request.close_reason or "",
            )
            if requester.notification_type == "email" and requester.email:
                link = Markup('<p><a href="%s">%s</a></p>') % (
                    request._request_url(),
                    self.env._("Open the request"),
                )
                mail = request._mail_vals(requester, subject, body + link)
                # the requester is the message's recipient, as in Odoo's
                # notifications
                mail["partner_ids"] = [Command.link(requester.partner_id.id)]
                mails.append(mail)
                continue
            sender = request._sender()
            request.message_notify(
                partner_ids=requester.partner_id.ids,
                # given, so that they are not looked up
                author_id=self.env.user.partner_id.id,
                email_from=sender,
                reply_to=sender,
                record_company_id=request.company_id.id,
                record_alias_domain_id=request.company_id.alias_domain_id.id,
                subject=subject,
                body=body,
                model_description=self.env._("Approval"),
            )
        self._send_mails(mails)

    def _request_url(self):
        return f"{self.get_base_url()}/mail/view?model={self._name}&res_id={self.id}"

    def _mail_vals(self, user, subject, body):
        """An e-mail of the engine to ``user`` about this request."""
        return {
            "subject": subject,
            "email_to": user.email_formatted,
            "body_html": body,
            "auto_delete": True,
            "model": self._name,
            "res_id": self.id,
            # a mail.mail is also a message: as a user notification it stays
            # out of the request's chatter, where its empty body read "This
            # message has been removed"
            "message_type": "user_notification",
            "email_from": self._sender(),
            "reply_to": self._sender(),
        }

    @api.model
    def _send_mails(self, mails):
        """Create the engine's e-mails ``mails`` (values), with a batch's
        when one is open."""
        batch = current_batch()
        if batch is not None:
            batch["mails"].extend(mails)
        else:
            self._create_messages(mails)

    def _link_signer(self):
        def sign(payload):
            return odoo_hmac(self.env(su=True), LINK_SCOPE, payload)

        return sign

    def _link_token(self, step, user, validity_hours=None):
        hours = (
            validity_hours
            or (self.matrix_id and self.matrix_id._config()["link_validity_hours"])
            or 72
        )
        return make_token(self._link_signer(), step.id, user.id, hours)

    @api.model
    def _from_link_token(self, token):
        """(request step, user) a link stands for; an error when it is not valid."""
        invalid = UserError(self.env._("This approval link is not valid."))
        try:
            step_id, user_id = read_token(self._link_signer(), token)
        except InvalidToken as error:
            raise invalid from error
        except ExpiredToken as error:
            raise UserError(self.env._("This approval link has expired.")) from error
        step = self.env["gov.approval.request.step"].sudo().browse(step_id).exists()
        user = self.env["res.users"].sudo().browse(user_id).exists()
        if not step or not user or not user.active:
            raise invalid
        mine = step.request_id.decision_ids.filtered(
            lambda d: user in (d.user_id | d.approver_id)
        )
        if step in mine.step_id:
            raise UserError(self.env._("This approval link has already been used."))
        if mine:
            # one decision per request, whichever step it counted on
            raise UserError(
                self.env._(
                    "You have already decided on %(name)s.", name=step.request_id.name
                )
            )
        if step.state != "pending":
            raise UserError(self.env._("This request no longer waits for this step."))
        return step, user

    def _notify_approvers(self, step, users):
        """E-mail each approver: a signed link when the matrix allows it,
        otherwise a link to the request in Odoo."""
        base_url = self.get_base_url()
        links = bool(self.matrix_id) and self.matrix_id._config()["allow_email_links"]
        mails = []
        # the approvers' and the requester's partners in one read
        (users | self.requester_id).partner_id.mapped("email")
        for user in users.filtered("email"):
            if links:
                token = self._link_token(step, user)
                url = f"{base_url}/gov/approval/link/{token}"
            else:
                url = self._request_url()
            body = self.env["ir.qweb"]._render(
                "gov_approval.approval_link_mail",
                {
                    "approval": self,
                    "step": step,
                    "user": user,
                    "url": url,
                    "signed_link": links,
                },
            )
            mails.append(
                self._mail_vals(
                    user,
                    self.env._("Approval needed: %(name)s", name=self.name),
                    body,
                )
            )
        self._send_mails(mails)
