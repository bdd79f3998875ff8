# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure functions, without the ORM or the network: the algorithms of the
built-in detectors, the answer every provider returns (``answers``), the
contract of LLM providers (``llm``), masking and evaluation; and the
engine's grant (``engine``)."""
