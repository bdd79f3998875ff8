# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two real transactions interleaved, for the race tests of the engine and
its bridges: both read, the second acts and commits, then the first acts on
a snapshot that predates that commit; and the people such tests commit."""

import threading

from odoo import api
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


def interleaved(registry, first, second):
    """Run ``first = (user id, read, act)`` and ``second`` in two committed
    transactions of ``registry``: each calls ``read(env)``, both wait for
    each other, ``second`` calls ``act(env, state)`` and commits, then
    ``first`` does (``state`` is what its ``read`` returned). A serialization
    failure is retried as Odoo's RPC layer would.

    Returns ``{"first": error or None, "second": error or None}``."""
    read_both = threading.Barrier(2)
    second_done = threading.Event()
    outcome = {}

    def runner(name, user_id, read, act, before_act, after_commit):
        tries = []

        def attempt(env):
            state = read(env)
            if not tries:
                read_both.wait(timeout=30)
                before_act()
            tries.append(1)
            act(env, state)

        def run():
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, user_id, DISABLED_MAIL_CONTEXT)
                    retrying(lambda: attempt(env), env)
                outcome[name] = None
            except Exception as error:  # the caller asserts the outcome
                outcome[name] = error
            finally:
                after_commit()

        return threading.Thread(target=run)

    threads = [
        runner(
            "first",
            *first,
            before_act=lambda: second_done.wait(timeout=60),
            after_commit=lambda: None,
        ),
        runner(
            "second", *second, before_act=lambda: None, after_commit=second_done.set
        ),
    ]
    # the loser's conflicting query is logged by the database layer before
    # Odoo retries it: expected here
    with mute_logger("odoo.sql_db"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return outcome


def interleaved_acts(registry, read, first, second):
    """:func:`interleaved` where both sides ``read(env)`` the same thing and
    ``first`` and ``second`` are ``(user id, act)``: ``act(env)`` ignores
    what was read."""

    def side(user_id, act):
        return (user_id, read, lambda env, _state: act(env))

    return interleaved(registry, side(*first), side(*second))


def committed_users(env, tag, groups, count):
    """``count`` users named and logged in after ``tag``, members of the
    groups of xml ids ``groups``, for a cursor that commits them; returns
    their ids."""
    group_ids = [Command.set([env.ref(xmlid).id for xmlid in groups])]
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {"name": f"{tag} {n}", "login": f"{tag}_{n}", "group_ids": group_ids}
                for n in range(count)
            ]
        )
    )
    return users.ids
