from . import test_ai_webhook
from . import test_n8n_workflow
