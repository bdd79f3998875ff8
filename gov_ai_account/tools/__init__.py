# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure functions of the refund risk and unit price detectors: no ORM, no
network."""
