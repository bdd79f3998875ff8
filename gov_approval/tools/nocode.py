# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The methods a matrix governs without code, wrapped on the model's class.

A matrix names a model and one of its action methods, its record creation,
or some of its fields: the approval engine wraps that method (``create`` and
``write`` for creation and field changes) on the model's class in the
registry, once, the way Odoo's automation rules do, so that every caller
(the interface, RPC, server actions, code under ``sudo()``) goes through
the engine. A wrapper can be taken out of a chain of wrappers (another module
may wrap the same method after us, or drop every wrapper of a method when it
reloads its own: ``base.automation`` does), and keeps the method it wraps
out of reach of the code Odoo evaluates.

The wrappers read the configuration from an ``ormcache``: a model without
a matrix that needs them costs nothing more than a dictionary lookup.
"""

import functools

from odoo import api

# names no matrix governs as an action: records are created, written and
# read through them (creation and field changes are matrix kinds of their own)
FRAMEWORK_METHODS = frozenset(
    {
        "create",
        "write",
        "unlink",
        "copy",
        "copy_data",
        "read",
        "search",
        "search_read",
        "search_count",
        "search_fetch",
        "fetch",
        "name_search",
        "name_create",
        "default_get",
        "fields_get",
        "onchange",
        "load",
        "export_data",
        "read_group",
        "web_read",
        "web_save",
        "web_search_read",
        "web_read_group",
        "get_views",
        "get_view",
        "toggle_active",
        "message_post",
        "message_subscribe",
        "message_unsubscribe",
    }
)
# {id(registry): {(model class, method name): (wrapper, [origin], own)}}: kept
# here, where code evaluated by Odoo cannot reach it, like the method each
# wrapper calls (a closure, not an attribute: ``records.write.origin`` would
# hand server action code the method without its gate)
_PATCHES = {}


def _config(model):
    return model.env["gov.approval.matrix"].sudo()._nocode_config().get(model._name)


def make_button(method):
    """A wrapper of ``method`` that asks for approval where a matrix says so."""
    key = f"button:{method}"
    origin = []

    def button(self, *args, **kwargs):
        config = _config(self)
        if not config or method not in config["buttons"]:
            return origin[0](self, *args, **kwargs)
        cleared = self._gov_approval_nocode_gate(key)
        result = origin[0](cleared, *args, **kwargs) if cleared else True
        return self._gov_approval_result(cleared, result)

    return button, origin


def make_create():
    origin = []

    @api.model_create_multi
    def create(self, vals_list):
        records = origin[0](self, vals_list)
        config = _config(self)
        if config and config["create"]:
            records._gov_approval_hold_created()
        return records

    return create, origin


def make_write():
    origin = []

    def write(self, vals, **kwargs):
        config = _config(self)
        if not config or not self:
            return origin[0](self, vals, **kwargs)
        held = set(vals) & config["fields"]
        activating = config["create"] and vals.get("active")
        if not held and not activating:
            return origin[0](self, vals, **kwargs)
        return self._gov_approval_held_write(
            vals, lambda records, values: origin[0](records, values, **kwargs)
        )

    return write, origin


def patch(registry, model_class, name, made):
    """Wrap ``model_class.name`` with the wrapper ``made`` by a ``make_*``
    function, once: an earlier wrapper of ours is taken out first."""
    unpatch(registry, model_class, name)
    wrapper, origin = made
    method = getattr(model_class, name)
    # the name and module of the method, none of its attributes (another
    # module's wrapper keeps the method it wraps in one)
    functools.update_wrapper(wrapper, method, updated=())
    wrapper.__dict__.pop("__wrapped__", None)
    wrapper._gov_nocode = True
    origin[:] = [method]
    own = name in model_class.__dict__
    _PATCHES.setdefault(id(registry), {})[(model_class, name)] = (wrapper, origin, own)
    setattr(model_class, name, wrapper)


def unpatch(registry, model_class, name):
    """Take our wrapper of ``model_class.name`` out, wherever it is in the
    chain of wrappers (Odoo's automation rules keep the method they wrap in
    ``origin``); the others keep wrapping what they wrapped."""
    entry = _PATCHES.get(id(registry), {}).pop((model_class, name), None)
    if not entry:
        return
    wrapper, (method,), own = entry
    above, current = None, model_class.__dict__.get(name)
    while current is not None:
        if current is wrapper:
            if above is not None:
                above.origin = method
            elif own:
                setattr(model_class, name, method)
            else:
                delattr(model_class, name)
            return
        above, current = current, getattr(current, "origin", None)


def unpatch_all(registry):
    for model_class, name in list(_PATCHES.get(id(registry), {})):
        unpatch(registry, model_class, name)
