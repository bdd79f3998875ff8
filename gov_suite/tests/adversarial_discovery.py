# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the adversarial suite attacks, read from the registry at test time:
the suite's models, the governed documents and their lines, and the methods
Odoo lets a client call on each of them."""

from dataclasses import dataclass, field

from odoo.exceptions import AccessError
from odoo.service.model import get_public_method

from . import adversarial_policy as policy


@dataclass
class Discovery:
    """Model names by family, and ``{model: {method: Rule or None}}``."""

    suite: set = field(default_factory=set)
    documents: set = field(default_factory=set)
    lines: set = field(default_factory=set)
    engine: set = field(default_factory=set)
    methods: dict = field(default_factory=dict)
    functions: dict = field(default_factory=dict)

    @property
    def models(self):
        return sorted(self.suite | self.documents | self.lines)

    def unclassified(self):
        return sorted(
            f"{model}.{method} ({self.functions[model][method].__module__})"
            for model, rules in self.methods.items()
            for method, rule in rules.items()
            if rule is None
        )

    def pairs(self):
        return sum(len(rules) for rules in self.methods.values())

    def by_kind(self, model, *kinds):
        return sorted(
            method
            for method, rule in self.methods[model].items()
            if rule is not None and rule.kind in kinds
        )


def _concrete(env, names):
    return {name for name in names if name in env and not env[name]._abstract}


def public_methods(model):
    """``{name: function}`` of the methods RPC may call on ``model``, exactly
    as Odoo decides it (``odoo.service.model.get_public_method``)."""
    methods = {}
    for name in dir(type(model)):
        if name.startswith("_"):
            continue
        try:
            methods[name] = get_public_method(model, name)
        except (AccessError, AttributeError):
            continue
    return methods


def discover(env):
    registry = env.registry
    found = Discovery()
    found.suite = _concrete(env, (name for name in registry if name.startswith("gov.")))
    found.documents = _concrete(
        env, registry.descendants(["gov.approval.mixin"], "_inherit")
    ) - {"gov.approval.mixin"}
    found.lines = _concrete(
        env, registry.descendants(["gov.approval.line.mixin"], "_inherit")
    ) - {"gov.approval.line.mixin"}
    engine = registry.descendants(["gov.engine.mixin"], "_inherit")
    found.engine = _concrete(env, engine) | _concrete(env, policy.ENGINE_WRITTEN)
    for model_name in found.models:
        functions = public_methods(env[model_name])
        found.functions[model_name] = functions
        found.methods[model_name] = {
            name: policy.classify(
                model_name,
                name,
                function,
                document=model_name in found.documents,
                line=model_name in found.lines,
            )
            for name, function in functions.items()
        }
    return found


def is_model_method(function):
    """Whether RPC calls it without records (``@api.model``)."""
    return bool(getattr(function, "_api_model", False))
