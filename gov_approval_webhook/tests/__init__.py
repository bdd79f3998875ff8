from . import test_approval_webhook
