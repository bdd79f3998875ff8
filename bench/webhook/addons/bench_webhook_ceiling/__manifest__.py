# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Webhook Benchmark Ceiling",
    "summary": "A bare route for the webhook benchmark: loaded as a server-wide"
    " module by the benchmark only, never installed",
    "version": "19.0.1.0.0",
    "category": "Hidden",
    "author": "Governed Operations",
    "license": "LGPL-3",
    "depends": ["base"],
    "installable": True,
}
