from . import account_payment
from . import res_partner_bank
