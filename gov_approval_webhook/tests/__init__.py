from . import test_approval_webhook
from . import test_token_secrecy
from . import test_n8n_workflow
