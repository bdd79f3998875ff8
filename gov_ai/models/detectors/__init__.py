# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The built-in provider's detectors, one file each: the SQL that reads the
database's history and the words of the explanation. The algorithms they
call are pure functions of ``gov_ai/tools``."""

from . import common
from . import duplicate
from . import anomaly
from . import benford
from . import classification
from . import summary
