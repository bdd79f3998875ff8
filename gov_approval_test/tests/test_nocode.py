# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Matrices that govern models no bridge knows, without code: an action
(archiving a contact), the creation of records and changes of fields (bank
accounts), through Odoo's public routes, server actions and sudo code."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tools import nocode
from odoo.addons.gov_approval.tools.engine import technical_bypass
from odoo.addons.gov_base.tests.rpc import ROUTES, RpcRoutesMixin

PARTNER_EDITOR = "base.group_partner_manager,gov_base.gov_base_group_user"
APPROVER = "gov_base.gov_base_group_approver"
BANK_FIELDS = ("acc_number", "partner_id", "allow_out_payment")


def wrapped(model_class, name):
    """Whether the approval engine wraps ``name`` on ``model_class`` (other
    modules may wrap it too, above or below)."""
    current = model_class.__dict__.get(name)
    while current is not None:
        if getattr(current, "_gov_nocode", False):
            return True
        current = getattr(current, "origin", None)
    return False


class NocodeCase(HttpCase, RpcRoutesMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.requester = new_test_user(
            cls.env, login="nc_requester", groups=PARTNER_EDITOR
        )
        cls.approver = new_test_user(cls.env, login="nc_approver", groups=APPROVER)
        cls.matrix_manager = new_test_user(
            cls.env,
            login="nc_matrix_manager",
            groups="gov_base.gov_base_group_matrix_manager",
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.holder = cls.env["res.partner"].create({"name": "Holder"})
        cls.other_holder = cls.env["res.partner"].create({"name": "Other Holder"})
        cls.Request = cls.env["gov.approval.request"]

    @classmethod
    def nocode_matrix(cls, kind, model, button=None, fields=(), env=None, **vals):
        env = env or cls.env
        values = {
            "name": vals.pop("name", f"No-code {kind} {model}"),
            "kind": kind,
            "res_model_id": env["ir.model"]._get_id(model),
            "company_id": cls.company.id,
            "line_ids": [
                Command.create(
                    {
                        "min_amount": 0,
                        "max_amount": 0,
                        "step_ids": [
                            Command.create(
                                {
                                    "name": "Controller",
                                    "approver_type": "user",
                                    "user_ids": [Command.set(cls.approver.ids)],
                                }
                            )
                        ],
                    }
                )
            ],
            **vals,
        }
        if button:
            catalogue = env["gov.approval.button"]._sync_model(model)
            values["button_id"] = catalogue.filtered(lambda b: b.method == button).id
        if fields:
            values["field_ids"] = [
                Command.set(
                    [env["ir.model.fields"]._get(model, name).id for name in fields]
                )
            ]
        return env["gov.approval.matrix"].create(values)

    def request_of(self, record, action=None):
        domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        if action:
            domain.append(("action", "=", action))
        return self.Request.search(domain, order="id desc", limit=1)

    def make_bank(self, number="BE71 0961 2345 6769"):
        return self.env["res.partner.bank"].create(
            {"acc_number": number, "partner_id": self.holder.id}
        )


@tagged("post_install", "-at_install")
class TestGovernedButton(NocodeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = cls.nocode_matrix("button", "res.partner", button="action_archive")

    def partner(self, name="Supplier"):
        return self.env["res.partner"].create({"name": name})

    def test_catalogue_lists_actions_by_label(self):
        catalogue = self.env["gov.approval.button"]._sync_model("res.partner")
        archive = catalogue.filtered(lambda b: b.method == "action_archive")
        self.assertEqual(archive.name, "Archive")
        self.assertFalse(catalogue.filtered(lambda b: b.method.startswith("_")))
        Button = self.env["gov.approval.button"]
        for method in ("write", "unlink", "create", "_compute_display_name", "search"):
            self.assertFalse(Button._governable_method("res.partner", method), method)
        self.assertFalse(Button._governable_model("ir.rule"))
        self.assertFalse(Button._governable_model("gov.approval.request"))

    def test_matrix_manager_picks_the_action_by_its_label(self):
        form = Form(self.env["gov.approval.matrix"].with_user(self.matrix_manager))
        form.name = "Archiving bank accounts"
        form.kind = "button"
        form.res_model_id = self.env["ir.model"]._get("res.partner.bank")
        archive = self.env["gov.approval.button"].search(
            [("res_model", "=", "res.partner.bank"), ("method", "=", "action_archive")]
        )
        self.assertEqual(archive.display_name, "Archive (action_archive)")
        form.button_id = archive
        with form.line_ids.new() as band:
            band.min_amount = 0
        matrix = form.save()
        self.assertEqual(matrix.res_model, "res.partner.bank")
        self.assertEqual(matrix.route_key, "res.partner.bank:button:action_archive")
        self.assertFalse(matrix.action)
        event = self.env["gov.audit.event"].search(
            [("event_type", "=", "approval.matrix_created")], order="id desc", limit=1
        )
        self.assertIn("action_archive", str(event.details))

    def test_blocked_on_every_route(self):
        for route in ROUTES:
            partner = self.partner(f"Supplier {route}")
            result = self.rpc(
                route, self.requester, "res.partner", "action_archive", partner.ids
            )
            self.assertTrue(result, f"{route}: {result.error}")
            self.assertEqual(result.value["tag"], "display_notification", route)
            partner.invalidate_recordset()
            self.assertTrue(partner.active, f"{route} archived it without approval")
            request = self.request_of(partner)
            self.assertEqual(request.state, "pending", route)
            self.assertEqual(request.requester_id, self.requester)
            self.assertEqual(request.action_label, "Archive")

    def test_blocked_under_sudo_in_a_server_action(self):
        partner = self.partner()
        action = self.env["ir.actions.server"].create(
            {
                "name": "Archive quietly",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "state": "code",
                "code": "records.sudo().action_archive()",
            }
        )
        action.with_user(self.admin).with_context(
            active_model="res.partner", active_ids=partner.ids, active_id=partner.id
        ).run()
        self.assertTrue(partner.active)
        request = self.request_of(partner)
        self.assertEqual(request.state, "pending")
        # nobody approves their own request, administrators included
        with self.assertRaises(AccessError):
            request.with_user(self.admin)._decide("approve")

    def test_approval_by_another_user_runs_it_as_the_requester(self):
        partner = self.partner()
        partner.with_user(self.requester).action_archive()
        request = self.request_of(partner)
        with self.assertRaises(AccessError):
            request.with_user(self.requester)._decide("approve")
        self.assertTrue(partner.active)
        request.with_user(self.approver)._decide("approve")
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.action_done)
        self.assertFalse(partner.active)
        self.assertEqual(partner.write_uid, self.requester)
        # the approval is spent: archiving it again after a restore asks anew
        partner.action_unarchive()
        partner.with_user(self.requester).action_archive()
        self.assertTrue(partner.active)
        self.assertEqual(self.request_of(partner).state, "pending")

    def test_other_models_and_methods_are_not_gated(self):
        partner = self.partner()
        partner.with_user(self.requester).write({"name": "Renamed"})
        self.assertEqual(partner.name, "Renamed")
        bank = self.make_bank()
        bank.with_user(self.requester).action_archive()
        self.assertFalse(bank.active)
        self.assertFalse(self.request_of(bank))

    def test_configuration_takes_effect_without_restart(self):
        first = self.partner("First")
        self.matrix.active = False
        first.with_user(self.requester).action_archive()
        self.assertFalse(first.active)
        # a new matrix, made by a matrix manager over RPC, gates at once
        self.matrix.unlink()
        model_id = self.env["ir.model"]._get_id("res.partner")
        button = (
            self.env["gov.approval.button"]
            ._sync_model("res.partner")
            .filtered(lambda b: b.method == "action_archive")
        )
        result = self.rpc(
            "json2",
            self.matrix_manager,
            "gov.approval.matrix",
            "create",
            vals_list=[
                {
                    "name": "Archiving contacts",
                    "kind": "button",
                    "res_model_id": model_id,
                    "button_id": button.id,
                    "line_ids": [
                        Command.create(
                            {
                                "min_amount": 0,
                                "step_ids": [
                                    Command.create(
                                        {
                                            "name": "Controller",
                                            "approver_type": "user",
                                            "user_ids": [
                                                Command.set(self.approver.ids)
                                            ],
                                        }
                                    )
                                ],
                            }
                        )
                    ],
                }
            ],
        )
        self.assertTrue(result, result.error)
        second = self.partner("Second")
        self.rpc("call_kw", self.requester, "res.partner", "action_archive", second.ids)
        second.invalidate_recordset()
        self.assertTrue(second.active)
        self.assertEqual(self.request_of(second).state, "pending")


@tagged("post_install", "-at_install")
class TestFieldChanges(NocodeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = cls.nocode_matrix("fields", "res.partner.bank", fields=BANK_FIELDS)

    def propose(self, bank, route="call_kw", **vals):
        vals = vals or {"acc_number": "FR76 3000 6000 0112 3456 7890 189"}
        result = self.rpc(
            route, self.requester, bank._name, "write", bank.ids, vals=vals
        )
        self.assertTrue(result, result.error)
        bank.invalidate_recordset()
        return self.request_of(bank)

    def test_change_is_held_and_other_fields_saved(self):
        bank = self.make_bank()
        request = self.propose(
            bank,
            acc_number="FR76 3000 6000 0112 3456 7890 189",
            acc_holder_name="Holder Ltd",
        )
        self.assertEqual(bank.acc_number, "BE71 0961 2345 6769")
        self.assertEqual(bank.acc_holder_name, "Holder Ltd")
        self.assertEqual(request.state, "pending")
        change = request.sudo().change_ids
        self.assertEqual(change.state, "pending")
        self.assertEqual(
            change.diff,
            [
                [
                    "Account Number",
                    "BE71 0961 2345 6769",
                    "FR76 3000 6000 0112 3456 7890 189",
                ]
            ],
        )
        # the approver reads the before/after table on the request
        result = self.rpc(
            "json2",
            self.approver,
            "gov.approval.request",
            "read",
            request.ids,
            fields=["change_diff_html"],
        )
        self.assertTrue(result, result.error)
        html = result.value[0]["change_diff_html"]
        for text in ("Account Number", "BE71 0961 2345 6769", "FR76 3000"):
            self.assertIn(text, html)

    def test_every_route_is_held(self):
        for index, route in enumerate(ROUTES):
            bank = self.make_bank(f"NL91 ABNA 0417 1643 0{index}")
            request = self.propose(bank, route, partner_id=self.other_holder.id)
            self.assertEqual(bank.partner_id, self.holder, route)
            self.assertEqual(request.state, "pending", route)

    def test_sudo_code_is_held(self):
        bank = self.make_bank()
        bank.with_user(self.requester).sudo().write({"allow_out_payment": True})
        self.assertFalse(bank.allow_out_payment)
        self.assertEqual(self.request_of(bank).requester_id, self.requester)

    def test_applied_once_approved_as_the_requester(self):
        bank = self.make_bank()
        request = self.propose(bank, acc_number="DE89 3704 0044 0532 0130 00")
        with self.assertRaises(AccessError):
            request.with_user(self.requester)._decide("approve")
        request.with_user(self.approver)._decide("approve")
        self.assertEqual(bank.acc_number, "DE89 3704 0044 0532 0130 00")
        self.assertEqual(bank.write_uid, self.requester)
        self.assertTrue(request.action_done)
        self.assertEqual(request.sudo().change_ids.state, "applied")
        # a second change waits again
        self.propose(bank, acc_number="DE89 3704 0044 0532 0130 01")
        self.assertEqual(bank.acc_number, "DE89 3704 0044 0532 0130 00")

    def test_rejected_change_is_kept(self):
        bank = self.make_bank()
        request = self.propose(bank)
        request.with_user(self.approver)._decide("reject", "Unknown account")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(bank.acc_number, "BE71 0961 2345 6769")
        change = request.sudo().change_ids
        self.assertEqual(change.state, "rejected")
        self.assertTrue(change.diff_html)

    def test_automation_rules_reloading_keep_the_gate(self):
        """Saving an automation rule makes Odoo drop every wrapper of write;
        the held changes stay held."""
        self.env["base.automation"].create(
            {
                "name": "Watch bank accounts",
                "model_id": self.env["ir.model"]._get_id("res.partner.bank"),
                "trigger": "on_create_or_write",
            }
        )
        bank = self.make_bank()
        request = self.propose(bank, allow_out_payment=True)
        self.assertFalse(bank.allow_out_payment)
        self.assertEqual(request.state, "pending")

    def test_server_action_code_cannot_reach_the_unwrapped_write(self):
        bank = self.make_bank()
        action = self.env["ir.actions.server"].create(
            {
                "name": "Around the gate",
                "model_id": self.env["ir.model"]._get_id("res.partner.bank"),
                "state": "code",
                "code": "records.write.origin(records, {'acc_number': 'EVIL'})",
            }
        )
        with self.assertRaisesRegex(ValueError, "has no attribute 'origin'"):
            action.with_context(
                active_model=bank._name, active_ids=bank.ids, active_id=bank.id
            ).run()
        self.assertEqual(bank.acc_number, "BE71 0961 2345 6769")

    def test_same_value_and_withdrawal(self):
        bank = self.make_bank()
        bank.with_user(self.requester).write({"acc_number": bank.acc_number})
        self.assertFalse(self.request_of(bank))
        request = self.propose(bank)
        request.with_user(self.requester).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.sudo().change_ids.state, "cancelled")
        self.assertEqual(bank.acc_number, "BE71 0961 2345 6769")

    def test_contact_tax_id_and_bank_accounts(self):
        self.nocode_matrix("fields", "res.partner", fields=("vat", "bank_ids"))
        partner = self.env["res.partner"].create(
            {"name": "Vendor", "vat": "BE0477472701"}
        )
        partner.with_user(self.requester).write(
            {
                "vat": "BE0897223670",
                "comment": "new details",
                "bank_ids": [Command.create({"acc_number": "BE68 5390 0754 7034"})],
            }
        )
        self.assertEqual(partner.vat, "BE0477472701")
        self.assertFalse(partner.bank_ids)
        self.assertEqual(partner.comment, "<p>new details</p>")
        request = self.request_of(partner)
        rows = {
            label: (before, after)
            for label, before, after in request.sudo().change_ids.diff
        }
        self.assertEqual(rows["Tax ID"], ("BE0477472701", "BE0897223670"))
        self.assertIn("BE68 5390 0754 7034", rows["Banks"][1])
        request.with_user(self.approver)._decide("approve")
        self.assertEqual(partner.vat, "BE0897223670")
        self.assertEqual(partner.bank_ids.acc_number, "BE68 5390 0754 7034")

    def test_form_says_what_is_governed(self):
        def form_arch():
            views = self.env["res.partner.bank"].get_views([(False, "form")])
            return views["views"]["form"]["arch"]

        arch = form_arch()
        self.assertIn("o_gov_approval_notice", arch)
        self.assertIn("Changes of Account Holder, Account Number, Send Money", arch)
        self.matrix.active = False
        self.assertNotIn("o_gov_approval_notice", form_arch())

    def test_one_pending_change_per_record(self):
        bank = self.make_bank()
        self.propose(bank)
        with self.assertRaises(UserError):
            bank.with_user(self.requester).write({"acc_number": "XX00 0000"})

    def test_record_changed_meanwhile_is_not_overwritten(self):
        bank = self.make_bank()
        request = self.propose(bank)
        with technical_bypass(self.env, "correction by the bank"):
            bank.write({"acc_number": "BE71 0961 2345 0000"})
        request.with_user(self.approver)._decide("approve")
        self.assertEqual(request.state, "superseded")
        self.assertEqual(bank.acc_number, "BE71 0961 2345 0000")
        self.assertEqual(request.sudo().change_ids.state, "superseded")

    def test_held_values_cannot_be_forged(self):
        bank = self.make_bank()
        request = self.propose(bank)
        change = request.sudo().change_ids
        for user in (self.requester, self.approver, self.admin):
            results = self.rpc_all(
                user,
                "gov.approval.change",
                "write",
                change.ids,
                vals={"proposed_values": {"acc_number": "EVIL"}, "state": "applied"},
            )
            for route, result in results.items():
                self.assertFalse(result, f"{user.login} rewrote the change on {route}")
            results = self.rpc_all(
                user,
                "gov.approval.change",
                "create",
                vals_list=[
                    {
                        "request_id": request.id,
                        "company_id": self.company.id,
                        "res_model": bank._name,
                        "res_id": bank.id,
                        "requester_id": self.requester.id,
                    }
                ],
            )
            for route, result in results.items():
                self.assertFalse(result, f"{user.login} made a change on {route}")
            result = self.rpc(
                "json2",
                user,
                request._name,
                "write",
                request.ids,
                vals={"state": "approved"},
            )
            self.assertFalse(result, f"{user.login} approved it by writing")
        with (
            mute_logger("odoo.addons.base.models.ir_actions"),
            self.assertRaises(AccessError),
        ):
            self.env["ir.actions.server"].create(
                {
                    "name": "Forge",
                    "model_id": self.env["ir.model"]._get_id("gov.approval.change"),
                    "state": "code",
                    "code": "records.sudo().write({'state': 'applied'})",
                }
            ).with_context(
                active_model="gov.approval.change", active_ids=change.ids
            ).run()
        change.invalidate_recordset()
        self.assertEqual(change.state, "pending")
        self.assertEqual(
            change.sudo().proposed_values["acc_number"],
            "FR76 3000 6000 0112 3456 7890 189",
        )
        self.assertEqual(request.state, "pending")

    def test_no_extra_query_without_a_governed_field(self):
        """The wrapped write of a model costs no query more when it touches
        no governed field, nor when no active matrix governs the model."""
        bank = self.make_bank()

        def write_count(holder):
            # a real change each time, after a first one that warms the caches
            bank.write({"acc_holder_name": f"{holder} (before)"})
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            bank.write({"acc_holder_name": holder})
            self.env.flush_all()
            return self.cr.sql_log_count - start

        self.assertTrue(wrapped(type(bank), "write"))
        governed = write_count("Holder One")
        # a matrix archived: its wrapper stays until the registry reloads,
        # and lets the write through
        self.matrix.active = False
        self.assertTrue(wrapped(type(bank), "write"))
        inert = write_count("Holder Two")
        # Odoo's own write, without any wrapper
        self.addCleanup(self.env["gov.approval.matrix"]._gov_nocode_register)
        nocode.unpatch_all(self.env.registry)
        self.assertFalse(wrapped(type(bank), "write"))
        bare = write_count("Holder Three")
        self.assertEqual(governed, bare)
        self.assertEqual(inert, bare)
        self.matrix.active = True
        self.assertEqual(write_count("Holder Four"), bare)


@tagged("post_install", "-at_install")
class TestGovernedCreation(NocodeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = cls.nocode_matrix("create", "res.partner.bank")

    def test_created_archived_and_activated_once_approved(self):
        result = self.rpc(
            "call_kw",
            self.requester,
            "res.partner.bank",
            "create",
            vals_list=[
                {
                    "acc_number": "IT60 X054 2811 1010 0000 0123 456",
                    "partner_id": self.holder.id,
                }
            ],
        )
        self.assertTrue(result, result.error)
        bank = (
            self.env["res.partner.bank"]
            .with_context(active_test=False)
            .search([("acc_number", "=", "IT60 X054 2811 1010 0000 0123 456")])
        )
        self.assertFalse(bank.active)
        request = self.request_of(bank)
        self.assertEqual(request.state, "pending")
        # activating it does not skip the approval
        for route in ROUTES:
            self.rpc(route, self.requester, bank._name, "action_unarchive", bank.ids)
            bank.invalidate_recordset()
            self.assertFalse(bank.active, route)
        request.with_user(self.approver)._decide("approve")
        self.assertTrue(bank.active)
        self.assertTrue(request.action_done)

    def test_creation_of_models_that_cannot_be_archived_is_refused(self):
        with self.assertRaises(ValidationError):
            self.nocode_matrix("create", "res.country.state", name="States")
