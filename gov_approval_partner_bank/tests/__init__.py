from . import test_bank_payments
