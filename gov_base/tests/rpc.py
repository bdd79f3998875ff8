# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Call model methods as a given user through each public route of Odoo.

Security tests of the suite go through the routes a hostile insider has:
the web client's ``/web/dataset/call_kw``, ``/json/2`` with an API key, and
the deprecated ``/jsonrpc`` and ``/xmlrpc/2/object``. A mixin for
``HttpCase``; every call returns an :class:`RpcResult` instead of raising,
so that a test states what must be refused and checks the database after.
"""

import json
import xmlrpc.client
from dataclasses import dataclass
from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tools import mute_logger

ROUTES = ("call_kw", "json2", "jsonrpc", "xmlrpc")
# the deprecated routes log a notice on every call; errors are logged by
# the dispatcher: the tests check them through the answer
# arguments that the classic routes need positionally (``call_kw`` reads the
# first one of ``create`` to shape its answer); ``/json/2`` names them all
POSITIONAL = {"create": ("vals_list",)}
QUIET = (
    "odoo.addons.rpc.controllers.jsonrpc",
    "odoo.addons.rpc.controllers.xmlrpc",
    "odoo.http",
    "odoo.addons.rpc.controllers.json2",
)


@dataclass
class RpcResult:
    ok: bool
    value: object = None
    error: str = ""

    def __bool__(self):
        return self.ok


class RpcRoutesMixin:
    """Helpers for ``HttpCase`` subclasses (users' passwords are their logins,
    as ``new_test_user`` sets them, unless given)."""

    def rpc(self, route, user, model, method, ids=None, password=None, **kwargs):
        """Call ``model.method`` on ``ids`` with keyword arguments ``kwargs``
        as ``user`` through ``route`` (one of :data:`ROUTES`)."""
        password = password or user.login
        call = getattr(self, f"_rpc_{route}")
        args = self._rpc_args(ids)
        if route != "json2":
            kwargs = dict(kwargs)
            args += [kwargs.pop(name) for name in POSITIONAL.get(method, ())]
        with mute_logger(*QUIET):
            return call(user, password, model, method, ids, args, kwargs)

    def rpc_all(self, user, model, method, ids=None, **kwargs):
        """The same call through every route: ``{route: RpcResult}``."""
        return {
            route: self.rpc(route, user, model, method, ids, **kwargs)
            for route in ROUTES
        }

    def assert_line_writes_refused(self, user, line, vals, parent, field, through):
        """``user`` writing ``vals`` on ``line`` over every route, then
        ``through`` on it through the one2many ``field`` of ``parent`` over
        ``call_kw``, is refused each time."""
        for route in ROUTES:
            result = self.rpc(route, user, line._name, "write", line.ids, vals=vals)
            self.assertFalse(result, route)
        result = self.rpc(
            "call_kw",
            user,
            parent._name,
            "write",
            parent.ids,
            vals={field: [Command.update(line.id, through)]},
        )
        self.assertFalse(result)

    def code_action(self, code, on, action_name="Forgery attempt", **names):
        """A code server action of ``self.env`` running ``code`` on the
        records ``on``, ``names`` being records bound to variables of the
        code; ``(action, context)``, the context to ``run`` it with."""
        prefix = "".join(
            f"{name} = env[{record._name!r}].browse({record.ids!r})\n"
            for name, record in names.items()
        )
        action = self.env["ir.actions.server"].create(
            {
                "name": action_name,
                "model_id": self.env["ir.model"]._get_id(on._name),
                "state": "code",
                "code": prefix + code,
            }
        )
        return action, {"active_model": on._name, "active_ids": on.ids}

    def _rpc_args(self, ids):
        return [list(ids)] if ids is not None else []

    def _rpc_call_kw(self, user, password, model, method, ids, args, kwargs):
        self.authenticate(user.login, password)
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return self._rpc_jsonrpc_answer(response.json())

    def _rpc_jsonrpc(self, user, password, model, method, ids, args, kwargs):
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "service": "object",
                        "method": "execute_kw",
                        "args": [
                            self.env.cr.dbname,
                            user.id,
                            password,
                            model,
                            method,
                            args,
                            kwargs,
                        ],
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return self._rpc_jsonrpc_answer(response.json())

    @staticmethod
    def _rpc_jsonrpc_answer(body):
        if "error" in body:
            data = body["error"].get("data") or {}
            return RpcResult(False, error=data.get("name") or str(body["error"]))
        return RpcResult(True, value=body.get("result"))

    def _rpc_xmlrpc(self, user, password, model, method, ids, args, kwargs):
        # the XML-RPC protocol, sent through the test's HTTP client (which
        # carries the test cursor cookie the test server asks for)
        body = xmlrpc.client.dumps(
            (self.env.cr.dbname, user.id, password, model, method, args, kwargs),
            "execute_kw",
            allow_none=True,
        )
        response = self.url_open(
            "/xmlrpc/2/object", data=body, headers={"Content-Type": "text/xml"}
        )
        try:
            (value,), _method = xmlrpc.client.loads(response.content)
        except xmlrpc.client.Fault as fault:
            return RpcResult(False, error=fault.faultString)
        return RpcResult(True, value=value)

    def _rpc_json2(self, user, password, model, method, ids, args, kwargs):
        key = self.rpc_api_key(user)
        # the API key alone says who calls: no web session along
        if getattr(self, "session", None):
            self.logout()
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps({"ids": list(ids or []), **kwargs}),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"bearer {key}",
                "X-Odoo-Database": self.env.cr.dbname,
            },
        )
        body = response.json() if response.content else None
        if response.status_code != 200:
            name = body.get("name") if isinstance(body, dict) else ""
            return RpcResult(False, error=name or f"HTTP {response.status_code}")
        return RpcResult(True, value=body)

    def rpc_api_key(self, user):
        """An API key of ``user`` (made once per test and user)."""
        keys = self.__dict__.setdefault("_rpc_keys", {})
        if user.id not in keys:
            with mute_logger("odoo.addons.base.models.res_users"):
                keys[user.id] = (
                    self.env["res.users.apikeys"]
                    .with_user(user)
                    .sudo()
                    ._generate(
                        None, "security test", fields.Datetime.now() + timedelta(days=1)
                    )
                )
        return keys[user.id]
