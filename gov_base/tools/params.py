# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Numbers the Governance settings keep as system parameters, read the same
way everywhere: the default when the parameter is unset or not a number."""


def int_param(env, key, default):
    """The integer value of system parameter ``key``, or ``default``."""
    value = env["ir.config_parameter"].sudo().get_param(key)
    if value in (None, False, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
