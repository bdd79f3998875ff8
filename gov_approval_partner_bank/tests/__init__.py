from . import test_bank_payments
from . import test_bank_tour
