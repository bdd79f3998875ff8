from . import test_bills
from . import test_controls
