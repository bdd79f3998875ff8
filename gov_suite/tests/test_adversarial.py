# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The adversarial suite, generated from the registry.

Every ``gov.*`` model and every governed document model, every method Odoo
lets a client call on them and every write of an engine-owned or governed
field, as each role, through ``/web/dataset/call_kw``, ``/json/2``,
``/jsonrpc`` and ``/xmlrpc/2/object``. What each method is and who may call
it is in :mod:`.adversarial_policy`; a method nobody classified fails
:meth:`TestAdversarial.test_00_every_public_method_is_classified`.

Whatever the call, afterwards: no governed document is in its governed
state without a sealed approval that legitimate approvers made (with the
values they approved), and no decision is recorded for someone else.
"""

from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.gov_base.tests.rpc import ROUTES
from odoo.addons.gov_base.tools.engine import engine_writes

from . import adversarial_policy as policy
from .adversarial_case import (
    COUNTS,
    SEE_ALL_DELEGATIONS,
    SEE_ALL_REQUESTS,
    AdversarialCase,
    changed_value,
    create_values,
    kwargs_for,
    result_ids,
    role_route,
)
from .adversarial_discovery import is_model_method

ROLES = policy.ROLES
INVOLVED = (
    "gov.approval.request",
    "gov.approval.request.step",
    "gov.approval.decision",
    "gov.approval.change",
)
# chatter calls made by every role (the others once per model)
CHATTER_SWEEP = (
    "message_post",
    "message_subscribe",
    "message_unsubscribe",
    "message_notify",
    "activity_schedule",
)
# how many roles write each engine-owned field alone, and call each of
# Odoo's other writing methods (create, write, unlink and copy: every role
# over every route)
FIELD_TURNS = 3
DERIVED_TURNS = 2
DERIVED_WRITE_ARGS = {
    "name_create": {"name": "forged by a role"},
    "load": {"fields": ["id"], "data": [["__forged__"]]},
}


def not_access_error(result):
    if result.ok or not (
        "AccessError" in result.error or "AccessDenied" in result.error
    ):
        return None
    return f"refused to a role it lets through: {result.error[:200]}"


@tagged("post_install", "-at_install")
class TestAdversarial(AdversarialCase):
    """A few large tests; each failure names the model, method, role and route."""

    # ------------------------------------------------------------------
    # Classification
    # ------------------------------------------------------------------
    def test_00_every_public_method_is_classified(self):
        found = self.found
        self.assertTrue(found.documents, "no governed document model found")
        self.assertTrue(found.engine, "no engine-owned model found")
        self.assertGreater(found.pairs(), len(found.models))
        unclassified = found.unclassified()
        self.assertFalse(
            unclassified,
            "Methods callable over RPC that gov_suite/tests/adversarial_policy.py"
            " does not classify:\n" + "\n".join(unclassified),
        )
        self.assertFalse(
            self.missing_builders,
            "Governed document models without a fixture in adversarial_case.py",
        )
        self.assertFalse(
            self.missing_wizards,
            "Wizards without values in adversarial_case.py (_wizard_values)",
        )
        without_rows = sorted(m for m in found.engine if not self.rows.get(m))
        self.assertFalse(without_rows, "Engine-owned models without a fixture row")
        for model_name, states in self.documents.items():
            for name, document in states.items():
                with self.subTest(model=model_name, state=name):
                    self.assertEqual(self.governed_problems(), [])
                    self.assertTrue(document.exists())
        for decision in (
            self.env["gov.approval.decision"]
            .sudo()
            .search([("request_id", "!=", False)])
        ):
            self.assertEqual(self.decision_problems(decision), [])

    def test_01_the_checks_see_what_they_look_for(self):
        """The checks every call ends with report a governed state written
        without approval, a decision forged for another user, and any write:
        none of them can pass by looking at nothing."""
        marks = self._marks()
        self.assertEqual(self.invariant_problems("requester", marks, False), [])
        for model_name, states in self.documents.items():
            document = states["pending"]
            spec = next(
                spec
                for action, spec in document._gov_approval_actions.items()
                if document.sudo()._gov_approval_in_scope(action)
            )
            with self.subTest(model=model_name), self.env.cr.savepoint():
                # what raw SQL from a code server action could still do
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET %s = %s WHERE id = %s",
                        SQL.identifier(document._table),
                        SQL.identifier(spec["state_field"]),
                        spec["to_states"][0],
                        document.id,
                    )
                )
                self.env.invalidate_all()
                problems = self.invariant_problems("requester", marks, False)
                self.assertIn("without a sealed approval", " ".join(problems))
        request = self._pending_request()
        with self.env.cr.savepoint(), engine_writes("gov.approval.decision"):
            self.env["gov.approval.decision"].sudo().create(
                {
                    "request_id": request.id,
                    "step_id": request.current_step_id.id,
                    "company_id": request.company_id.id,
                    "user_id": self.role_users["requester"].id,
                    "approver_id": self.role_users["approver"].id,
                    "decision": "approve",
                }
            )
            problems = " ".join(self.invariant_problems("requester", marks, False))
            self.assertIn("requester made a decision", problems)
            self.assertIn("the requester decided", problems)
        writes = self.table_writes()
        before = self.snapshot(self.item)
        with self.env.cr.savepoint(), engine_writes("gov.exception.item"):
            self.item.sudo().write({"name": "changed by the engine"})
            self.env.flush_all()
            self.assertIn("gov_exception_item", self.written_since(writes))
            self.assertNotEqual(self.snapshot(self.item), before)

    # ------------------------------------------------------------------
    # Engine-owned records: written by their engine only
    # ------------------------------------------------------------------
    def assert_calls_made(self, checks):
        for check in checks:
            self.assertGreater(COUNTS[check], 0, f"no {check} call was made")

    def _stored_fields(self, record):
        free = getattr(record, "_gov_engine_free_fields", frozenset())
        return [
            name
            for name, field in record._fields.items()
            if field.store
            and name != "id"
            and name not in LOG_ACCESS_COLUMNS
            and name not in free
        ]

    def _forged_values(self, record, names):
        values = {}
        for name in names:
            value = changed_value(record.sudo(), record._fields[name], self.role_users)
            if value is not None:
                values[name] = value
        return values

    def test_engine_owned_records_are_written_by_their_engine_only(self):
        found = self.found
        for model_name in sorted(found.engine):
            record = self.rows[model_name][:1]
            names = self._stored_fields(record)
            forged = self._forged_values(record, names)
            relations = [
                n for n in forged if record._fields[n].type in ("many2many", "one2many")
            ]
            methods = found.methods[model_name]
            derived = sorted(
                m
                for m, rule in methods.items()
                if rule and rule.kind == policy.WRITE and m not in policy.CORE_WRITE
            )
            for role in ROLES:
                for route in ROUTES:
                    self._core_writes(role, route, record, forged, relations)
            # each field alone, by roles and over routes that turn
            for f_index, name in enumerate(forged):
                for role, route in self._turns(f_index, FIELD_TURNS):
                    self.attempt(
                        "engine_field",
                        role,
                        route,
                        model_name,
                        "write",
                        record.ids,
                        kwargs={"vals": {name: forged[name]}},
                        refuse=True,
                        watch=record,
                        watch_fields=[name] if name in relations else (),
                    )
            for m_index, method in enumerate(derived):
                for role, route in self._turns(m_index, DERIVED_TURNS):
                    self._derived_write(role, route, record, method, forged)
        self.assert_calls_made(("engine_write", "engine_field"))

    @staticmethod
    def _turns(index, count):
        """``count`` (role, route) pairs for the ``index``-th target: over the
        targets, every role and every route come in turn."""
        return [
            (
                ROLES[(index * count + turn) % len(ROLES)],
                ROUTES[(index + turn) % len(ROUTES)],
            )
            for turn in range(count)
        ]

    def _core_writes(self, role, route, record, forged, relations):
        model_name = record._name
        common = {"refuse": True, "watch": record, "no_new": model_name}
        self.attempt(
            "engine_write",
            role,
            route,
            model_name,
            "create",
            kwargs={"vals_list": [create_values(record)]},
            **common,
        )
        self.attempt(
            "engine_write",
            role,
            route,
            model_name,
            "write",
            record.ids,
            kwargs={"vals": forged},
            watch_fields=relations,
            **common,
        )
        for method in ("unlink", "copy"):
            self.attempt(
                "engine_write", role, route, model_name, method, record.ids, **common
            )

    def _derived_write(self, role, route, record, method, forged):
        kwargs = dict(DERIVED_WRITE_ARGS.get(method, {}))
        if method == "web_save":
            kwargs = {"vals": forged, "specification": {}}
        # load and name_create answer without raising: what counts is that
        # nothing was written
        answers = method in ("name_create", "load")
        self.attempt(
            "engine_write",
            role,
            route,
            record._name,
            method,
            None if answers else record.ids,
            kwargs=kwargs,
            refuse=not answers,
            watch=record,
            no_new=record._name,
        )

    # ------------------------------------------------------------------
    # Governed documents: no governed state without a legitimate approval
    # ------------------------------------------------------------------
    def test_governed_documents_reach_their_state_only_approved(self):
        found = self.found
        for model_name, states in sorted(self.documents.items()):
            Document = self.env[model_name]
            targets = {
                (spec["state_field"], state)
                for spec in Document._gov_approval_actions.values()
                if spec.get("state_field")
                for state in spec.get("to_states", ())
            }
            methods = found.by_kind(model_name, policy.STATE)
            gated = [m for m in methods if self._suite_method(model_name, m)]
            odoo = [m for m in methods if m not in gated]
            line_field = Document._gov_approval_line_field
            for start in ("pending", "cancelled"):
                document = states[start]
                line = (
                    document.sudo()[line_field][:1].sudo(False) if line_field else None
                )
                line_methods = found.by_kind(line._name, policy.STATE) if line else []
                for r_index, role in enumerate(ROLES):
                    # the governed state and the gated methods: every route
                    for route in ROUTES:
                        for state_field, state in sorted(targets):
                            self.attempt(
                                "document_state",
                                role,
                                route,
                                model_name,
                                "write",
                                document.ids,
                                kwargs={"vals": {state_field: state}},
                                refuse=True,
                            )
                        for method in gated:
                            self._state_call(role, route, document, method)
                    # Odoo's own business methods: one route, turning
                    for m_index, method in enumerate(odoo):
                        route = role_route(r_index, m_index)
                        self._state_call(role, route, document, method)
                    for m_index, method in enumerate(line_methods):
                        route = role_route(r_index, m_index)
                        self._state_call(role, route, line, method)
            self._approved_values_hold(states["approved"])
        self.assert_calls_made(("document_state", "document_method", "approved_values"))

    def _suite_method(self, model_name, method):
        module = self.found.functions[model_name][method].__module__ or ""
        return module.startswith("odoo.addons.gov_")

    def _state_call(self, role, route, records, method):
        function = self.found.functions[records._name][method]
        model_call = is_model_method(function)
        self.attempt(
            "document_method",
            role,
            route,
            records._name,
            method,
            None if model_call else records.ids,
        )

    def _approved_values_hold(self, document):
        """Each value an approval covers, changed on the document that used
        it, by every role: refused, or the change needs no approval."""
        targets = [
            (document, name) for name in document._gov_approval_snapshot_fields()
        ]
        line_field = document._gov_approval_line_field
        if line_field:
            line = document.sudo()[line_field][:1]
            targets += [
                (line, name)
                for name in document._gov_approval_line_watched_fields
                if name in line._fields
            ]
        for r_index, role in enumerate(ROLES):
            for t_index, (record, name) in enumerate(targets):
                value = changed_value(
                    record.sudo(), record._fields[name], self.role_users
                )
                if value is None:
                    continue
                self.attempt(
                    "approved_values",
                    role,
                    role_route(r_index, t_index),
                    record._name,
                    "write",
                    record.ids,
                    kwargs={"vals": {name: value}},
                )

    # ------------------------------------------------------------------
    # The suite's own methods, as each role
    # ------------------------------------------------------------------
    def _target(self, model_name, role):
        if model_name in self.wizards:
            return self.own_wizards.get((model_name, role), self.wizards[model_name])
        if model_name in self.documents:
            return self.documents[model_name]["pending"]
        if model_name in self.found.lines:
            for states in self.documents.values():
                document = states["pending"].sudo()
                lines = document[document._gov_approval_line_field]
                if lines._name == model_name:
                    return lines[:1]
        return self.rows.get(model_name, self.env[model_name])[:1]

    def _allowed(self, rule, role, target):
        if rule.allowed == policy.READERS:
            user = self.role_users[role]
            return bool(target) and target.with_user(user).has_access("read")
        return role in rule.allowed

    def test_suite_methods_refuse_whom_they_do_not_let_through(self):
        found = self.found
        for model_name in found.models:
            for method, rule in sorted(found.methods[model_name].items()):
                if not rule or rule.kind not in (policy.BUTTON, policy.ACTION):
                    continue
                model_call = is_model_method(found.functions[model_name][method])
                for r_index, role in enumerate(ROLES):
                    target = self._target(model_name, role)
                    if not target and not model_call:
                        continue
                    routes = (
                        ROUTES
                        if rule.kind == policy.BUTTON
                        else (role_route(r_index, len(method)),)
                    )
                    for route in routes:
                        self._suite_call(rule, role, route, target, method, model_call)
        self.assert_calls_made(("suite_button", "suite_action"))

    def _suite_call(self, rule, role, route, target, method, model_call):
        """An action opens for those it lets through only and changes
        nothing; a button is refused to the others, or changes nothing (as
        when record rules leave it nothing to work on)."""
        allowed = self._allowed(rule, role, target)
        action = rule.kind == policy.ACTION
        ours = self._suite_method(target._name, method)
        self.attempt(
            f"suite_{rule.kind}",
            role,
            route,
            target._name,
            method,
            None if model_call else target.ids,
            kwargs=rule.kwargs,
            refuse=action and not allowed,
            change_nothing=not action and not allowed,
            expect=not_access_error if allowed and ours else None,
            watch=None if model_call or (allowed and not action) else target,
            no_new=target._name if model_call and not allowed else None,
        )

    # ------------------------------------------------------------------
    # Configuration: written by its managers only
    # ------------------------------------------------------------------
    def test_configuration_is_written_by_its_managers_only(self):
        found = self.found
        documents = found.documents | found.lines
        for model_name in sorted(found.suite - found.engine - documents):
            Model = self.env[model_name]
            record = self.rows.get(model_name, Model)[:1]
            if not record:
                continue
            transient = Model._transient
            writers = policy.NOBODY if transient else policy.WRITERS.get(model_name)
            self.assertIsNotNone(writers, f"{model_name}: say who writes it in WRITERS")
            names = [
                n
                for n in self._stored_fields(record)
                if record._fields[n].type in ("char", "text")
                and not record._fields[n].readonly
            ][:1]
            forged = self._forged_values(record, names) or {"active": True}
            calls = [("write", {"vals": forged}), ("unlink", {}), ("copy", {})]
            if not transient:
                calls.insert(0, ("create", {"vals_list": [create_values(record)]}))
            for r_index, role in enumerate(ROLES):
                allowed = role in writers
                for c_index, (method, kwargs) in enumerate(calls):
                    self.attempt(
                        "config_write",
                        role,
                        role_route(r_index, c_index),
                        model_name,
                        method,
                        None if method == "create" else record.ids,
                        kwargs=kwargs,
                        change_nothing=not allowed,
                        expect=not_access_error if allowed else None,
                        watch=None if allowed else record,
                        no_new=None if allowed else model_name,
                    )
        self.assert_calls_made(("config_write",))

    # ------------------------------------------------------------------
    # Chatter
    # ------------------------------------------------------------------
    def test_chatter_changes_no_engine_record_and_nothing_for_auditors(self):
        found = self.found
        for model_name in found.models:
            chatter = found.by_kind(model_name, policy.CHATTER)
            record = self._target(model_name, "requester")
            if not chatter or not record or self.env[model_name]._transient:
                continue
            engine = model_name in found.engine
            for m_index, method in enumerate(chatter):
                sweep = engine and method in CHATTER_SWEEP
                for r_index, role in enumerate(ROLES):
                    if not sweep and r_index != m_index % len(ROLES):
                        continue
                    auditor_refused = (
                        role == "auditor" and method not in policy.CHATTER_READERS
                    )
                    self.attempt(
                        "chatter",
                        role,
                        role_route(r_index, m_index),
                        model_name,
                        method,
                        record.ids,
                        kwargs=kwargs_for(method, self.role_users[role]),
                        change_nothing=auditor_refused,
                        watch=record if engine or auditor_refused else None,
                    )
        self.assert_calls_made(("chatter",))

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def test_each_role_reads_only_what_it_may(self):
        found = self.found
        visible = {}
        for model_name in found.models:
            for role in ROLES:
                result = self.attempt(
                    "read",
                    role,
                    "json2",
                    model_name,
                    "search_read",
                    kwargs={"domain": [], "fields": ["id"]},
                    expect=lambda r, m=model_name, ro=role: self.read_problem(m, ro, r),
                )
                visible[(model_name, role)] = result_ids(result) if result.ok else set()
        for model_name in found.models:
            rows = self._target(model_name, "requester")
            for r_index, role in enumerate(ROLES):
                seen = visible[(model_name, role)]
                for row in rows:
                    self.attempt(
                        "read",
                        role,
                        role_route(r_index, row.id),
                        model_name,
                        "read",
                        row.ids,
                        kwargs={"fields": ["id"]},
                        expect=lambda r, i=row.id, s=seen: (
                            f"reads #{i}, which its searches do not show"
                            if r.ok and i in result_ids(r) and i not in s
                            else None
                        ),
                    )
        self._read_methods(visible)
        self.assert_calls_made(("read", "read_method"))

    def _read_methods(self, visible):
        """Odoo's other read methods on engine-owned records and governed
        documents, once each (the role and route turn): they change nothing
        and reveal no record the role's searches do not show."""
        found = self.found
        turn = 0
        for model_name in sorted(found.engine | found.documents):
            record = self._target(model_name, "requester")
            for method in found.by_kind(model_name, policy.READ):
                role = ROLES[turn % len(ROLES)]
                turn += 1
                function = found.functions[model_name][method]
                seen = visible[(model_name, role)]
                self.attempt(
                    "read_method",
                    role,
                    role_route(turn, turn // len(ROLES)),
                    model_name,
                    method,
                    None if is_model_method(function) else record.ids,
                    kwargs=kwargs_for(method, self.role_users[role]),
                    watch=record,
                    expect=lambda r, m=method, s=seen: (
                        f"{m} reveals {sorted(result_ids(r) - s)}"
                        if m in ("search", "search_read", "web_search_read", "read")
                        and r.ok
                        and result_ids(r) - s
                        else None
                    ),
                )

    def read_problem(self, model_name, role, result):
        """What a role's ``search_read([])`` of a model must not return."""
        Model = self.env[model_name].sudo().with_context(active_test=False)
        suite = model_name in self.found.suite
        audited = (
            suite and not Model._transient and model_name not in policy.NOT_AUDITED
        )
        if not result.ok:
            if role == "auditor" and audited:
                return f"Auditors read every model of the suite: {result.error[:150]}"
            return None
        rows = Model.browse(sorted(result_ids(result)))
        user = self.role_users[role]
        problems = []
        if role == "portal" and rows:
            problems.append("a portal user reads records")
        business = model_name in self.found.documents | self.found.lines
        if suite and not business and role == "plain" and rows:
            problems.append("a user without a governance role reads records")
        if Model._transient:
            foreign = rows.filtered(lambda r: r.create_uid != user)
            if foreign:
                problems.append(f"reads other users' wizards {foreign.ids}")
        if role == "outsider":
            leaked = rows.filtered(lambda r: self.company_a in self._companies(r))
            if leaked:
                problems.append(f"reads company A's {leaked.ids}")
        if model_name in INVOLVED and role not in SEE_ALL_REQUESTS:
            foreign = rows - self._involved(model_name, user)
            if foreign:
                problems.append(f"reads {foreign.ids} it is not involved in")
        if model_name == "gov.approval.delegation" and role not in SEE_ALL_DELEGATIONS:
            foreign = rows.filtered(lambda d: user not in d.user_id | d.delegate_id)
            if foreign:
                problems.append(f"reads other people's delegations {foreign.ids}")
        if role == "auditor" and audited:
            mine = self.rows.get(model_name, Model).filtered(
                lambda r: self.company_a in self._companies(r)
            )
            if model_name in policy.TARGET_BOUND:
                mine = mine.filtered(lambda r: self._may_read_target(r, user))
            missing = mine - rows
            if missing:
                problems.append(f"an Auditor does not see {missing.ids}")
        return "; ".join(problems) or None

    def _may_read_target(self, record, user):
        if record.res_model not in self.env:
            return False
        target = self.env[record.res_model].browse(record.res_id).exists()
        return bool(target) and target.with_user(user).has_access("read")

    def _companies(self, record):
        if "company_id" in record._fields:
            return record.company_id
        path = policy.COMPANY_PATHS.get(record._name)
        if path:
            return record.mapped(path)
        return self.env["res.company"]

    def _involved(self, model_name, user):
        Request = self.env["gov.approval.request"].sudo()
        uid = user.id
        requests = Request.search(
            [
                "|",
                "|",
                ("requester_id", "=", uid),
                ("step_ids.approver_ids", "in", [uid]),
                ("decision_ids.user_id", "in", [uid]),
            ]
        ) | Request.with_user(user).sudo().search([("can_decide", "=", True)])
        if model_name == "gov.approval.request":
            return requests
        return self.env[model_name].sudo().search([("request_id", "in", requests.ids)])
