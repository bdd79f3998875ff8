# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data only: documents put on their way through a matrix by the
engine, today (``_demo_flow``) or over the past weeks (``_demo_history``),
so that a demo database shows requests, decisions and the cockpit's trends.

The history is made by the engine at install time, then what it made is
moved back to the dates of its story with plain SQL: the documents, the
requests, their steps, decisions, chatter messages and approval
activities. Audit events keep the install date: the audit log is
append-only (the database refuses any UPDATE) and each event's time is
covered by its signature and the hash chain.
"""

from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL


class GovApprovalRequest(models.Model):
    _inherit = "gov.approval.request"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    @api.private
    def _demo_flow(self, document, method, requester_id, decisions=(), args=()):
        """Demo data only: ``requester_id`` runs the governed ``method`` of
        ``document`` (an ``(model, id)`` pair) with ``args`` (the values of a
        governed ``write``, say), then each ``(user id, decision, reason)``
        is decided in turn, through the same checks as in the user
        interface."""
        model, res_id = document
        # while modules load, matrices governing without code are not wrapped
        # yet (that happens once the registry is ready): wrap them now
        self.env["gov.approval.matrix"]._gov_nocode_register()
        record = self.env[model].browse(res_id).with_user(requester_id)
        getattr(record, method)(*args)
        for user_id, decision, reason in decisions:
            request = self.sudo().search(
                [
                    ("res_model", "=", model),
                    ("res_id", "=", res_id),
                    ("state", "=", "pending"),
                ],
                limit=1,
            )
            request.with_user(user_id)._decide(decision, reason, channel="ui")

    @api.model
    @api.private
    def _demo_history(
        self, model, method, entries, requested_fields=(), approved_fields=()
    ):
        """Demo data only: documents of ``model`` asked for approval and
        decided over the past weeks, through the engine's checks.

        Each entry is a dict: the ``requester`` (user id) creates a document
        of ``vals`` and runs its governed ``method`` ``days_ago`` days ago at
        ``hour`` (UTC, 9 by default); each of its ``decisions``, ``(user id,
        decision, reason, hours)``, is taken ``hours`` after the event before
        it (the request or the previous decision). The document's
        ``requested_fields`` are given the time it was requested when it is
        created; its ``approved_fields`` the time of its approval. Every
        event must lie in the past. Returns the requests made.
        """
        now = fields.Datetime.now()
        midnight = datetime.combine(now.date(), time())
        timelines = []
        for entry in entries:
            start = midnight - timedelta(days=entry["days_ago"])
            times = [start + timedelta(hours=entry.get("hour", 9))]
            for *_decision, hours in entry.get("decisions", ()):
                times.append(times[-1] + timedelta(hours=hours))
            if times[-1] > now:
                raise ValueError(
                    f"A demo story of {model} ends in the future ({times[-1]})."
                )
            timelines.append(times)
        stories = [
            self._demo_story(model, method, entry, times, requested_fields)
            for entry, times in zip(entries, timelines, strict=True)
        ]
        self._demo_backdate(stories, approved_fields)
        return self.browse().union(*(story["request"] for story in stories))

    @api.model
    def _demo_story(self, model, method, entry, times, requested_fields):
        """Run one entry of :meth:`_demo_history` now; return what it made
        and the time each of its messages and activities belongs to."""
        vals = dict(entry["vals"], **dict.fromkeys(requested_fields, times[0]))
        record = self.env[model].with_user(entry["requester"]).create(vals)
        getattr(record, method)()
        request = self.sudo().search(
            [("res_model", "=", model), ("res_id", "=", record.id)],
            order="id desc",
            limit=1,
        )
        story = {
            "record": record,
            "request": request,
            "times": times,
            "messages": {},
            "activities": {},
        }
        self._demo_mark(story, times[0])
        for (user_id, decision, reason, _hours), when in zip(
            entry.get("decisions", ()), times[1:], strict=True
        ):
            request.with_user(user_id)._decide(decision, reason, channel="ui")
            self._demo_mark(story, when)
        return story

    @api.model
    def _demo_mark(self, story, when):
        """Give ``when`` to the messages and activities of the story's
        document and request that appeared (or were done) since the last
        mark."""
        targets = [story["record"], story["request"]]
        domain = Domain.OR(
            Domain("model", "=", target._name) & Domain("res_id", "=", target.id)
            for target in targets
            if target
        )
        for message in self.env["mail.message"].sudo().search(domain):
            story["messages"].setdefault(message.id, when)
        activity_domain = Domain.OR(
            Domain("res_model", "=", target._name) & Domain("res_id", "=", target.id)
            for target in targets
            if target
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(activity_domain, ["active"])
        )
        for activity in activities:
            dates = story["activities"].setdefault(activity.id, [when, None])
            if not activity.active and dates[1] is None:
                dates[1] = when

    @api.model
    def _demo_backdate(self, stories, approved_fields):
        """Move what the stories made back to their times (plain SQL: these
        dates are written from the clock)."""
        self.env.flush_all()
        today = fields.Date.today()
        documents, requests, steps, decisions, messages, activities = (
            [] for _i in range(6)
        )
        for story in stories:
            times, request = story["times"], story["request"]
            start, last = times[0], times[-1]
            approved = last if request.state == "approved" else None
            documents.append(
                SQL(
                    "(%s, %s::timestamp, %s::timestamp, %s::timestamp)",
                    story["record"].id,
                    start,
                    last,
                    approved,
                )
            )
            for message_id, when in story["messages"].items():
                messages.append(SQL("(%s, %s::timestamp)", message_id, when))
            for activity_id, (created, done) in story["activities"].items():
                activities.append(
                    SQL(
                        "(%s, %s::timestamp, %s::timestamp)",
                        activity_id,
                        created,
                        done,
                    )
                )
            if not request:
                continue
            requests.append(
                SQL("(%s, %s::timestamp, %s::timestamp)", request.id, start, last)
            )
            ordered = request.decision_ids.sorted("id")
            for decision, when in zip(ordered, times[1:], strict=True):
                decisions.append(SQL("(%s, %s::timestamp)", decision.id, when))
            dates = dict(zip(ordered, times[1:], strict=True))
            for step, (done, deadline) in self._demo_step_dates(
                request, dates, start
            ).items():
                steps.append(
                    SQL(
                        "(%s, %s::timestamp, %s::timestamp, %s::timestamp,"
                        " %s::timestamp)",
                        step.id,
                        start,
                        done or last,
                        done,
                        deadline,
                    )
                )
        self._demo_update_documents(stories, documents, approved_fields)
        queries = [
            (
                requests,
                """UPDATE gov_approval_request r
                      SET create_date = v.created, write_date = v.changed,
                          date_decided = CASE WHEN r.date_decided IS NULL
                                         THEN NULL ELSE v.changed END,
                          cycle_hours = CASE WHEN r.date_decided IS NULL
                                        THEN r.cycle_hours
                                        ELSE EXTRACT(EPOCH FROM v.changed - v.created)
                                             / 3600 END
                     FROM (VALUES %s) AS v(id, created, changed)
                    WHERE r.id = v.id""",
            ),
            (
                steps,
                """UPDATE gov_approval_request_step s
                      SET create_date = v.created, write_date = v.changed,
                          date_done = v.done, deadline = v.deadline
                     FROM (VALUES %s) AS v(id, created, changed, done, deadline)
                    WHERE s.id = v.id""",
            ),
            (
                decisions,
                """UPDATE gov_approval_decision d
                      SET date = v.at, create_date = v.at, write_date = v.at
                     FROM (VALUES %s) AS v(id, at)
                    WHERE d.id = v.id""",
            ),
            (
                messages,
                """UPDATE mail_message m
                      SET date = v.at, create_date = v.at, write_date = v.at
                     FROM (VALUES %s) AS v(id, at)
                    WHERE m.id = v.id""",
            ),
        ]
        for rows, query in queries:
            if rows:
                self.env.cr.execute(SQL(query, SQL(", ").join(rows)))
        if activities:
            # the deadline moves back with the day the activity was given
            self.env.cr.execute(
                SQL(
                    """UPDATE mail_activity a
                          SET create_date = v.created,
                              write_date = COALESCE(v.done, v.created),
                              date_deadline = a.date_deadline
                                              - (%s::date - v.created::date),
                              date_done = CASE WHEN a.date_done IS NULL
                                          THEN NULL ELSE v.done::date END
                         FROM (VALUES %s) AS v(id, created, done)
                        WHERE a.id = v.id""",
                    today,
                    SQL(", ").join(activities),
                )
            )
        self.env.invalidate_all()

    @api.model
    def _demo_step_dates(self, request, decided_at, start):
        """``{step: (done, deadline)}`` for the steps of ``request`` when it
        was made at ``start`` and its decisions taken at ``decided_at``
        (``{decision: time}``): a stage opens when the one before it is
        done, its deadline is its SLA from then."""
        done_at = {}
        for decision, when in decided_at.items():
            step = decision.step_id
            done_at[step] = max(done_at.get(step, when), when)
        result = {}
        opened = start
        for stage in sorted(set(request.step_ids.mapped("stage"))):
            stage_steps = request.step_ids.filtered(lambda s, st=stage: s.stage == st)
            for step in stage_steps:
                done = (
                    done_at.get(step)
                    if step.state in ("approved", "rejected")
                    else None
                )
                deadline = (
                    opened + timedelta(hours=step.sla_hours)
                    if opened and step.deadline
                    else None
                )
                result[step] = (done, deadline)
            ends = [result[step][0] for step in stage_steps]
            approved = all(step.state == "approved" for step in stage_steps)
            opened = max(ends) if opened and approved and all(ends) else None
        return result

    @api.model
    def _demo_update_documents(self, stories, rows, approved_fields):
        """The documents' creation, last change and ``approved_fields``
        (those of approved documents only) moved back."""
        if not rows:
            return
        Model = stories[0]["record"]
        for name in approved_fields:
            if not Model._fields[name].store:
                raise ValueError(f"{Model._name}.{name} is not stored.")
        assignments = [
            SQL("create_date = v.created"),
            SQL("write_date = v.changed"),
            *(
                SQL(
                    "%s = CASE WHEN v.approved IS NULL THEN d.%s ELSE v.approved END",
                    SQL.identifier(name),
                    SQL.identifier(name),
                )
                for name in approved_fields
            ),
        ]
        self.env.cr.execute(
            SQL(
                """UPDATE %s d SET %s
                     FROM (VALUES %s) AS v(id, created, changed, approved)
                    WHERE d.id = v.id""",
                SQL.identifier(Model._table),
                SQL(", ").join(assignments),
                SQL(", ").join(rows),
            )
        )
