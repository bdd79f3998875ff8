from . import gov_ai_provider
from . import gov_webhook_endpoint
