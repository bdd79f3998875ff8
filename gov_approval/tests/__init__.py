# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared fixtures of the approval engine's tests (``common``), imported by
the tester addon and the bridges; no tests run here."""
