# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Working an item by hand: retry now, replay as it is or with an edited
payload, and close without replay. Each is audited (who, what changed, the
outcome)."""

import json

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.engine import queue_writes
from ..tools.payload import dumps, json_diff
from .gov_exception_item import CLOSED_STATES


class GovExceptionItem(models.Model):
    """Retry, replay and close, by the people who work the item."""

    _inherit = "gov.exception.item"  # pylint: disable=consider-merging-classes-inherited

    def action_retry_now(self):
        """Run the handlers now, as they are (single or bulk)."""
        return self._run_by_hand("manual", "exception.retry_now")

    def action_replay(self):
        """Replay as-is (single or bulk by filter); the form also offers editing."""
        return self._run_by_hand("replay", "exception.replay")

    def _run_by_hand(self, kind, event_type):
        items = self._work_as()
        items._check_replayable()
        with queue_writes():
            attempts = items._run_handlers(kind)
        items._audit_runs(event_type, attempts)
        return items._notify_outcome(attempts)

    def action_open_replay_wizard(self):
        self.ensure_one()
        self._work_as()._check_replayable()
        return self._wizard_action(
            self.env._("Edit and Replay"),
            "gov.exception.replay.wizard",
            {"default_item_id": self.id},
        )

    def action_open_close_wizard(self):
        self._work_as()._check_open()
        return self._wizard_action(
            self.env._("Close Items"),
            "gov.exception.close.wizard",
            {
                "default_item_ids": self.ids,
                "default_resolution": self.env.context.get("gov_close_as", "resolved"),
            },
        )

    def _wizard_action(self, name, res_model, context):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _check_replayable(self):
        self._check_open()
        missing = self.filtered(lambda i: not i.has_handler)
        if missing:
            raise UserError(
                self.env._(
                    "These items have no handler to run again: %s",
                    ", ".join(missing.mapped("display_name")),
                )
            )

    def replay_with_payload(self, payload_text):
        """Replay one item with an edited payload; the edit is audited."""
        self.ensure_one()
        item = self._work_as()
        with queue_writes():
            return item._replay_with_payload(payload_text)

    def _replay_with_payload(self, payload_text):
        self._check_replayable()
        if self.payload_is_json:
            try:
                new_payload = json.loads(payload_text or "null")
            except ValueError as exc:
                raise ValidationError(
                    self.env._("The payload is not valid JSON: %s", exc)
                ) from exc
            old_payload = self._get_payload()
            diff = json_diff(old_payload, new_payload)
            new_text = dumps(new_payload)
        else:
            new_payload = payload_text or ""
            old_payload = self._get_payload_text()
            diff = (
                [] if old_payload == new_payload else [("$", old_payload, new_payload)]
            )
            new_text = new_payload
        vals = {}
        if diff:
            if not self.original_payload:
                vals["original_payload"] = self._get_payload_text()
            vals.update(self._payload_vals(new_text, self.payload_is_json))
            full = vals.pop("_payload_full", None)
            attachment = self.payload_attachment_id
            if full is None and attachment:
                vals["payload_attachment_id"] = False
            # the item first: outside the queue's grant nothing is written
            self.write(vals)
            if full is not None:
                attachment.sudo().raw = full.encode()
        attempts = self._run_handlers(
            "edited_replay" if diff else "replay", new_payload
        )
        self._audit_runs(
            "exception.replay",
            attempts,
            extra={"payload_diff": [list(change) for change in diff]},
        )
        return attempts[0]

    def close_items(self, resolution, note):
        """Resolve or ignore without replay; a note is required."""
        if resolution not in CLOSED_STATES:
            raise UserError(self.env._("Items are closed as resolved or ignored."))
        if not (note or "").strip():
            raise UserError(
                self.env._("Say why these items are closed without replay.")
            )
        items = self._work_as()
        with queue_writes():
            return items._close_items(resolution, note)

    def _close_items(self, resolution, note):
        self._check_open()
        self.write(
            {
                "state": resolution,
                "resolution_note": note.strip(),
                "closed_by_id": self.env.uid,
                "closed_date": fields.Datetime.now(),
                "next_attempt_date": False,
            }
        )
        self.activity_unlink(["gov_exception.mail_activity_type_exception"])
        Event = self.env["gov.audit.event"]
        for item in self:
            Event.record(
                f"exception.{resolution}",
                self.env._(
                    "%(item)s %(state)s: %(note)s",
                    item=item.name,
                    state=resolution,
                    note=note.strip(),
                )[:1000],
                record=item,
                details={"note": note.strip(), "category": item.category},
                correlation_id=item.correlation_id or None,
            )
        return True

    def _audit_runs(self, event_type, attempts, extra=None):
        Event = self.env["gov.audit.event"]
        by_item = {attempt["item_id"]: attempt for attempt in attempts}
        for item in self:
            attempt = by_item.get(item.id)
            if not attempt:
                continue
            details = {
                "outcome": attempt["outcome"],
                "error": attempt.get("error"),
                **(extra or {}),
            }
            Event.record(
                event_type,
                self.env._(
                    "%(item)s run again by hand: %(outcome)s",
                    item=item.name,
                    outcome=attempt["outcome"],
                ),
                record=item,
                details=details,
                correlation_id=item.correlation_id or None,
            )
