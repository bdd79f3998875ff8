from . import gov_approval_request
from . import gov_webhook_endpoint
