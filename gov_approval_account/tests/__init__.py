from . import test_bills
