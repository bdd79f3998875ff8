# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures every test of the approval engine shares, the tester addon's and
the bridges' alike: steps and matrices of one governed action, the cast of
people a matrix routes to, the request of a document and its decisions, one
approval cycle counted in queries, and the committed matrices of the race
tests (two real transactions, see ``gov_base/tests/transactions.py``).

Nothing here depends on a bridge or on ``gov_approval_test``: a bridge's
``tests/common.py`` mixes :class:`MatrixFixtures` into its case, names its
governed action and adds the helpers of its own document.
"""

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.gov_approval.tools.engine import approval_writes
from odoo.addons.gov_base.tests.transactions import interleaved_acts


def step_vals(name, users, sequence=10, **extra):
    """The values of a step that ``users`` (a user or a list of them)
    approve."""
    users = users if isinstance(users, list) else [users]
    return {
        "name": name,
        "sequence": sequence,
        "approver_type": "user",
        "user_ids": [Command.set([u.id for u in users])],
        **extra,
    }


def latest_request(env, record):
    """The newest approval request of ``record``, searched in ``env``."""
    return env["gov.approval.request"].search(
        [("res_model", "=", record._name), ("res_id", "=", record.id)],
        order="id desc",
        limit=1,
    )


def one_band_matrix(env, name, action, steps, min_amount=0, **vals):
    """A matrix of ``action`` with one band from ``min_amount`` (no upper
    bound) whose steps have the values ``steps``."""
    band = {"min_amount": min_amount, "step_ids": [Command.create(s) for s in steps]}
    return env["gov.approval.matrix"].create(
        {"name": name, "action": action, "line_ids": [Command.create(band)], **vals}
    )


def tour_user(env, login, groups, **vals):
    """A user of a tour, who logs in with their login as password."""
    return new_test_user(env, login=login, password=login, groups=groups, **vals)


def company_user(env, company, login, groups):
    """A user of ``company`` only, ``groups`` as for ``new_test_user``."""
    return new_test_user(
        env,
        login=login,
        groups=groups,
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
    )


class MatrixFixtures:
    """Mixin of a ``TransactionCase`` whose matrices govern ``gov_action``:
    its environment sends no mail; ``company`` and ``Request`` are set.

    ``make_matrix(bands)`` takes ``(low, high, steps)`` per band, in order
    (``high`` 0 or None: no upper bound), with an optional fourth item of extra band
    values (a domain, a sequence of its own); the steps are :func:`step_vals`
    dictionaries (``step()``)."""

    gov_action = None
    gov_matrix_name = "Test matrix"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.Request = cls.env["gov.approval.request"]

    @classmethod
    def step(cls, name, users, sequence=10, **extra):
        return step_vals(name, users, sequence=sequence, **extra)

    @classmethod
    def make_matrix(cls, bands, **vals):
        lines = []
        for index, (low, high, steps, *extra) in enumerate(bands):
            band = {
                "sequence": index,
                "min_amount": low,
                "step_ids": [Command.create(step) for step in steps],
            }
            if high is not None:
                band["max_amount"] = high
            for more in extra:
                band.update(more)
            lines.append(Command.create(band))
        return cls.env["gov.approval.matrix"].create(
            {
                "name": vals.pop("name", cls.gov_matrix_name),
                "action": vals.pop("action", cls.gov_action),
                "company_id": cls.company.id,
                "line_ids": lines,
                **vals,
            }
        )

    @classmethod
    def make_people(cls, prefix, requester_groups, approver_groups):
        """The usual cast, logins starting with ``prefix``: ``requester``,
        ``manager``, ``manager_2``, ``director``, three ``board`` members
        (approvers) and a ``matrix_manager``."""

        def user(name, groups):
            return new_test_user(cls.env, login=f"{prefix}_{name}", groups=groups)

        cls.requester = user("requester", requester_groups)
        cls.manager = user("manager", approver_groups)
        cls.manager_2 = user("manager_2", approver_groups)
        cls.director = user("director", approver_groups)
        cls.board = [user(f"board_{n}", approver_groups) for n in range(3)]
        cls.matrix_manager = user(
            "matrix_manager", "gov_base.gov_base_group_matrix_manager"
        )

    @classmethod
    def three_band_matrix(cls):
        """Under 1,000 nothing; 1,000 to 10,000 the manager; from 10,000 the
        manager, then the director (reason required)."""
        return cls.make_matrix(
            [
                (0, 1000, []),
                (1000, 10000, [cls.step("Manager", cls.manager)]),
                (
                    10000,
                    0,
                    [
                        cls.step("Manager", cls.manager, sequence=10),
                        cls.step(
                            "Director",
                            cls.director,
                            sequence=20,
                            rationale_required=True,
                        ),
                    ],
                ),
            ]
        )

    def request_of(self, record):
        return latest_request(self.env, record)

    def decide(self, record, user, decision="approve", reason=None):
        return self.request_of(record).with_user(user)._decide(decision, reason)

    def approval_cycle(self, record, decisions):
        """The queries of confirming ``record`` (``confirm()`` of the case)
        and of the ``(user, reason)`` approvals of its request, each from
        emptied caches."""
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.confirm(record)
        request = self.request_of(record)
        for user, reason in decisions:
            self.env.invalidate_all()
            request.with_user(user)._decide("approve", reason)
        return self.env.cr.sql_log_count - start


# ----------------------------------------------------------------------
# Race tests: rows committed in a cursor of their own, removed afterwards
# ----------------------------------------------------------------------
def committed_matrix(env, tag, action, domain, step):
    """A matrix of ``action`` first in precedence for the documents of
    ``domain`` only, one band from 0 with the step of values ``step``."""
    return one_band_matrix(
        env,
        tag,
        action,
        [step],
        company_id=env.company.id,
        sequence=0,
        domain=domain,
    )


def remove_requests(env, matrix_id):
    """Delete the requests routed by the matrix ``matrix_id`` (the engine
    lets only its own code write them)."""
    with approval_writes():
        env["gov.approval.request"].search([("matrix_id", "=", matrix_id)]).unlink()


class RaceFixtures:
    """Mixin of a ``TransactionCase`` whose ``setUp`` commits a document
    under a :func:`committed_matrix`; ``_request(env)`` finds its request."""

    def _interleaved(self, first, second):
        """``first`` and ``second`` = (user id, act): both transactions read
        the request, ``second`` acts and commits, then ``first`` acts on its
        older snapshot. Returns ``{"first": error, "second": error}``."""
        return interleaved_acts(
            self.registry, lambda env: self._request(env).state, first, second
        )
