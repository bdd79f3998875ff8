"""Purchase approval: our matrix gate against OCA purchase_tier_validation.

Both gates hold the confirmation of a purchase order, so each is installed
into its own database; both are measured in the same run on the same machine
with the same scenario: a requester, two approvers, and a two-level
sequential rule for orders from 1,000 (level 1 the first approver, level 2
the second), orders of one untaxed line of 5,000.

- ``cycle``: request, two approvals and confirmation of one order, each step
  as the real user with the caches emptied first (a fresh request). Medians
  over the orders; ratios are ours / OCA, so below 1 means fewer queries.
- ``state_reads``: an approver reads the approval status of a list of
  pending orders, caches emptied first.
- ``mass_approval``: one approver approves level 1 of many pending orders.
- ``escalation``: the escalation scheduled action over ``ESCALATION_STEPS``
  overdue steps (one per pending order, built in SQL), one batch per call as
  Odoo's scheduler runs it: total time and queries per batch (target: constant
  queries per batch, the whole run within ``ESCALATION_TARGET_S``). Ours only:
  OCA has no escalation.
- ``replay``: the what-if replay of a draft three-band matrix over
  ``REPLAY_DOCUMENTS`` purchase orders of the last 12 months (copied in SQL,
  amounts and dates spread), against the active matrix: seconds and queries
  (target: within ``REPLAY_TARGET_S``). Ours only: OCA has no replay.
- ``nocode_overhead``: what the no-code wrapper of a method adds to a call
  on a model no matrix governs (``res.partner``): queries and ``ormcache``
  misses per call, caches warm (target: at most 1 query, no miss).
- ``cycle_oca_notifying``: the cycle again in the OCA database, with OCA's
  e-mail notifications switched on (orders of another vendor): the closest
  OCA comes to the e-mails, messages and requester news ours sends, so the
  like-for-like configuration and the target's anchor (ours at most
  ``TARGET_QUERY_RATIO`` of its queries and of its time). Against OCA's
  defaults (``cycle``), the ratio tells the cost of telling people apart
  from that of the gate.

The OCA addons come from PyPI into ``.bench/oca`` (not versioned) and are
installed in the anchor database only; this file calls them through the ORM
and imports nothing of them. Every measurement runs in a transaction that is
rolled back, and the runner drops both databases.
"""

import ast
import os
import re
import statistics
import subprocess
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from odoo_env import REPO, odoo_addons_paths, odoo_probe, python, say

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.tools import SQL

MODULES = ["gov_approval_purchase"]
OCA_DIR = REPO / ".bench" / "oca"
OCA_PACKAGES = (
    "odoo-addon-purchase-tier-validation==19.0.*",
    "odoo-addon-base-tier-validation==19.0.*",
)
OCA_ADDONS = ("purchase_tier_validation", "base_tier_validation")
THRESHOLD = 1000
AMOUNT = 5000
CYCLES = 50
WARMUP = 3
STATE_SIZES = (10, 160, 1000)
MASS = 500
TARGET_QUERY_RATIO = 0.5
ESCALATION_STEPS = 100_000
ESCALATION_TARGET_S = 30
REPLAY_DOCUMENTS = 10_000
REPLAY_TARGET_S = 10
NOCODE_CALLS = 1000
STEPS = ("request", "approve_1", "approve_2", "confirm")
# Only for building the fixtures, never inside a measurement.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
TABLE = re.compile(r"\b(?:from|into|update)\s+\"?(\w+)", re.IGNORECASE)


def extra_databases():
    return {"oca": {"modules": ["purchase_tier_validation"], "addons_paths": [_oca()]}}


def run(registry, oca):
    sides = {"ours": GovSide(registry), "oca": OcaSide(oca)}
    notifying = OcaSide(oca, notify=True)
    for side in (*sides.values(), notifying):
        side.setup()
    cycle = _cycle_comparison(sides)
    cycle_notifying = notifying.cycles()
    notifying_ratios = _ratios(
        cycle["ours"]["median"]["total"], cycle_notifying["median"]["total"]
    )
    pools = {name: side.pool() for name, side in sides.items()}
    reads = {name: pool["state_reads"] for name, pool in pools.items()}
    read_queries = {reads["ours"][str(size)]["queries"] for size in STATE_SIZES}
    mass = {name: pool["mass_approval"] for name, pool in pools.items()}
    replay = sides["ours"].replay(REPLAY_DOCUMENTS)
    nocode_overhead = sides["ours"].nocode_overhead()
    escalation = sides["ours"].escalation(ESCALATION_STEPS)
    return {
        "escalation": escalation,
        "replay": replay,
        "nocode_overhead": nocode_overhead,
        "scenario": {
            "orders": f"one line of {AMOUNT}, no taxes, company currency",
            "rule": f"amount_total >= {THRESHOLD}: approver1, then approver2",
            "ours": "gov.approval.matrix, one band, two user steps, auto_resume",
            "oca": "two tier.definition, individual reviewers, approve_sequence",
            "oca_notifying": "the same definitions with OCA's e-mail notifications"
            " on (reviewers on creation and when their turn comes, on accepted and"
            " rejected reviews): the closest OCA gets to what ours sends",
        },
        "cycle": {
            **cycle,
            "note": "ours confirms inside approve_2 (auto_resume, as the"
            " requester); in OCA the requester confirms after the approvals."
            " queries_by_table: the last order's queries per step, by the first"
            " word of the first table each query reads or writes. OCA's"
            " defaults tell nobody: the target's anchor is cycle_oca_notifying",
        },
        "cycle_oca_notifying": {
            **cycle_notifying,
            "ratio_ours_vs_oca_notifying": notifying_ratios,
            "target": "ours at most half of the queries and of the time of OCA"
            " with its notifications on (the like-for-like configuration)",
            "target_met": max(notifying_ratios.values()) <= TARGET_QUERY_RATIO,
        },
        "state_reads": {
            "fields": {name: list(side.STATE_FIELDS) for name, side in sides.items()},
            "user": "approver1, level 1 of every order pending on them",
            **reads,
            "ours_constant_in_order_count": len(read_queries) == 1,
        },
        "mass_approval": {
            "requests": MASS,
            **mass,
            "ratio_ours_vs_oca": {
                key: round(mass["ours"][key] / mass["oca"][key], 3)
                for key in ("queries", "seconds")
            },
            "note": "ours: the decision wizard over all requests (each one"
            " checked, the writes grouped); OCA has no mass approval, so"
            " validate_tier() is called order by order in one transaction",
        },
    }


def _cycle_comparison(sides):
    results = {name: side.cycles() for name, side in sides.items()}
    return {
        "orders": CYCLES,
        "warmup_orders": WARMUP,
        **results,
        "ratio_ours_vs_oca": _ratios(
            results["ours"]["median"]["total"], results["oca"]["median"]["total"]
        ),
    }


def _ratios(ours, anchor):
    return {
        "queries": round(ours["queries"] / anchor["queries"], 3),
        "time": round(ours["ms"] / anchor["ms"], 3),
    }


def _oca():
    """The addons folder of the OCA anchor, fetched from PyPI on first use."""
    addons = OCA_DIR / "odoo" / "addons"
    if not all((addons / name / "__manifest__.py").exists() for name in OCA_ADDONS):
        say(f"fetching {', '.join(OCA_PACKAGES)} into {OCA_DIR.relative_to(REPO)}")
        subprocess.run(
            [
                python(),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--upgrade",
                "--target",
                str(OCA_DIR),
                *OCA_PACKAGES,
            ],
            check=True,
        )
    _check_depends(addons)
    return addons


def _check_depends(addons):
    """Every addon the OCA ones depend on is theirs or Odoo's."""
    _version, package_dir = odoo_probe()
    folders = [addons, *odoo_addons_paths(package_dir)]
    for manifest in addons.glob("*/__manifest__.py"):
        for name in ast.literal_eval(manifest.read_text()).get("depends", []):
            if not any(
                (folder / name / "__manifest__.py").exists() for folder in folders
            ):
                raise SystemExit(
                    f"{manifest.parent.name} needs the addon {name!r}: add its"
                    " package to OCA_PACKAGES"
                )


def _measure(env, call, tables=None):
    """(queries, seconds) of ``call``, from empty caches to a flushed transaction.

    ``tables``, a Counter, also receives the queries by table family.
    """
    env.flush_all()
    env.cr.flush()
    env.invalidate_all()
    before = env.cr.sql_log_count
    started = time.perf_counter()
    with _tally(tables):
        call()
        env.flush_all()
        env.cr.flush()
    return env.cr.sql_log_count - before, time.perf_counter() - started


@contextmanager
def _tally(tables):
    """Count queries by table family ("gov", "mail", ...) through Odoo's hook."""
    if tables is None:
        yield
        return
    thread = threading.current_thread()
    hooks = getattr(thread, "query_hooks", ())

    def hook(_cr, query, _params, _start, _delay):
        match = TABLE.search(query if isinstance(query, str) else query.decode())
        tables[match.group(1).split("_")[0] if match else "other"] += 1

    thread.query_hooks = (*hooks, hook)
    try:
        yield
    finally:
        thread.query_hooks = hooks


def _tallies(tables):
    """A function giving the Counter of a step in ``tables``, or None."""
    if tables is None:
        return lambda _step: None
    return lambda step: tables.setdefault(step, Counter())


def _median(samples):
    return {
        "queries": statistics.median(queries for queries, _seconds in samples),
        "ms": round(
            statistics.median(seconds for _queries, seconds in samples) * 1e3, 2
        ),
    }


class Side:
    """One gate, in its own database: fixtures and the user actions."""

    STATE_FIELDS = ()
    REQUESTER_GROUPS = ("purchase.group_purchase_user",)
    APPROVER_GROUPS = ("purchase.group_purchase_manager",)

    def __init__(self, registry, notify=False):
        self.registry = registry
        # a second configuration in the same database gets its own people
        self.notify = notify
        self.suffix = "_notify" if notify else ""

    def setup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            self.requester = self._user(env, "requester", self.REQUESTER_GROUPS)
            self.approver1 = self._user(env, "approver1", self.APPROVER_GROUPS)
            self.approver2 = self._user(env, "approver2", self.APPROVER_GROUPS)
            self.partner = (
                env["res.partner"].create({"name": f"Bench Vendor{self.suffix}"}).id
            )
            self.product = (
                env["product.product"]
                .create(
                    {
                        "name": "Bench Item",
                        "type": "consu",
                        "supplier_taxes_id": [Command.clear()],
                        "taxes_id": [Command.clear()],
                    }
                )
                .id
            )
            self._rule(env)

    def _user(self, env, login, groups):
        return (
            env["res.users"]
            .create(
                {
                    "name": f"{login}{self.suffix}".capitalize(),
                    "login": f"{login}{self.suffix}",
                    "email": f"{login}{self.suffix}@example.com",
                    "group_ids": [Command.set([env.ref(x).id for x in groups])],
                }
            )
            .id
        )

    def _approvals(self):
        return (("approve_1", self.approver1), ("approve_2", self.approver2))

    def _orders(self, env, count):
        """Ids of ``count`` new draft orders of the requester.

        Callers browse them again: a record taken from a large recordset
        would prefetch for all of them, which no user clicking a button does.
        """
        line = {
            "product_id": self.product,
            "product_qty": 1,
            "price_unit": AMOUNT,
            "tax_ids": [Command.clear()],
        }
        orders = (
            env["purchase.order"]
            .with_user(self.requester)
            .with_context(QUIET)
            .create(
                [
                    {"partner_id": self.partner, "order_line": [Command.create(line)]}
                    for _index in range(count)
                ]
            )
        )
        return orders.ids

    def cycles(self):
        samples = {step: [] for step in (*STEPS, "total")}
        tables = {}
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ids = self._orders(env, WARMUP + CYCLES)
            for index, order_id in enumerate(ids):
                order = env["purchase.order"].browse(order_id)
                last = order_id == ids[-1]
                steps = self._cycle(env, order, tables if last else None)
                if order.state != "purchase":
                    raise AssertionError(f"{order.name} not confirmed: {order.state}")
                if index < WARMUP:
                    continue
                for step, sample in steps.items():
                    samples[step].append(sample)
                samples["total"].append(
                    tuple(sum(part) for part in zip(*steps.values(), strict=True))
                )
            cr.rollback()
        medians = {
            step: _median(values) if values else None
            for step, values in samples.items()
        }
        return {
            "median": medians,
            "costliest_step": max(
                (step for step in STEPS if medians[step]),
                key=lambda step: medians[step]["queries"],
            ),
            "queries_by_table": {
                step: dict(counter.most_common()) for step, counter in tables.items()
            },
        }

    def pool(self):
        """State reads and mass approval over many orders pending on approver1."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ids = self._orders(env, max(STATE_SIZES))
            Order = env["purchase.order"]
            self._request_all(
                Order.browse(ids).with_user(self.requester).with_context(QUIET)
            )
            reader = Order.with_user(self.approver1)
            names = list(self.STATE_FIELDS)
            reader.browse(ids[: STATE_SIZES[0]]).read(names)  # warm-up
            reads = {}
            for size in STATE_SIZES:
                orders = reader.browse(ids[:size])
                queries, seconds = _measure(
                    env, lambda orders=orders: orders.read(names)
                )
                reads[str(size)] = {"queries": queries, "ms": round(seconds * 1e3, 2)}
            self._check_pending(reader.browse(ids))
            mass = Order.browse(ids[:MASS])
            queries, seconds = _measure(env, self._mass_approval(mass))
            self._check_level_one_done(Order.browse(ids[:MASS]))
            cr.rollback()
        return {
            "state_reads": reads,
            "mass_approval": {
                "queries": queries,
                "seconds": round(seconds, 2),
                "queries_per_request": round(queries / MASS, 2),
                "ms_per_request": round(seconds / MASS * 1e3, 2),
            },
        }

    def _rule(self, env):
        """Create the two-level rule."""
        raise NotImplementedError

    def _cycle(self, env, order, tables=None):
        """Take one order through the cycle: {step: (queries, seconds)}."""
        raise NotImplementedError

    def _request_all(self, orders):
        """Ask for the approval of many orders at once (fixtures)."""
        raise NotImplementedError

    def _check_pending(self, orders):
        """Fail unless every order waits for approver1."""
        raise NotImplementedError

    def _mass_approval(self, orders):
        """A function approving level 1 of every order as approver1."""
        raise NotImplementedError

    def _check_level_one_done(self, orders):
        """Fail unless level 1 is approved and level 2 pending everywhere."""
        raise NotImplementedError


class GovSide(Side):
    STATE_FIELDS = (
        "gov_approval_state",
        "gov_approval_can_decide",
        "gov_approval_summary",
    )
    REQUESTER_GROUPS = ("purchase.group_purchase_user", "gov_base.gov_base_group_user")
    APPROVER_GROUPS = (
        "purchase.group_purchase_manager",
        "gov_base.gov_base_group_approver",
    )

    def _rule(self, env):
        steps = [(10, "Level 1", self.approver1), (20, "Level 2", self.approver2)]
        env["gov.approval.matrix"].create(
            {
                "name": "Bench purchase approval",
                "action": "purchase.order:confirm",
                "company_id": env.company.id,
                "auto_resume": True,
                "line_ids": [
                    Command.create(
                        {
                            "min_amount": THRESHOLD,
                            "max_amount": 0,
                            "step_ids": [
                                Command.create(
                                    {
                                        "sequence": sequence,
                                        "name": name,
                                        "approver_type": "user",
                                        "user_ids": [Command.set([user])],
                                    }
                                )
                                for sequence, name, user in steps
                            ],
                        }
                    )
                ],
            }
        )

    def _requests(self, orders):
        Request = orders.env["gov.approval.request"].sudo()
        requests = Request.search(
            [
                ("res_model", "=", "purchase.order"),
                ("res_id", "in", orders.ids),
                ("state", "=", "pending"),
            ]
        )
        if len(requests) != len(orders):
            raise AssertionError(f"{len(requests)} requests for {len(orders)} orders")
        return requests

    def _cycle(self, env, order, tables=None):
        tally = _tallies(tables)
        requester = order.with_user(self.requester)
        steps = {"request": _measure(env, requester.button_confirm, tally("request"))}
        request = self._requests(order).with_env(env)
        for step, approver in self._approvals():
            decide = request.with_user(approver)._decide
            steps[step] = _measure(
                env, lambda decide=decide: decide("approve"), tally(step)
            )
        return steps

    def _request_all(self, orders):
        orders.button_confirm()

    def _check_pending(self, orders):
        if set(orders.mapped("gov_approval_can_decide")) != {True}:
            raise AssertionError("some orders do not wait for approver1")

    def _mass_approval(self, orders):
        """Approve the requests of ``orders`` selected in the list at once."""
        requests = self._requests(orders)
        Wizard = (
            orders.env["gov.approval.decision.wizard"]
            .with_user(self.approver1)
            .with_context(active_model=requests._name, active_ids=requests.ids)
        )

        def approve():
            result = Wizard.create({"decision": "approve"}).action_confirm()
            if result["params"]["type"] != "success":
                raise AssertionError(result["params"]["message"])

        return approve

    def escalation(self, count):
        """The escalation scheduled action over ``count`` overdue steps.

        The orders, requests and steps are copied in SQL from one real
        pending order (an ORM loop would take longer than what is measured);
        the scheduled action then runs as Odoo's scheduler calls it, one batch
        per call, each committing its progress. Runs last: it commits.

        Queries per batch are the steady ones: the first batch also fills the
        registry caches a worker keeps (``first``), the last one is short.
        """
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            [template] = self._orders(env, 1)
            order = env["purchase.order"].browse(template).with_user(self.requester)
            order.button_confirm()
            request = self._requests(order)
            _clone_pending(env, order, request, count, self.approver2)
            cr.commit()
            Request = env["gov.approval.request"]
            per_batch, batches = [], 0
            started = time.perf_counter()
            while True:
                before = cr.sql_log_count
                done = Request._cron_escalate()
                if not done:
                    break
                batches += 1
                per_batch.append(cr.sql_log_count - before)
            seconds = time.perf_counter() - started
            # the batches but the first (cold caches) and the last (short)
            steady = per_batch[1:-1] or per_batch
            left = env["gov.approval.request.step"].search_count(
                [("state", "=", "pending"), ("escalated", "=", False)]
            )
        return {
            "steps": count + 1,
            "batches": batches,
            "seconds": round(seconds, 1),
            "steps_per_second": round((count + 1) / seconds),
            "queries_per_batch": {
                "first": per_batch[0],
                "min": min(steady),
                "median": statistics.median(steady),
                "max": max(steady),
            },
            "left_unescalated": left,
            "load_average": [round(load, 2) for load in os.getloadavg()],
            "target": f"constant queries per batch, <= {ESCALATION_TARGET_S} s",
            "target_met": seconds <= ESCALATION_TARGET_S
            and max(steady) - min(steady) <= 2,
        }

    def replay(self, count):
        """Replay a draft matrix over ``count`` orders of the last 12 months."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            [template] = self._orders(env, 1)
            _clone_orders(env, template, count)
            draft = env["gov.approval.matrix"].create(
                {
                    "name": "Bench draft: three bands",
                    "action": "purchase.order:confirm",
                    "company_id": env.company.id,
                    "active": False,
                    "sequence": 1,
                    "line_ids": [
                        Command.create({"min_amount": 0, "max_amount": 1000}),
                        Command.create(
                            {
                                "min_amount": 1000,
                                "max_amount": 10000,
                                "step_ids": [_user_step("Level 1", self.approver1)],
                            }
                        ),
                        Command.create(
                            {
                                "min_amount": 10000,
                                "max_amount": 0,
                                "step_ids": [
                                    _user_step("Level 1", self.approver1),
                                    _user_step("Level 2", self.approver2, 20),
                                ],
                            }
                        ),
                    ],
                }
            )
            env.flush_all()
            env.invalidate_all()
            manager = self._user(
                env, "matrix_manager", ("gov_base.gov_base_group_matrix_manager",)
            )
            replay = (
                env["gov.approval.replay"]
                .with_user(manager)
                .create({"matrix_id": draft.id, "months": 12})
            )
            queries, seconds = _measure(env, replay.action_replay)
            result = {
                "documents": replay.document_count,
                "would_need_approval": replay.proposed_count,
                "need_approval_today": replay.current_count,
                "figures": len(replay.line_ids),
                "seconds": round(seconds, 2),
                "queries": queries,
                "target": f"<= {REPLAY_TARGET_S} s for {count} documents",
                "target_met": seconds <= REPLAY_TARGET_S
                and replay.document_count >= count,
            }
            cr.rollback()
        return result

    def nocode_overhead(self):
        """Queries and ormcache misses the no-code wrapper's check adds to a
        call on a model no matrix governs, caches warm."""
        from odoo.tools.cache import _COUNTERS

        from odoo.addons.gov_approval.tools import nocode

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.partner)

            def misses():
                return sum(
                    counter.miss
                    for (db, _method), counter in _COUNTERS.items()
                    if db == cr.dbname
                )

            def check():
                # what the wrapper of a method and the gate of a governed
                # model ask before they let a call through
                return nocode._config(partner), partner._gov_approval_is_governed()

            check()  # warm
            env.flush_all()
            missed = []

            def calls():
                before = misses()
                for _call in range(NOCODE_CALLS):
                    check()
                missed.append(misses() - before)

            queries, seconds = _measure(env, calls)
            missed = missed[0]
            cr.rollback()
        return {
            "calls": NOCODE_CALLS,
            "queries_per_call": queries / NOCODE_CALLS,
            "ormcache_misses": missed,
            "us_per_call": round(seconds / NOCODE_CALLS * 1e6, 2),
            "target": "<= 1 query per call, no ormcache miss",
            "target_met": queries / NOCODE_CALLS <= 1 and missed == 0,
        }

    def _check_level_one_done(self, orders):
        steps = self._requests(orders).current_step_id
        if set(steps.mapped("name")) != {"Level 2"} or len(steps) != len(orders):
            raise AssertionError("level 1 not approved on every request")


class OcaSide(Side):
    STATE_FIELDS = ("validation_status", "can_review", "need_validation")

    def _rule(self, env):
        model = env["ir.model"]._get("purchase.order")
        # OCA numbers the tiers by descending definition sequence
        tiers = [(20, "Level 1", self.approver1), (10, "Level 2", self.approver2)]
        # each configuration holds the orders of its own vendor only
        domain = [("amount_total", ">=", THRESHOLD), ("partner_id", "=", self.partner)]
        notify = dict.fromkeys(
            (
                "notify_on_create",
                "notify_on_pending",
                "notify_on_accepted",
                "notify_on_rejected",
            ),
            self.notify,
        )
        env["tier.definition"].create(
            [
                {
                    "name": name,
                    "model_id": model.id,
                    "review_type": "individual",
                    "reviewer_id": user,
                    "definition_domain": repr(domain),
                    "approve_sequence": True,
                    "sequence": sequence,
                    **notify,
                }
                for sequence, name, user in tiers
            ]
        )

    def _cycle(self, env, order, tables=None):
        tally = _tallies(tables)
        requester = order.with_user(self.requester)
        steps = {
            "request": _measure(env, requester.request_validation, tally("request"))
        }
        for step, approver in self._approvals():
            validate = order.with_user(approver).validate_tier
            steps[step] = _measure(env, validate, tally(step))
        steps["confirm"] = _measure(env, requester.button_confirm, tally("confirm"))
        return steps

    def _request_all(self, orders):
        orders.request_validation()

    def _check_pending(self, orders):
        if set(orders.mapped("can_review")) != {True}:
            raise AssertionError("some orders do not wait for approver1")

    def _mass_approval(self, orders):
        """No mass approval in OCA: approve order by order."""

        def approve():
            for order in orders.with_user(self.approver1):
                order.validate_tier()

        return approve

    def _check_level_one_done(self, orders):
        reviews = orders.review_ids
        done = reviews.filtered(lambda r: r.sequence == 1 and r.status == "approved")
        pending = reviews.filtered(lambda r: r.sequence == 2 and r.status == "pending")
        if len(done) != len(orders) or len(pending) != len(orders):
            raise AssertionError("level 1 not approved on every order")


def _user_step(name, user, sequence=10):
    return Command.create(
        {
            "sequence": sequence,
            "name": name,
            "approver_type": "user",
            "user_ids": [Command.set([user])],
        }
    )


def _clone_orders(env, order_id, count):
    """``count`` copies of a draft order in SQL, their amounts from 0 to
    24,500 and their dates spread over the last year."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'purchase_order' AND column_name != 'id'"
    )
    columns = [row[0] for row in cr.fetchall()]
    amounts = ("amount_total", "amount_untaxed", "amount_total_cc")
    cr.execute(
        SQL(
            "INSERT INTO purchase_order (%s) SELECT %s FROM purchase_order,"
            " generate_series(1, %s) g WHERE id = %s",
            SQL(", ").join(SQL.identifier(c) for c in columns),
            SQL(", ").join(
                SQL("name || '-' || g")
                if c == "name"
                else SQL("(g %% 50) * 500")
                if c in amounts
                else SQL("now() at time zone 'UTC' - (g %% 360) * interval '1 day'")
                if c in ("date_order", "create_date")
                else SQL.identifier(c)
                for c in columns
            ),
            count,
            order_id,
        )
    )
    env.invalidate_all()


def _clone_pending(env, order, request, count, escalate_to):
    """``count`` copies of a pending ``order`` with its request and open step,
    overdue, in SQL."""
    cr = env.cr
    env.flush_all()
    copy = {}
    for table in (
        "purchase_order",
        "gov_approval_request",
        "gov_approval_request_step",
    ):
        cr.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND column_name != 'id'",
            [table],
        )
        copy[table] = [row[0] for row in cr.fetchall()]
    step = request.current_step_id
    # fixtures only: the column lists come from the catalog, the values are
    # bound; the measured code runs through the ORM
    columns = copy["purchase_order"]
    cr.execute(
        SQL(
            "INSERT INTO purchase_order (%s) SELECT %s FROM purchase_order,"
            " generate_series(1, %s) g WHERE id = %s RETURNING id",
            SQL(", ").join(SQL.identifier(c) for c in columns),
            SQL(", ").join(
                SQL("name || '-' || g") if c == "name" else SQL.identifier(c)
                for c in columns
            ),
            count,
            order.id,
        )
    )
    order_ids = [row[0] for row in cr.fetchall()]
    cr.execute("CREATE TEMP TABLE bench_orders (n serial, order_id int) ON COMMIT DROP")
    cr.execute(
        "INSERT INTO bench_orders (order_id) SELECT unnest(%s::int[])", [order_ids]
    )
    columns = [c for c in copy["gov_approval_request"] if c != "current_step_id"]
    cr.execute(
        SQL(
            "INSERT INTO gov_approval_request (%s) SELECT %s FROM gov_approval_request,"
            " bench_orders b WHERE id = %s ORDER BY b.n RETURNING id",
            SQL(", ").join(SQL.identifier(c) for c in columns),
            SQL(", ").join(
                SQL("b.order_id") if c == "res_id" else SQL.identifier(c)
                for c in columns
            ),
            request.id,
        )
    )
    request_ids = [row[0] for row in cr.fetchall()]
    columns = copy["gov_approval_request_step"]
    cr.execute(
        SQL(
            "INSERT INTO gov_approval_request_step (%s)"
            " SELECT %s FROM gov_approval_request_step,"
            " unnest(%s::int[]) AS r(id) WHERE gov_approval_request_step.id = %s"
            " RETURNING id, request_id",
            SQL(", ").join(SQL.identifier(c) for c in columns),
            SQL(", ").join(
                SQL("r.id")
                if c == "request_id"
                else SQL("now() at time zone 'UTC' - interval '1 hour'")
                if c == "deadline"
                else SQL.identifier(c)
                for c in columns
            ),
            request_ids,
            step.id,
        )
    )
    pairs = cr.fetchall()
    cr.execute(
        "UPDATE gov_approval_request r SET current_step_id = s.id"
        " FROM unnest(%s::int[], %s::int[]) AS s(id, request_id)"
        " WHERE r.id = s.request_id",
        [[p[0] for p in pairs], [p[1] for p in pairs]],
    )
    for relation in (
        "gov_approval_request_step_approver_rel",
        "gov_approval_request_step_pending_rel",
    ):
        cr.execute(
            SQL(
                "INSERT INTO %s (step_id, user_id) SELECT s.id, rel.user_id"
                " FROM unnest(%s::int[]) AS s(id), %s rel WHERE rel.step_id = %s",
                SQL.identifier(relation),
                [p[0] for p in pairs],
                SQL.identifier(relation),
                step.id,
            )
        )
    # every step overdue, escalated to the second approver (told, not added)
    cr.execute(
        "UPDATE gov_approval_request_step SET deadline = %s, escalation_user_id = %s"
        " WHERE id = %s OR id = ANY(%s)",
        [
            fields.Datetime.now() - timedelta(hours=1),
            escalate_to,
            step.id,
            [p[0] for p in pairs],
        ],
    )
    env.invalidate_all()
