# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The model the AI engine owns, and the grant to write it."""

from odoo.addons.gov_base.tools.engine import engine_writes

AI_MODELS = ("gov.ai.recommendation",)


def recommendation_writes():
    """Open the AI engine's grant (see ``gov_base/tools/engine.py``).

    Only the engine's entry points open it, after their own checks: asking a
    use case, the steps of the scheduled action, an asynchronous provider's
    answer, a reviewer's decision.
    """
    return engine_writes(*AI_MODELS)
