from . import gov_approval_request
from . import gov_webhook_delivery
from . import gov_webhook_endpoint
from . import gov_webhook_subscription
