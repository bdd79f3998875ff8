# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a record of a model governed without code does at the gate: an
action waits for approval, a new record is held archived until its creation
is approved, and a change of governed fields is held as a change request
(four-eyes) while the other fields of the same write are saved at once.

The wrapped methods (``tools/nocode.py``) call in here; the approval that
follows is the engine's (``_resume`` runs the action, activates the record
or applies the change as the requester, under the requester's rights).
"""

from odoo import models
from odoo.exceptions import UserError

from ..tools.engine import approval_writes, resumed_request_id
from .gov_approval_matrix_nocode import CREATE_ACTION, FIELDS_ACTION

LIVE = ("pending", "approved")


class Base(models.AbstractModel):
    _inherit = "base"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _gov_approval_nocode_gate(self, action):
        """Records that may run ``action`` now; the approval each one uses
        is spent. The others get a request (or keep their pending one)."""
        if not self._gov_approval_is_governed():
            return self
        cleared = self.browse()
        with approval_writes():
            for record in self:
                resumed = record._gov_approval_resumed(action)
                if resumed:
                    resumed.write({"action_done": True})
                    cleared |= record
                    continue
                status, live, route = record._gov_approval_evaluate(action)
                if status in ("changed", "required"):
                    live = record._gov_approval_replace(live, action, route)
                    status = "approved" if live.state == "approved" else "pending"
                if status == "approved":
                    live.write({"action_done": True})
                if status in ("free", "approved"):
                    cleared |= record
        return cleared

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------
    def _gov_approval_hold_created(self):
        """New records a matrix governs the creation of: archived, with a
        request; activated when it is approved."""
        if not self._gov_approval_is_governed():
            return
        held = self.browse()
        with approval_writes():
            for record in self:
                status, live, route = record._gov_approval_evaluate(CREATE_ACTION)
                if status == "free":
                    continue
                record.sudo().with_context(active_test=False).write({"active": False})
                request = record._gov_approval_replace(live, CREATE_ACTION, route)
                if request.state == "approved":
                    request._resume()
                else:
                    held |= record
        held._gov_approval_notify_held(
            self.env._("%(records)s will be active once their creation is approved.")
        )

    def _gov_approval_activate_created(self):
        """Run by the engine once the creation is approved."""
        self.write({"active": True})

    def _gov_approval_held_creation(self):
        """The records (archived) whose creation was not approved."""
        Request = self.env["gov.approval.request"].sudo()
        inactive = self.filtered(lambda r: not r.active)
        if not inactive:
            return inactive
        requests = Request.search_fetch(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", inactive.ids),
                ("action", "=", CREATE_ACTION),
            ],
            ["res_id", "state", "action_done"],
            order="id desc",
        )
        last = {}
        for request in requests:
            last.setdefault(request.res_id, request)
        return inactive.filtered(
            lambda r: (
                r.id in last
                and not (last[r.id].state == "approved" and last[r.id].action_done)
            )
        )

    # ------------------------------------------------------------------
    # Field changes
    # ------------------------------------------------------------------
    def _gov_approval_held_write(self, vals, write):
        """Write ``vals`` through ``write(records, values)``, holding what
        needs an approval first: the governed fields a matrix routes to
        approvers, and the activation of a record whose creation waits."""
        if not self._gov_approval_is_governed():
            return write(self, vals)
        config = self.env["gov.approval.matrix"]._nocode_config()[self._name]
        plans = []
        if config["create"] and vals.get("active"):
            held_creation = self._gov_approval_held_creation()
        else:
            held_creation = self.browse()
        for record in self:
            held = record._gov_approval_changes(vals, config)
            creation = record in held_creation and not resumed_request_id(
                (record._name, record.id, CREATE_ACTION)
            )
            plans.append((record, held, creation))
        free = self.browse().union(
            *(record for record, held, creation in plans if not held and not creation)
        )
        if free:
            write(free, vals)
        for record, held, creation in plans:
            if not held and not creation:
                continue
            rest = {
                name: value
                for name, value in vals.items()
                if name not in held and not (creation and name == "active")
            }
            if creation and record._gov_approval_ask_activation():
                rest["active"] = vals["active"]  # approved: activated now
            if rest:
                write(record, rest)
            if held:
                record._gov_approval_propose(held)
        return True

    def _gov_approval_changes(self, vals, config):
        """The values of ``vals`` to hold for one record: none when no matrix
        routes their change to approvers, or the engine is applying an
        approved change."""
        self.ensure_one()
        names = set(vals) & config["fields"]
        if not names or resumed_request_id((self._name, self.id, FIELDS_ACTION)):
            return {}
        with approval_writes():
            status, _live, route = self._gov_approval_evaluate(FIELDS_ACTION)
        if status == "free":
            return {}
        governed = set(route[0].field_ids.mapped("name")) & names
        return {
            name: vals[name]
            for name in governed
            if self._gov_approval_differs(name, vals[name])
        }

    def _gov_approval_differs(self, name, value):
        """Whether writing ``value`` changes field ``name`` of the record."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return True
        try:
            new = field.convert_to_record(
                field.convert_to_cache(value, self, validate=False), self
            )
        except (ValueError, TypeError):
            return True
        return new != self[name]

    def _gov_approval_propose(self, changes):
        """Hold ``changes`` of the record as a change request."""
        self.ensure_one()
        self.check_access("write")
        Request = self.env["gov.approval.request"].sudo()
        with approval_writes():
            status, live, route = self._gov_approval_evaluate(FIELDS_ACTION)
            if live.state == "pending" and status == "pending":
                raise UserError(
                    self.env._(
                        "A change of %(record)s already waits for approval:"
                        " withdraw it or wait for the decision before"
                        " proposing another.",
                        record=self.display_name,
                    )
                )
            request = self._gov_approval_replace(live or Request, FIELDS_ACTION, route)
            self.env["gov.approval.change"]._propose(request, self, changes)
            if request.state == "approved":
                request._resume()
                return
        self._gov_approval_notify_held(
            self.env._(
                "The change of %(records)s waits for approval; the other"
                " changes are saved."
            )
        )

    def _gov_approval_ask_activation(self):
        """A held record someone activates: True when its creation is
        approved (the approval is spent now); otherwise the approval is asked
        again if none waits, and the record stays archived."""
        with approval_writes():
            status, live, route = self._gov_approval_evaluate(CREATE_ACTION)
            if status in ("free", "approved"):
                live.write({"action_done": True})
                return True
            if status in ("changed", "required"):
                self._gov_approval_replace(live, CREATE_ACTION, route)
        self._gov_approval_notify_held(
            self.env._("%(records)s will be active once their creation is approved.")
        )
        return False

    def _gov_approval_apply_change(self):
        """Run by the engine once a change is approved: write the held
        values as the requester (``_resume``), under their access rights."""
        request_id = resumed_request_id((self._name, self.id, FIELDS_ACTION))
        change = (
            self.env["gov.approval.change"]
            .sudo()
            .search([("request_id", "=", request_id)], limit=1)
        )
        if change:
            self.write(change._values_to_write())

    def _gov_approval_notify_held(self, message):
        """Tell the user, in their browser, that what they did waits."""
        if not self:
            return
        self.env.user._bus_send(
            "simple_notification",
            {
                "type": "warning",
                "title": self.env._("Approval required"),
                "message": message
                % {"records": ", ".join(self.sudo().mapped("display_name"))},
            },
        )
