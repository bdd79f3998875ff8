"""Start the Odoo server of the webhook benchmark: ``serve.py server ...``.

The same as ``odoo-bin``, except that the multi-process server does not start
its gevent process (websockets and the bus): no measured route goes through
it, and where gevent cannot start the master would restart it every second,
taking CPU from the HTTP workers being measured.
"""

import odoo.cli
from odoo.service import server


def _no_long_polling(_prefork):
    return None


server.PreforkServer.long_polling_spawn = _no_long_polling

if __name__ == "__main__":
    odoo.cli.main()
