from . import test_approval_webhook
from . import test_token_secrecy
