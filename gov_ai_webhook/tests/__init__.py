from . import test_ai_webhook
