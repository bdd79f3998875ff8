# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scheduled work on open steps: escalation past their deadline and
reminders to the approvers who have not decided yet.

Both scale with the number of steps, not with what each step writes: a
batch marks its steps in one write (escalation claims, locks and marks them
in one statement) and tells each person once, with a digest (one activity
and one e-mail for an escalation target, one e-mail for an approver
reminded) listing every request of the batch, the activities and e-mails of
a batch created together; the audit log gets one event per escalation
target of a batch and company, naming each step escalated.
"""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.gov_base.tools.batches import run_batch

from ..tools.engine import approval_writes
from ..tools.links import make_token
from .gov_approval_request import ESCALATION_BATCH


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Escalation of overdue steps
    # ------------------------------------------------------------------
    @api.model
    def _escalation_domain(self):
        return [
            ("state", "=", "pending"),
            ("escalated", "=", False),
            ("deadline", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _take_overdue(self, batch_size):
        """Claim up to ``batch_size`` overdue steps that no other transaction
        holds: lock them and mark them escalated in one statement (the lock
        a separate write would take again), in deadline order. The caller
        escalates them in the same transaction (``_escalate_steps``)."""
        Step = self.env["gov.approval.request.step"].sudo()
        query = Step._search(
            self._escalation_domain(), order="deadline, id", limit=batch_size
        )
        with approval_writes():
            # one set-based write: no stored field depends on the flag, and it
            # tells no document anything (nothing to invalidate there)
            rows = self.env.execute_query(
                SQL(
                    """UPDATE gov_approval_request_step
                          SET escalated = TRUE, write_uid = %s,
                              write_date = now() AT TIME ZONE 'UTC'
                        WHERE id IN (%s FOR UPDATE SKIP LOCKED)
                    RETURNING deadline, id""",
                    self.env.uid,
                    query.select(),
                )
            )
        steps = Step.browse(step_id for _deadline, step_id in sorted(rows))
        steps.invalidate_recordset(["escalated", "write_uid", "write_date"])
        return steps

    @api.model
    def _cron_escalate(self, batch_size=ESCALATION_BATCH):
        """Scheduled action: escalate one batch of overdue steps per call."""
        Step = self.env["gov.approval.request.step"].sudo()
        return run_batch(
            self.env,
            self._take_overdue,
            batch_size=batch_size,
            process_batch=self._escalate_steps,
            count_remaining=lambda: Step.search_count(self._escalation_domain()),
        )

    @api.model
    def _escalate_due(self, batch_size=ESCALATION_BATCH):
        """Escalate one batch of overdue steps nobody else holds, each once,
        without committing; returns the steps escalated."""
        steps = self._take_overdue(batch_size)
        self._escalate_steps(steps)
        return steps

    @api.model
    def _step_rows(self, steps, relation):
        """What escalation and reminders read of ``steps`` and their
        requests: a dict per step, in the order of ``steps``, with the users
        of the steps' ``relation`` (``approver`` or ``pending``) as
        ``user_ids``. One query per table, each by primary key, so that its
        cost follows the batch and never the size of the tables."""
        self.env.flush_all()
        rows = self.env.execute_query_dict(
            SQL(
                """SELECT id, name, deadline, company_id, request_id,
                          escalation_user_id AS target,
                          escalation_add_approver AS add_target
                     FROM gov_approval_request_step WHERE id = ANY(%s)""",
                steps.ids,
            )
        )
        requests = {
            row["id"]: row
            for row in self.env.execute_query_dict(
                SQL(
                    """SELECT r.id, r.name, r.res_model, r.res_id, r.requester_id,
                              r.matrix_id, p.name AS requester
                         FROM gov_approval_request r
                         LEFT JOIN res_users u ON u.id = r.requester_id
                         LEFT JOIN res_partner p ON p.id = u.partner_id
                        WHERE r.id = ANY(%s)""",
                    list({row["request_id"] for row in rows}),
                )
            )
        }
        users = defaultdict(list)
        for step_id, user_id in self.env.execute_query(
            SQL(
                "SELECT step_id, user_id FROM %s WHERE step_id = ANY(%s)"
                " ORDER BY step_id, user_id",
                SQL.identifier(f"gov_approval_request_step_{relation}_rel"),
                steps.ids,
            )
        ):
            users[step_id].append(user_id)
        by_id = {}
        for row in rows:
            request = requests[row["request_id"]]
            row.update(
                request=request["name"],
                res_model=request["res_model"],
                res_id=request["res_id"],
                requester_id=request["requester_id"],
                requester=request["requester"],
                matrix_id=request["matrix_id"],
                user_ids=users[row["id"]],
            )
            by_id[row["id"]] = row
        return [by_id[step_id] for step_id in steps.ids if step_id in by_id]

    @api.model
    def _escalate_steps(self, steps):
        """Escalate ``steps`` (claimed by ``_take_overdue``, which marked
        them) in a constant number of queries: read them (``_step_rows``), add
        the targets who may approve (one write per target), then tell each
        target once and write one audit event per target and company."""
        if not steps:
            return
        rows = self._step_rows(steps, "approver")
        Step = self.env["gov.approval.request.step"].sudo()
        adding = defaultdict(list)
        for row in rows:
            row["added"] = bool(
                row["target"]
                and row["add_target"]
                and row["target"] != row["requester_id"]
                and row["target"] not in row["user_ids"]
            )
            if row["added"]:
                adding[row["target"]].append(row["id"])
        with approval_writes():
            for target_id, step_ids in adding.items():
                Step.browse(step_ids).write(
                    {
                        "approver_ids": [Command.link(target_id)],
                        "pending_approver_ids": [Command.link(target_id)],
                    }
                )
        by_target = defaultdict(list)
        for row in rows:
            by_target[row["target"]].append(row)
        # the targets, read together
        Users = self.env["res.users"].sudo()
        targets = {user.id: user for user in Users.browse(filter(None, by_target))}
        events, activities, digests = [], [], {}
        for target_id, mine in by_target.items():
            target = targets.get(target_id, Users)
            if target:
                activities.append(self._escalation_activity(target, mine))
                added = [row for row in mine if row["added"]]
                if added:
                    digests[target] = added
            by_company = defaultdict(list)
            for row in mine:
                by_company[row["company_id"]].append(row)
            for company_id, part in by_company.items():
                events.append(self._escalation_event(target, company_id, part))
        # one write per kind for the whole batch, whatever the number of targets
        if activities:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(activities)
        self._mail_digests(
            digests,
            lambda count: self.env._(
                "%(count)s overdue approvals now wait for your decision",
                count=count,
            ),
            intro=self.env._(
                "These approval requests are overdue and were escalated to"
                " you: you can now decide on them."
            ),
        )
        self.env["gov.audit.event"]._create_events(events)

    @api.model
    def _escalation_event(self, target, company_id, rows):
        """The audit event of the steps of ``rows`` escalated to ``target``
        in one company: each step, its request and document, and whether the
        target was made an approver of it."""
        return self.env["gov.audit.event"]._prepare_event_vals(
            "approval.escalated",
            self.env._(
                "%(count)s overdue approval steps escalated to %(user)s",
                count=len(rows),
                user=target.name or self.env._("nobody"),
            ),
            details={
                "to": target.login or None,
                "steps": [
                    {
                        "request": row["request"],
                        "request_id": row["request_id"],
                        "document": f"{row['res_model']},{row['res_id']}",
                        "step": row["name"],
                        "deadline": fields.Datetime.to_string(row["deadline"]),
                        "added_as_approver": row["added"],
                    }
                    for row in rows
                ],
            },
            company=self.env["res.company"].browse(company_id),
        )

    @api.model
    def _escalation_activity(self, target, rows):
        """The values of the one activity telling ``target`` of the requests
        of ``rows`` escalated to them (a digest, not one per request); the
        ones they can now decide also come by e-mail, with a link each."""
        added = [row for row in rows if row["added"]]
        names = ", ".join(row["request"] for row in rows)
        note = Markup("<p>%s</p><p>%s</p>") % (
            self.env._("Escalated to you: %(names)s.", names=names),
            self.env._(
                "You can now decide on %(count)s of them (My Approvals).",
                count=len(added),
            )
            if added
            else self.env._("For your information: you cannot decide on them."),
        )
        return {
            "activity_type_id": self.env["ir.model.data"]._xmlid_to_res_id(
                "gov_approval.mail_activity_type_escalation"
            ),
            "user_id": target.id,
            "date_deadline": fields.Date.context_today(self),
            "summary": self.env._(
                "%(count)s overdue approvals escalated to you", count=len(rows)
            ),
            "note": note,
            "automated": True,
        }

    @api.model
    def _mail_digests(self, rows_by_user, subject, intro):
        """One e-mail to each user of ``rows_by_user`` (``{user: rows}``)
        who has an address, listing the requests of their rows, each with a
        link (a signed one where the request's matrix allows them); all
        created in one go. ``subject(count)`` is the subject of a digest of
        ``count`` requests."""
        mails = [
            self._digest_mail(user, rows, subject(len(rows)), intro)
            for user, rows in rows_by_user.items()
            if user.email
        ]
        if mails:
            self.env["mail.mail"].sudo().create(mails)

    @api.model
    def _digest_mail(self, user, rows, subject, intro):
        """The values of the e-mail to ``user`` listing the requests of
        ``rows``."""
        Matrix = self.env["gov.approval.matrix"].sudo()
        base_url = self.sudo().get_base_url()
        review = self.env._("Review and decide")
        items, signed = [], False
        sign = self._link_signer()
        for row in rows:
            config = row["matrix_id"] and Matrix.browse(row["matrix_id"])._config()
            if config and config["allow_email_links"]:
                hours = config["link_validity_hours"] or 72
                token = make_token(sign, row["id"], user.id, hours)
                url, signed = f"{base_url}/gov/approval/link/{token}", True
            else:
                url = (
                    f"{base_url}/mail/view?model={self._name}"
                    f"&res_id={row['request_id']}"
                )
            items.append(
                Markup('<li><strong>%s</strong> (%s, %s): <a href="%s">%s</a></li>')
                % (row["request"], row["name"], row["requester"] or "", url, review)
            )
        body = Markup("<div><p>%s</p><p>%s</p><ul>%s</ul>%s</div>") % (
            self.env._("Hello %(name)s,", name=user.name),
            intro,
            Markup("").join(items),
            Markup('<p style="color: #888">%s</p>')
            % self.env._(
                "Each link works once and expires. Opening it decides nothing."
            )
            if signed
            else "",
        )
        sender = self._sender()
        return {
            "subject": subject,
            "email_to": user.email_formatted,
            "body_html": body,
            "auto_delete": True,
            "email_from": sender,
            "reply_to": sender,
        }

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    @api.model
    def _cron_remind(self, batch_size=ESCALATION_BATCH):
        """Scheduled action: remind the approvers of one batch of steps."""
        return run_batch(
            self.env,
            self._take_reminders,
            batch_size=batch_size,
            process_batch=self._remind_steps,
            count_remaining=self._count_reminders,
        )

    @api.model
    def _remind_due(self, batch_size=ESCALATION_BATCH):
        """Remind one batch of steps without committing; returns them."""
        steps = self._take_reminders(batch_size)
        self._remind_steps(steps)
        return steps

    @api.model
    def _reminders_sql(self):
        """Steps due a reminder: waiting ``reminder_hours`` (of their matrix)
        since they opened or since their last reminder."""
        self.env["gov.approval.request.step"].flush_model()
        return SQL(
            """FROM gov_approval_request_step s
                 JOIN gov_approval_request r ON r.id = s.request_id
                 JOIN gov_approval_matrix m ON m.id = r.matrix_id
                WHERE s.state = 'pending' AND m.reminder_hours > 0
                  AND COALESCE(s.last_reminder_date, s.write_date)
                      <= %s - make_interval(hours => m.reminder_hours)""",
            fields.Datetime.now(),
        )

    @api.model
    def _take_reminders(self, batch_size):
        rows = self.env.execute_query(
            SQL(
                "SELECT s.id %s ORDER BY s.id LIMIT %s FOR UPDATE OF s SKIP LOCKED",
                self._reminders_sql(),
                batch_size,
            )
        )
        return self.env["gov.approval.request.step"].sudo().browse(r[0] for r in rows)

    @api.model
    def _count_reminders(self):
        [(count,)] = self.env.execute_query(
            SQL("SELECT count(*) %s", self._reminders_sql())
        )
        return count

    @api.model
    def _remind_steps(self, steps):
        """Stamp ``steps`` in one write and send each approver who has not
        decided one e-mail listing every request of the batch waiting for
        them."""
        if not steps:
            return
        rows = self._step_rows(steps, "pending")
        with approval_writes():
            steps.sudo().write({"last_reminder_date": fields.Datetime.now()})
        waiting = defaultdict(list)
        for row in rows:
            for user_id in row["user_ids"]:
                waiting[user_id].append(row)
        users = self.env["res.users"].sudo().browse(list(waiting))
        self._mail_digests(
            {user: waiting[user.id] for user in users},
            lambda count: self.env._(
                "Reminder: %(count)s approvals wait for your decision", count=count
            ),
            intro=self.env._(
                "Reminder: these approval requests wait for your decision."
            ),
        )
