# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The people, the records and the harness of the adversarial suite.

One user per role (passwords are logins), one record of each engine-owned
model in company A made through the engines' own entry points, governed
documents in each state that matters, and :meth:`AdversarialCase.attempt`:
one call as one role over one public route, inside a savepoint rolled back
afterwards, followed by the checks that hold whatever the call was.
"""

import base64
import enum
import json
import logging
import os
import time
import warnings
import xmlrpc.client
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from markupsafe import Markup

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import Opener
from odoo.tools import SQL, mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_base.tests.rpc import ROUTES, RpcResult, RpcRoutesMixin
from odoo.addons.gov_webhook.tools.signatures import standard_sign

from . import adversarial_policy as policy
from .adversarial_discovery import discover

_logger = logging.getLogger(__name__)

# what the calls of a role may make the server log: refusals, constraint
# errors and deprecation notices of the calls this suite makes on purpose
QUIET = (
    "odoo.sql_db",
    "odoo.models",
    "odoo.models.unlink",
    "odoo.addons.base.models.ir_rule",
    "odoo.addons.base.models.ir_model",
    "odoo.addons.mail.models.mail_thread",
    "py.warnings",
)
# tables Odoo writes for any signed-in call (sign-in log, devices, API key
# use, notifications to the web client)
BOOKKEEPING = frozenset(
    {"res_users_log", "res_device", "res_device_log", "res_users_apikeys", "bus_bus"}
)
# the rights on governed documents (those of installed modules only)
DOCUMENT_GROUPS = (
    "purchase.group_purchase_user",
    "account.group_account_invoice",
    "sales_team.group_sale_salesman",
    "stock.group_stock_user",
    "gov_approval_test.gov_approval_test_group_user",
)
GROUPS = {
    "plain": ("base.group_user", *DOCUMENT_GROUPS),
    "requester": ("gov_base.gov_base_group_user", *DOCUMENT_GROUPS),
    "approver": ("gov_base.gov_base_group_approver", *DOCUMENT_GROUPS),
    "delegate": ("gov_base.gov_base_group_user", *DOCUMENT_GROUPS),
    "auditor": ("gov_base.gov_base_group_auditor",),
    "integration_manager": ("gov_base.gov_base_group_integration_manager",),
    "matrix_manager": ("gov_base.gov_base_group_matrix_manager",),
    "admin": ("gov_base.gov_base_group_admin", "base.group_system"),
    "portal": ("base.group_portal",),
    # every governance role of company B (an Auditor may hold no other one)
    "outsider": (
        "gov_base.gov_base_group_approver",
        "gov_base.gov_base_group_admin",
        *DOCUMENT_GROUPS,
    ),
}
# roles that read every request, step and decision of their companies
SEE_ALL_REQUESTS = frozenset({"auditor", "matrix_manager", "admin", "outsider"})
SEE_ALL_DELEGATIONS = frozenset({"auditor", "matrix_manager", "admin", "outsider"})
# fault codes of /xmlrpc/2 (odoo/addons/rpc/controllers/xmlrpc.py)
FAULTS = {
    2: "odoo.exceptions.UserError",
    3: "odoo.exceptions.AccessDenied",
    4: "odoo.exceptions.AccessError",
}
REPOSITORY = Path(__file__).resolve().parents[2]
# the figures of the last run, for the test output (see conftest.py)
SUMMARY = {}
COUNTS = Counter()
# what the calls did that was allowed (decisions recorded by deciders,
# governed documents changed), and the known defects met
EVENTS = Counter()


def results_dir():
    return Path(os.environ.get("GOV_RESULTS_DIR") or REPOSITORY / "test-results")


def jsonable(value):
    """``value`` as JSON and XML-RPC carry it (commands, dates, bytes...)."""
    if isinstance(value, enum.IntEnum):
        return int(value)
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, date):
        return fields.Date.to_string(value)
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    if isinstance(value, Markup):
        return str(value)
    return value


class AdversarialCase(HttpCase, RpcRoutesMixin):
    """Roles, fixtures and the attempt harness (``setUpClass`` builds it all)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.found = discover(cls.env)
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Adversarial B"})
        baseline = cls._max_ids()
        cls._make_users()
        cls.rows = {}
        cls.documents = {}
        cls._make_approval_fixtures()
        cls._make_exception_fixtures()
        cls._make_webhook_fixtures()
        cls._make_ai_fixtures()
        cls._make_audit_fixtures()
        cls._make_wizards()
        cls._collect_rows(baseline)
        # the governed documents and their lines, whose rows every call watches
        governed = []
        for model_name, states in cls.documents.items():
            documents = cls.env[model_name].browse([d.id for d in states.values()])
            governed.append(documents)
            if documents._gov_approval_line_field:
                governed.append(documents.sudo()[documents._gov_approval_line_field])
        cls.marks_query = cls._marks_sql(governed)
        cls.env.flush_all()
        cls.started = time.monotonic()

    # ------------------------------------------------------------------
    # Roles
    # ------------------------------------------------------------------
    @classmethod
    def _groups(cls, role):
        return ",".join(
            xmlid
            for xmlid in GROUPS[role]
            if cls.env.ref(xmlid, raise_if_not_found=False)
        )

    @classmethod
    def _make_users(cls):
        cls.role_users = {}
        for role in policy.ROLES:
            company = cls.company_b if role == "outsider" else cls.company_a
            cls.role_users[role] = new_test_user(
                cls.env,
                login=f"adv_{role}",
                groups=cls._groups(role),
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
        # the second approver of every step (not a role under test)
        cls.helper = new_test_user(
            cls.env, login="adv_helper", groups=cls._groups("approver")
        )
        cls.user_roles = {user.id: role for role, user in cls.role_users.items()}

    def setUp(self):
        super().setUp()
        for user in self.role_users.values():
            self.rpc_api_key(user)
        self.env.flush_all()

    # ------------------------------------------------------------------
    # Fixtures: approvals and governed documents
    # ------------------------------------------------------------------
    @classmethod
    def _make_approval_fixtures(cls):
        env = cls.env
        users = cls.role_users
        cls.vendor = env["res.partner"].create({"name": "Adversarial Vendor"})
        cls.vendor_2 = env["res.partner"].create({"name": "Adversarial Vendor 2"})
        cls.product = env["product.product"].create(
            {"name": "Adversarial Widget", "type": "consu"}
        )
        cls.matrices = env["gov.approval.matrix"]
        builders = {
            "purchase.order": cls._purchase_order,
            "account.move": cls._vendor_bill,
            "gov.approval.tester": cls._tester,
            "sale.order": cls._sale_order,
            "gov.stock.adjustment": cls._stock_adjustment,
        }
        cls.missing_builders = sorted(cls.found.documents - set(builders))
        for model_name in sorted(cls.found.documents & set(builders)):
            build = builders[model_name]
            action = next(iter(env[model_name]._gov_approval_actions))
            cls.matrices |= env["gov.approval.matrix"].create(
                {
                    "name": f"Adversarial {model_name}",
                    "action": f"{model_name}:{action}",
                    "company_id": cls.company_a.id,
                    "auto_resume": True,
                    "line_ids": [
                        Command.create(
                            {
                                "min_amount": 0,
                                "step_ids": [
                                    Command.create(
                                        {
                                            "name": "Two approvers",
                                            "approver_type": "user",
                                            "min_approvals": 2,
                                            "user_ids": [
                                                Command.set(
                                                    [
                                                        users["approver"].id,
                                                        cls.helper.id,
                                                    ]
                                                )
                                            ],
                                        }
                                    )
                                ],
                            }
                        )
                    ],
                }
            )
            cls.documents[model_name] = cls._document_states(build)
        cls._make_nocode_fixtures()
        cls.delegation = (
            env["gov.approval.delegation"]
            .with_user(users["approver"])
            .create(
                {
                    "user_id": users["approver"].id,
                    "delegate_id": users["delegate"].id,
                    "date_from": fields.Datetime.now() - timedelta(hours=1),
                    "date_to": fields.Datetime.now() + timedelta(days=3),
                }
            )
        )

    @classmethod
    def _make_nocode_fixtures(cls):
        """A model governed without code: a bank account whose number the
        requester changed, held for approval, and the actions of contacts."""
        env = cls.env
        users = cls.role_users
        env["gov.approval.button"]._sync_model("res.partner")
        cls.matrices |= env["gov.approval.matrix"].create(
            {
                "name": "Adversarial bank accounts",
                "kind": "fields",
                "res_model_id": env["ir.model"]._get_id("res.partner.bank"),
                "field_ids": [
                    Command.set(
                        [
                            env["ir.model.fields"]
                            ._get("res.partner.bank", "acc_number")
                            .id
                        ]
                    )
                ],
                "company_id": cls.company_a.id,
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
                                            Command.set(users["approver"].ids)
                                        ],
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )
        bank = env["res.partner.bank"].create(
            {"acc_number": "ADV 0001", "partner_id": cls.vendor.id}
        )
        bank.with_user(users["requester"]).sudo().write({"acc_number": "ADV 0002"})

    @classmethod
    def _document_states(cls, build):
        """A document waiting for its second approval (one decision made), a
        cancelled one, and one that reached its governed state approved."""
        Request = cls.env["gov.approval.request"]
        requester = cls.role_users["requester"]
        states = {}
        for name in ("pending", "cancelled", "approved"):
            document, method, cancel = build(requester)
            getattr(document.with_user(requester), method)()
            request = Request.search(
                [("res_model", "=", document._name), ("res_id", "=", document.id)],
                order="id desc",
                limit=1,
            )
            if name != "cancelled":
                request.with_user(cls.helper)._decide("approve")
            if name == "cancelled":
                getattr(document.with_user(requester), cancel)()
            if name == "approved":
                request.with_user(cls.role_users["approver"])._decide("approve")
            states[name] = document
        return states

    @classmethod
    def _purchase_order(cls, user):
        order = (
            cls.env["purchase.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": cls.vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_qty": 1,
                                "price_unit": 2500,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        return order, "button_confirm", "button_cancel"

    @classmethod
    def _vendor_bill(cls, user):
        bill = (
            cls.env["account.move"]
            .with_user(user)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": cls.vendor.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Adversarial service",
                                "quantity": 1,
                                "price_unit": 2500,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        return bill, "action_post", "button_cancel"

    @classmethod
    def _sale_order(cls, user):
        order = (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": cls.vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": 2500,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        return order, "action_confirm", "action_cancel"

    @classmethod
    def _stock_adjustment(cls, user):
        """A count of a product of its own (35 counted, 10 on hand) held in
        an adjustment under approval."""
        env = cls.env
        product = env["product.product"].create(
            {
                "name": "Adversarial Count",
                "is_storable": True,
                "standard_price": 100,
            }
        )
        stock = (
            env["stock.warehouse"]
            .search([("company_id", "=", cls.company_a.id)], limit=1)
            .lot_stock_id
        )
        env["stock.quant"]._update_available_quantity(product, stock, 10)
        quant = env["stock.quant"].search([("product_id", "=", product.id)])
        quant.with_context(inventory_mode=True).inventory_quantity = 35
        adjustment = env["gov.stock.adjustment"].with_user(user)._for_quants(quant)
        return adjustment, "action_apply", "action_cancel"

    @classmethod
    def _tester(cls, user):
        tester = (
            cls.env["gov.approval.tester"]
            .with_user(user)
            .create(
                {
                    "name": "Adversarial tester",
                    "partner_id": cls.vendor.id,
                    "line_ids": [
                        Command.create({"name": "Adversarial line", "price_unit": 2500})
                    ],
                }
            )
        )
        return tester, "action_confirm", "action_cancel"

    # ------------------------------------------------------------------
    # Fixtures: exception queue, webhooks, AI, audit
    # ------------------------------------------------------------------
    @classmethod
    def _make_exception_fixtures(cls):
        env = cls.env
        busy = env["ir.actions.server"].create(
            {
                "name": "Adversarial receiver busy",
                "model_id": env["ir.model"]._get_id("res.partner"),
                "state": "code",
                "code": 'raise GovRetryableError("receiver busy", retry_after=120)',
            }
        )
        cls.item = env["gov.exception.item"].capture(
            "handler",
            "Adversarial failure",
            source="adversarial",
            payload={"name": "From payload"},
            handler={
                "model": "ir.actions.server",
                "method": "_gov_run_with_payload",
                "res_id": busy.id,
                "kwargs": {"res_model": "res.partner", "res_id": cls.vendor.id},
            },
        )
        # one attempt, the item stays open (the receiver is busy)
        cls.item.action_retry_now()
        env["gov.exception.policy"].create(
            {"name": "Adversarial policy", "company_id": cls.company_a.id}
        )

    @classmethod
    def _make_webhook_fixtures(cls):
        env = cls.env
        runner = env.ref("gov_webhook.res_users_webhook_runner")
        Fields = env["ir.model.fields"]
        cls.endpoint = env["gov.webhook.endpoint"].create(
            {
                "name": "Adversarial endpoint",
                "profile": "standard",
                "handler_type": "map",
                "run_as_user_id": runner.id,
                "rate_limit_per_minute": 0,
                "map_model_id": env["ir.model"]._get_id("res.partner"),
                "map_line_ids": [
                    Command.create(
                        {
                            "json_path": "data.name",
                            "field_id": Fields._get("res.partner", "name").id,
                        }
                    )
                ],
            }
        )
        secret = (
            "whsec_" + base64.b64encode(b"adversarial-secret-32-bytes-long").decode()
        )
        cls.endpoint._set_secret(secret)
        env.flush_all()
        Inbox = env["gov.webhook.inbox"]
        path = cls.endpoint.path_key
        body = json.dumps({"type": "order.created", "data": {"name": "A"}}).encode()
        # a delivery signed with the endpoint's secret, and an unsigned one
        msg_id, timestamp = "msg_adversarial", str(int(time.time()))
        signed = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": standard_sign(secret, msg_id, timestamp, body),
        }
        Inbox._receive(path, "POST", signed, lambda _limit: body, len(body), "::1")
        unsigned = {"content-type": "application/json"}
        Inbox._receive(path, "POST", unsigned, lambda _limit: body, len(body), "::1")
        if not env["gov.webhook.allowed.host"].search_count(
            [("name", "=", "127.0.0.1")]
        ):
            env["gov.webhook.allowed.host"].create({"name": "127.0.0.1"})
        cls.subscription = env["gov.webhook.subscription"].create(
            {
                "name": "Adversarial receiver",
                "target_url": "http://127.0.0.1:9/adversarial",
                "event_types": "adversarial.*",
            }
        )
        env["gov.webhook.subscription"].emit("adversarial.tested", data={"n": 1})

    @classmethod
    def _make_ai_fixtures(cls):
        env = cls.env
        Partner = env["res.partner"]

        def field(name):
            return env["ir.model.fields"]._get("res.partner", name)

        cls.provider = env["gov.ai.provider"].create(
            {"name": "Adversarial provider", "company_id": cls.company_a.id}
        )
        visible = field("ref") | field("parent_id") | field("partner_latitude")
        cls.use_case = env["gov.ai.use.case"].create(
            {
                "name": "Adversarial duplicates",
                "model_id": env["ir.model"]._get_id("res.partner"),
                "task": "duplicate",
                "impact": "high",
                "company_id": cls.company_a.id,
                "field_ids": [Command.set(visible.ids)],
                "reference_field_id": field("ref").id,
                "partner_field_id": field("parent_id").id,
                "amount_field_id": field("partner_latitude").id,
                "reviewer_id": cls.role_users["approver"].id,
            }
        )
        vendor = Partner.create({"name": "AI Vendor", "is_company": True})
        Partner.create(
            {
                "name": "Bill INV-1",
                "parent_id": vendor.id,
                "ref": "INV-1",
                "partner_latitude": 10.0,
            }
        )
        twin = Partner.create(
            {
                "name": "Bill inv 001",
                "parent_id": vendor.id,
                "ref": "inv 001",
                "partner_latitude": 10.0,
            }
        )
        cls.recommendation = twin._gov_ai_recommend(cls.use_case)

    @classmethod
    def _make_audit_fixtures(cls):
        cls.env["gov.audit.verification"].action_verify()

    @classmethod
    def _wizard_values(cls):
        """Values of one wizard of each transient model of the suite."""
        request = cls._pending_request()
        designer = {
            "template": "custom",
            "action": next(m.action for m in cls.matrices if m.action),
            "level_ids": [
                Command.create({"min_amount": 0}),
                Command.create({"min_amount": 1000, "approver_type": "manager"}),
            ],
        }
        return {
            "gov.approval.decision.wizard": {
                "decision": "approve",
                "request_ids": [Command.set(request.ids)],
            },
            # the approver's place on the open step, handed to a plain user
            "gov.approval.reassign.wizard": {
                "request_id": request.id,
                "step_id": request.current_step_id.id,
                "user_id": cls.role_users["approver"].id,
                "new_user_id": cls.role_users["plain"].id,
                "reason": "adversarial",
            },
            "gov.approval.simulate.wizard": {
                "matrix_id": cls.matrices[:1].id,
                "amount": 2500,
            },
            "gov.approval.replay": {"matrix_id": cls.matrices[:1].id, "months": 1},
            # a ladder that makes a draft matrix (governing nothing)
            "gov.approval.matrix.designer": designer,
            "gov.approval.matrix.designer.level": {
                "designer_id": cls.env["gov.approval.matrix.designer"]
                .create(designer)
                .id,
                "min_amount": 500,
                "approver_type": "manager",
            },
            # figures are written by a replay only (read-only to its owner)
            "gov.approval.replay.line": {
                "replay_id": cls.env["gov.approval.replay"]
                .create({"matrix_id": cls.matrices[:1].id})
                .id,
                "level": "band",
                "name": "adversarial",
            },
            "gov.ai.decision.wizard": {
                "recommendation_ids": [Command.set(cls.recommendation.ids)],
                "decision": "rejected",
                "reason": "adversarial",
            },
            "gov.ai.provider.key.wizard": {
                "provider_id": cls.provider.id,
                "api_key": "adversarial-key",
            },
            "gov.exception.close.wizard": {
                "item_ids": [Command.set(cls.item.ids)],
                "resolution": "resolved",
                "note": "adversarial",
            },
            "gov.exception.replay.wizard": {
                "item_id": cls.item.id,
                "payload": '{"name": "Replayed"}',
            },
            "gov.webhook.secret.wizard": {
                "endpoint_id": cls.endpoint.id,
                "secret_shown": "whsec_adversarial",
            },
            "gov.webhook.secret.entry.wizard": {
                "endpoint_id": cls.endpoint.id,
                "secret": "whsec_" + "YWR2ZXJzYXJpYWwtc2VjcmV0LW9mLXRoZS10ZXN0cw==",
            },
            "gov.webhook.public.url.wizard": {
                "public_url": "https://adversarial.example.com",
            },
        }

    @classmethod
    def _make_wizards(cls):
        """One wizard of each transient model nobody owns, and one per role
        that may open it (``cls.own_wizards[(model, role)]``)."""
        values = cls._wizard_values()
        transient = {m for m in cls.found.suite if cls.env[m]._transient}
        cls.missing_wizards = sorted(transient - set(values))
        cls.wizards = {}
        cls.own_wizards = {}
        for model_name in sorted(transient & set(values)):
            Wizard = cls.env[model_name]
            cls.wizards[model_name] = Wizard.create(values[model_name])
            for role, user in cls.role_users.items():
                try:
                    with cls.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                        wizard = Wizard.with_user(user).create(values[model_name])
                except Exception:  # noqa: S112 (a role that may not open it)
                    continue
                cls.own_wizards[(model_name, role)] = wizard.sudo()

    @classmethod
    def _pending_request(cls):
        document = next(iter(cls.documents.values()))["pending"]
        return cls._requests_of(document)[:1]

    @classmethod
    def _requests_of(cls, document):
        return (
            cls.env["gov.approval.request"]
            .sudo()
            .search(
                [("res_model", "=", document._name), ("res_id", "=", document.id)],
                order="id desc",
            )
        )

    @classmethod
    def _max_ids(cls):
        ids = {}
        for model_name in cls.found.suite:
            cls.env.cr.execute(
                SQL(
                    "SELECT COALESCE(MAX(id), 0) FROM %s",
                    SQL.identifier(cls.env[model_name]._table),
                )
            )
            ids[model_name] = cls.env.cr.fetchone()[0]
        return ids

    @classmethod
    def _collect_rows(cls, baseline):
        """The records the fixtures made, per model (newest first), the
        pending request and its step and decision first."""
        cls.env.flush_all()
        request = cls._pending_request()
        preferred = {
            "gov.approval.request": request,
            "gov.approval.request.step": request.step_ids,
            "gov.approval.decision": request.decision_ids,
            "gov.approval.delegation": cls.delegation,
            "gov.exception.item": cls.item,
            "gov.ai.recommendation": cls.recommendation,
            "gov.webhook.endpoint": cls.endpoint,
            "gov.webhook.subscription": cls.subscription,
            "gov.ai.provider": cls.provider,
            "gov.ai.use.case": cls.use_case,
        }
        for model_name in sorted(cls.found.suite):
            Model = cls.env[model_name].sudo().with_context(active_test=False)
            if model_name in cls.wizards:
                cls.rows[model_name] = cls.wizards[model_name].sudo()
                continue
            records = Model.search(
                [("id", ">", baseline[model_name])], order="id desc", limit=20
            )
            if "company_id" in Model._fields:
                records = records.filtered(
                    lambda r: not r.company_id or r.company_id == cls.company_a
                )
            if not records and model_name in policy.GLOBAL_MODELS:
                records = Model.search([], order="id desc", limit=1)
            first = preferred.get(model_name, Model)[:1]
            cls.rows[model_name] = first | records

    # ------------------------------------------------------------------
    # Routes: one sign-in per user in a row, error names for XML-RPC
    # ------------------------------------------------------------------
    def authenticate(self, user, password, **kwargs):
        session = getattr(self, "session", None)
        if user and not kwargs and session and session.uid and session.login == user:
            return session
        return super().authenticate(user, password, **kwargs)

    def _rpc_json2(self, user, password, model, method, ids, args, kwargs):
        """As the mixin does, from a client that carries no web session (the
        session of ``/web/dataset/call_kw`` stays signed in)."""
        key = self.rpc_api_key(user)
        bare = self.__dict__.get("_bare_opener")
        if bare is None:
            bare = self.__dict__["_bare_opener"] = Opener(self)
        bare.cookies.clear()
        signed_in, self.opener = self.opener, bare
        try:
            response = self.url_open(
                f"/json/2/{model}/{method}",
                data=json.dumps({"ids": list(ids or []), **kwargs}),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"bearer {key}",
                    "X-Odoo-Database": self.env.cr.dbname,
                },
            )
        finally:
            self.opener = signed_in
        body = response.json() if response.content else None
        if response.status_code != 200:
            if isinstance(body, dict):
                error = f"{body.get('name')}: {str(body.get('message'))[:300]}"
            else:
                error = f"HTTP {response.status_code}"
            return RpcResult(False, error=error)
        return RpcResult(True, value=body)

    @staticmethod
    def _rpc_jsonrpc_answer(body):
        if "error" in body:
            data = body["error"].get("data") or {}
            name = data.get("name") or str(body["error"])
            return RpcResult(False, error=f"{name}: {str(data.get('message'))[:300]}")
        return RpcResult(True, value=body.get("result"))

    def _rpc_xmlrpc(self, user, password, model, method, ids, args, kwargs):
        """As the mixin does, naming the error from the fault code."""
        body = xmlrpc.client.dumps(
            (self.env.cr.dbname, user.id, password, model, method, args, kwargs),
            "execute_kw",
            allow_none=True,
        )
        response = self.url_open(
            "/xmlrpc/2/object",
            data=body.encode(),
            headers={"Content-Type": "text/xml; charset=utf-8"},
        )
        try:
            (value,), _method = xmlrpc.client.loads(response.content)
        except xmlrpc.client.Fault as fault:
            name = FAULTS.get(fault.faultCode, "odoo.exceptions.ServerError")
            return RpcResult(False, error=f"{name}: {fault.faultString[:300]}")
        return RpcResult(True, value=value)

    # ------------------------------------------------------------------
    # Snapshots and checks
    # ------------------------------------------------------------------
    def snapshot(self, records, extra_fields=()):
        """The rows of ``records`` as the database holds them (and the values
        of ``extra_fields``, for relations kept in other tables)."""
        if not records:
            return None
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s WHERE id = ANY(%s) ORDER BY id",
                SQL.identifier(records._table),
                list(records.ids),
            )
        )
        rows = self.env.cr.fetchall()
        extra = None
        if extra_fields:
            self.env.invalidate_all()
            extra = (
                records.sudo()
                .with_context(active_test=False)
                .read(list(extra_fields), load=None)
            )
        return rows, extra

    def table_writes(self):
        """Rows inserted, updated or deleted so far in this transaction, by
        table (PostgreSQL's statistics of the current transaction)."""
        self.env.cr.execute(
            SQL(
                "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del"
                " FROM pg_stat_xact_user_tables"
                " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
            )
        )
        return dict(self.env.cr.fetchall())

    def written_since(self, before):
        return {
            table: count - before.get(table, 0)
            for table, count in self.table_writes().items()
            if count != before.get(table, 0) and table not in BOOKKEEPING
        }

    def max_id(self, model_name):
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(MAX(id), 0) FROM %s",
                SQL.identifier(self.env[model_name]._table),
            )
        )
        return self.env.cr.fetchone()[0]

    @staticmethod
    def refused(result):
        return not result.ok

    @staticmethod
    def access_refused(result):
        return not result.ok and (
            "AccessError" in result.error or "AccessDenied" in result.error
        )

    def attempt(self, check, role, route, model, method, ids=None, **options):
        """Call ``model.method`` on ``ids`` as ``role`` over ``route``.

        Options: ``kwargs`` (arguments), ``expect(result)`` returning a problem
        or ``None``, ``watch`` (records that must not change), ``watch_fields``
        (their relations to compare too), ``no_new`` (a model in which no
        record may appear), ``refuse`` (the call must fail), ``change_nothing``
        (the call must fail or write nothing at all, as when record rules
        leave it an empty recordset).
        The call runs in a savepoint, rolled back once the checks that hold
        whatever the call (:meth:`invariant_problems`) are made.
        """
        user = self.role_users[role]
        watch = options.get("watch")
        extra = options.get("watch_fields", ())
        COUNTS[check] += 1
        problems = []
        savepoint = self.env.cr.savepoint()
        try:
            before = self.snapshot(watch, extra) if watch else None
            lenient = options.get("change_nothing")
            writes = self.table_writes() if lenient else None
            no_new = options.get("no_new")
            last = self.max_id(no_new) if no_new else None
            marks = self._marks()
            try:
                with mute_logger(*QUIET), warnings.catch_warnings():
                    # deprecated methods (toggle_active, read_group...) are
                    # called on purpose
                    warnings.simplefilter("ignore", DeprecationWarning)
                    result = self.rpc(
                        route,
                        user,
                        model,
                        method,
                        ids,
                        **jsonable(options.get("kwargs") or {}),
                    )
            except Exception as error:  # a call the client could not make
                result = RpcResult(False, error=f"client error: {error!r}")
                problems.append(result.error)
            self.env.invalidate_all()
            if options.get("refuse") and result.ok:
                problems.append(f"accepted: {str(result.value)[:200]}")
            elif lenient and result.ok:
                written = self.written_since(writes)
                if written:
                    problems.append(
                        f"accepted and wrote {written}: {str(result.value)[:150]}"
                    )
            expect = options.get("expect")
            problem = expect(result) if expect else None
            if problem:
                problems.append(problem)
            if watch and self.snapshot(watch, extra) != before:
                problems.append(f"{watch} changed")
            if no_new and self.max_id(no_new) != last:
                problems.append(f"a {no_new} record was created")
            problems += self.invariant_problems(role, marks)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        self.report(check, role, route, model, method, problems)
        return result

    def report(self, check, role, route, model, method, problems):
        known = policy.known_defect(check, model, method, role, route)
        label = f"{check}: {model}.{method} as {role} over {route}"
        if known and problems:
            EVENTS["known_defects"] += 1
            _logger.info("%s: known defect (%s): %s", label, known, problems)
            return
        if known:
            problems = [f"listed as a known defect ({known}) but holds now"]
        if problems:
            with self.subTest(check=check, model=model, method=method, role=role):
                self.fail(f"{label}: {'; '.join(problems)}")

    # ------------------------------------------------------------------
    # What holds after any call
    # ------------------------------------------------------------------
    def _marks(self):
        """What every call is checked against, in one query: the newest
        decision, and digests of the governed documents, their lines and the
        approval requests."""
        self.env.cr.execute(self.marks_query)
        return self.env.cr.fetchone()

    @classmethod
    def _marks_sql(cls, governed):
        parts = [SQL("(SELECT COALESCE(MAX(id), 0) FROM gov_approval_decision)")]
        for records in governed:
            parts.append(
                SQL(
                    "(SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM %s t"
                    " WHERE t.id = ANY(%s))",
                    SQL.identifier(records._table),
                    list(records.ids),
                )
            )
        parts.append(
            SQL(
                "(SELECT md5(string_agg(concat_ws(',', id, state, action_done,"
                " snapshot_hash), '|' ORDER BY id)) FROM gov_approval_request)"
            )
        )
        return SQL("SELECT %s", SQL(", ").join(parts))

    def invariant_problems(self, role, marks, count=True):
        """What went wrong since ``marks`` with decisions and governed
        documents, after a call of ``role``."""
        problems = []
        after = self._marks()
        if after[0] != marks[0]:
            found = self.new_decision_problems(role, marks[0])
            if count:
                EVENTS["decisions_wrong" if found else "decisions_recorded"] += 1
            problems += found
        if after[1:] != marks[1:]:
            found = self.governed_problems()
            if count:
                EVENTS["documents_wrong" if found else "documents_changed"] += 1
            problems += found
        return problems

    def new_decision_problems(self, role, after_id):
        problems = []
        decisions = (
            self.env["gov.approval.decision"]
            .sudo()
            .search([("id", ">", after_id)], order="id")
        )
        for decision in decisions:
            if decision.user_id != self.role_users[role]:
                problems.append(
                    f"a decision of {decision.user_id.login} was made by {role}"
                )
            if role not in policy.DECIDERS:
                problems.append(f"{role} made a decision")
            problems += self.decision_problems(decision)
        return problems

    def decision_problems(self, decision):
        """Why ``decision`` was not made by a legitimate approver, if so."""
        request = decision.request_id
        approvers = decision.step_id.approver_ids
        who = decision.user_id
        if who == request.requester_id:
            return [f"{request.name}: the requester decided"]
        if not decision.on_behalf_of_id:
            if who in approvers:
                return []
            return [f"{request.name}: {who.login} is no approver of the step"]
        giver = decision.on_behalf_of_id
        delegations = self.env["gov.approval.delegation"]._active_to(who, request)
        if giver in approvers and giver in delegations.user_id:
            return []
        return [f"{request.name}: {who.login} decided for {giver.login} unduly"]

    def governed_problems(self):
        """Governed documents in their governed state without a sealed
        approval that legitimate approvers made, or whose values differ from
        what was approved."""
        problems = []
        Request = self.env["gov.approval.request"].sudo()
        for states in self.documents.values():
            for document in states.values():
                document = document.sudo()
                for action, spec in document._gov_approval_actions.items():
                    state_field = spec.get("state_field")
                    if not state_field or not document._gov_approval_in_scope(action):
                        continue
                    if document[state_field] not in spec.get("to_states", ()):
                        continue
                    used = Request.search(
                        [
                            ("res_model", "=", document._name),
                            ("res_id", "=", document.id),
                            ("action", "=", action),
                            ("state", "=", "approved"),
                            ("action_done", "=", True),
                        ],
                        order="id desc",
                        limit=1,
                    )
                    label = f"{document.display_name} ({document[state_field]})"
                    if not used or not used._seal_holds():
                        problems.append(f"{label} without a sealed approval")
                        continue
                    for decision in used.decision_ids:
                        problems += self.decision_problems(decision)
                    if Request._snapshot_of(document)[1] != used.snapshot_hash:
                        problems.append(f"{label} differs from what was approved")
        return problems

    # ------------------------------------------------------------------
    # Counts
    # ------------------------------------------------------------------
    @classmethod
    def tearDownClass(cls):
        found = cls.found
        calls = sum(COUNTS.values())
        SUMMARY.update(
            {
                "models": len(found.models),
                "governed_documents": sorted(found.documents),
                "engine_models": len(found.engine),
                "methods_classified": found.pairs(),
                "roles": len(policy.ROLES),
                "routes": len(ROUTES),
                "calls": calls,
                "calls_by_check": dict(sorted(COUNTS.items())),
                "events": dict(sorted(EVENTS.items())),
                "seconds": round(time.monotonic() - cls.started, 1),
            }
        )
        line = (
            f"adversarial: {SUMMARY['models']} models,"
            f" {SUMMARY['methods_classified']} methods classified,"
            f" {SUMMARY['roles']} roles, {SUMMARY['routes']} routes,"
            f" {calls} calls"
        )
        _logger.info("%s %s %s", line, SUMMARY["calls_by_check"], SUMMARY["events"])
        SUMMARY["line"] = line
        try:
            folder = results_dir()
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "adversarial.json").write_text(
                json.dumps(SUMMARY, indent=2) + "\n"
            )
        except OSError:
            _logger.info("adversarial: could not write adversarial.json")
        super().tearDownClass()


def changed_value(record, field, users):
    """A value of ``field`` other than ``record``'s, as RPC sends it, or
    ``None`` when the field cannot be set from a client."""
    value = record[field.name]
    kind = field.type
    if kind in ("char", "text", "html"):
        return "forged by a role"
    if kind == "integer":
        return (value or 0) + 1
    if kind in ("float", "monetary"):
        return (value or 0.0) + 1.0
    if kind == "boolean":
        return not value
    if kind == "selection":
        options = [key for key, _label in field._description_selection(record.env)]
        preferred = ("approved", "accepted", "resolved", "posted", "purchase", "sent")
        others = [key for key in options if key != value]
        return next((key for key in preferred if key in others), None) or (
            others[0] if others else None
        )
    if kind in ("many2one", "many2many"):
        other = _other_record(record, field, value, users)
        if not other:
            return None
        return other.id if kind == "many2one" else [Command.set(other.ids)]
    if kind == "one2many":
        return [Command.clear()]
    if kind == "many2one_reference":
        return (value or 0) + 1
    if kind == "date":
        return "2020-01-01"
    if kind == "datetime":
        return "2020-01-01 00:00:00"
    if kind == "json":
        return {"forged": True}
    if kind == "binary":
        return base64.b64encode(b"forged").decode()
    return None


def _other_record(record, field, value, users):
    if field.comodel_name == "res.users":
        for user in (users["approver"], users["requester"]):
            if user not in value:
                return user
    Comodel = record.env[field.comodel_name].sudo().with_context(active_test=False)
    return Comodel.search([("id", "not in", value.ids)], order="id", limit=1)


def create_values(record, changes=None):
    """Values to create another record like ``record``, as RPC sends them."""
    values = record.sudo().copy_data()[0]
    for name, field in record._fields.items():
        if (
            field.type == "char"
            and name in values
            and values[name]
            and name
            in (
                "name",
                "path_key",
            )
        ):
            values[name] = f"{values[name]} (copy)"
    values.update(changes or {})
    return jsonable(values)


def kwargs_for(method, user):
    """Arguments that make a chatter or read method meaningful for ``user``."""
    partner = user.partner_id.id
    return {
        "message_post": {"body": "posted by a role"},
        "message_subscribe": {"partner_ids": [partner]},
        "message_unsubscribe": {"partner_ids": [partner]},
        "message_notify": {"body": "notified", "partner_ids": [partner]},
        "activity_schedule": {
            "act_type_xmlid": "mail.mail_activity_data_todo",
            "summary": "scheduled by a role",
        },
        "search_read": {"domain": [], "fields": ["id"]},
        "search": {"domain": []},
        "search_count": {"domain": []},
        "read": {"fields": ["id"]},
        "web_read": {"specification": {"display_name": {}}},
        "web_search_read": {"domain": [], "specification": {"display_name": {}}},
        "name_search": {"name": ""},
        "web_name_search": {"name": "", "specification": {"display_name": {}}},
        "fields_get": {"attributes": ["type"]},
        "get_views": {"views": [[False, "list"]]},
        "formatted_read_group": {"domain": [], "groupby": [], "aggregates": []},
        "web_read_group": {"domain": [], "groupby": [], "aggregates": []},
        "export_data": {"fields_to_export": ["id"]},
        "has_access": {"operation": "read"},
        "check_access_rights": {"operation": "read"},
        "check_access_rule": {"operation": "read"},
        "default_get": {"fields_list": ["id"]},
    }.get(method, {})


def result_ids(result):
    """The record ids an answer of a read method reveals."""
    value = result.value if isinstance(result, RpcResult) else result
    if isinstance(value, dict):
        value = value.get("records", [])
    ids = set()
    for row in value or []:
        if isinstance(row, dict) and "id" in row:
            ids.add(row["id"])
        elif isinstance(row, list | tuple) and row:
            ids.add(row[0])
        elif isinstance(row, int):
            ids.add(row)
    return ids


def role_route(index, offset=0):
    """One route per call, every route used across roles and targets."""
    return ROUTES[(index + offset) % len(ROUTES)]
