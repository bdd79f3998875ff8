# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The methods a matrix governs without code, wrapped on the model's class.

A matrix names a model and one of its action methods, its record creation,
or some of its fields: the approval engine wraps that method (``create`` and
``write`` for creation and field changes) on the model's class in the
registry, once, the way Odoo's automation rules do, so that every caller
(the interface, RPC, server actions, code under ``sudo()``) goes through
the engine. Each wrapper remembers the method it wraps (``origin``) and can
be taken out of a chain of wrappers (another module may wrap the same
method after us, or drop every wrapper of a method when it reloads its own:
``base.automation`` does).

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
PATCHED = "gov_approval_nocode_patched"


def _config(model):
    return model.env["gov.approval.matrix"].sudo()._nocode_config().get(model._name)


def make_button(method):
    """A wrapper of ``method`` that asks for approval where a matrix says so."""
    key = f"button:{method}"

    def button(self, *args, **kwargs):
        config = _config(self)
        if not config or method not in config["buttons"]:
            return button.origin(self, *args, **kwargs)
        cleared = self._gov_approval_nocode_gate(key)
        result = button.origin(cleared, *args, **kwargs) if cleared else True
        return self._gov_approval_result(cleared, result)

    return button


def make_create():
    @api.model_create_multi
    def create(self, vals_list, **kwargs):
        records = create.origin(self, vals_list, **kwargs)
        config = _config(self)
        if config and config["create"]:
            records._gov_approval_hold_created()
        return records

    return create


def make_write():
    def write(self, vals, **kwargs):
        config = _config(self)
        if not config or not self:
            return write.origin(self, vals, **kwargs)
        held = set(vals) & config["fields"]
        activating = config["create"] and vals.get("active")
        if not held and not activating:
            return write.origin(self, vals, **kwargs)
        return self._gov_approval_held_write(
            vals, lambda records, values: write.origin(records, values, **kwargs)
        )

    return write


def patch(model_class, name, wrapper, patched):
    """Wrap ``model_class.name`` with ``wrapper`` (once: an earlier wrapper
    of ours is taken out first). ``patched`` records it for :func:`unpatch`."""
    unpatch(model_class, name)
    origin = getattr(model_class, name)
    functools.update_wrapper(wrapper, origin)
    wrapper.__dict__.pop("__wrapped__", None)
    wrapper.origin = origin
    wrapper._gov_nocode = True
    # whether the class had the method itself, or inherited it
    wrapper._gov_own = name in model_class.__dict__
    setattr(model_class, name, wrapper)
    patched.add((model_class, name))


def unpatch(model_class, name):
    """Take our wrapper of ``model_class.name`` out, wherever it is in the
    chain of wrappers; the others keep wrapping what they wrapped."""
    above, current = None, model_class.__dict__.get(name)
    while current is not None:
        if getattr(current, "_gov_nocode", False):
            if above is not None:
                above.origin = current.origin
            elif current._gov_own:
                setattr(model_class, name, current.origin)
            else:
                delattr(model_class, name)
            return True
        above, current = current, getattr(current, "origin", None)
    return False


def patched_set(registry):
    """The (class, method) pairs wrapped in ``registry``."""
    if not hasattr(registry, PATCHED):
        setattr(registry, PATCHED, set())
    return getattr(registry, PATCHED)
