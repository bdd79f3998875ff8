# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure functions of the built-in provider (no ORM, no network), and the
engine's grant (``engine``)."""
