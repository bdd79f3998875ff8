# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A record filter (an Odoo domain) said in words, for people who configure
policy and never read ``[('move_type', '=', 'in_refund')]``.

``describe_domain(env, model_name, domain)`` names fields by their labels,
selection values by their labels and records by their display names
("Type is Vendor Credit Note and Vendor is Azure Interior"). A domain it
cannot read (a field gone, a value it does not know) is said as it is
written rather than hidden.
"""

from odoo.exceptions import AccessError, MissingError
from odoo.tools.safe_eval import safe_eval


def _operator_words(env, operator):
    """The operator in words (each a literal, so that it is translated)."""
    return {
        "=": env._("is"),
        "!=": env._("is not"),
        "in": env._("is one of"),
        "not in": env._("is none of"),
        ">": env._("is above"),
        ">=": env._("is at least"),
        "<": env._("is below"),
        "<=": env._("is at most"),
        "like": env._("contains"),
        "ilike": env._("contains"),
        "not like": env._("does not contain"),
        "not ilike": env._("does not contain"),
        "=like": env._("matches"),
        "=ilike": env._("matches"),
        "child_of": env._("is under"),
        "parent_of": env._("is above"),
        "any": env._("has one where"),
        "not any": env._("has none where"),
    }.get(operator, operator)


def describe_domain(env, model_name, domain):
    """The domain (a list or its text) as a sentence; ``""`` for none."""
    if isinstance(domain, str):
        try:
            domain = safe_eval(domain or "[]")
        except Exception:  # noqa: BLE001 - said as written
            return domain
    if not domain:
        return ""
    model = env[model_name] if model_name in env.registry else None
    try:
        text, rest = _term(env, model, list(domain))
        while rest:  # implicit "and" between top-level terms
            more, rest = _term(env, model, rest)
            text = env._("%(a)s and %(b)s", a=text, b=more)
    except (IndexError, TypeError, ValueError, KeyError):
        return str(domain)
    return text


def _term(env, model, items):
    head, rest = items[0], items[1:]
    if head in ("&", "|"):
        left, rest = _term(env, model, rest)
        right, rest = _term(env, model, rest)
        if head == "&":
            return env._("%(a)s and %(b)s", a=left, b=right), rest
        return env._("(%(a)s or %(b)s)", a=left, b=right), rest
    if head == "!":
        inner, rest = _term(env, model, rest)
        return env._("not (%(a)s)", a=inner), rest
    if head in (True, 1) or head == (1, "=", 1):
        return env._("every record"), rest
    if head in (False, 0) or head == (0, "=", 1):
        return env._("no record"), rest
    return _leaf(env, model, head), rest


def _leaf(env, model, leaf):
    path, operator, value = leaf
    field, label, target = _field(model, path)
    if (
        operator in ("=", "!=")
        and value is False
        and (not field or field.type != "boolean")
    ):
        return (
            env._("%(field)s is not set", field=label)
            if operator == "="
            else env._("%(field)s is set", field=label)
        )
    if field is not None and field.type == "boolean" and operator in ("=", "!="):
        truth = bool(value) == (operator == "=")
        return (
            env._("%(field)s is checked", field=label)
            if truth
            else env._("%(field)s is not checked", field=label)
        )
    if operator in ("any", "not any") and target is not None:
        words = _operator_words(env, operator)
        return f"{label} {words} {describe_domain(env, target._name, value)}"
    return f"{label} {_operator_words(env, operator)} {_value(env, field, value)}"


def _field(model, path):
    """(last field, its label along the path, its comodel) of a dotted path."""
    if model is None:
        return None, path, None
    labels, field, current = [], None, model
    for name in str(path).split("."):
        field = current._fields.get(name) if current is not None else None
        if field is None:
            labels.append(name)
            current = None
            continue
        labels.append(field._description_string(model.env))
        current = model.env[field.comodel_name] if field.relational else None
    return field, " › ".join(labels), current


def _value(env, field, value):
    values = value if isinstance(value, (list, tuple)) else [value]
    if field is not None and field.type == "selection":
        labels = dict(field._description_selection(env))
        values = [labels.get(v, v) for v in values]
    elif (
        field is not None
        and field.relational
        and all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    ):
        records = env[field.comodel_name].browse(values)
        try:
            values = records.mapped("display_name")
        except (AccessError, MissingError):
            values = [str(v) for v in values]
    text = ", ".join(str(v) for v in values)
    return text if len(values) < 2 else f"({text})"
