from . import account_payment
