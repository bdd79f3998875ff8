# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Keys the database does not hold: the audit chain and the approval seals.

A key that lives in the database proves nothing against whoever can write to
the database (an SQL connection, a code server action running ``env.cr``):
they can recompute any hash made with it. The suite's keys therefore come
from outside the database, in this order:

1. the option ``gov_secret_key`` of the server's configuration file, shared
   by every server of a deployment;
2. otherwise a random key created once per database in the data directory
   (``<data_dir>/gov_keys/<database>.key``, mode 0600), beside the filestore.
   Several servers of one deployment share the data directory already.

Each use gets its own key derived from that master key (``derive_key``), so
that a seal can never be replayed as an audit hash. Back the key up with the
filestore: without it, the audit chain cannot be verified any more.
"""

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from odoo.tools import config

KEY_OPTION = "gov_secret_key"
_cache = {}
_lock = threading.Lock()


def _key_file(dbname):
    return Path(config["data_dir"]) / "gov_keys" / f"{dbname}.key"


def _read_or_create(path):
    """The key stored at ``path``, created (exclusively) when missing."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            fd = None  # another worker created it first: read theirs
        if fd is not None:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    # another worker may be writing it this very moment: wait for 64 digits
    for _attempt in range(50):
        text = path.read_text().strip()
        if len(text) == 64:
            return bytes.fromhex(text)
        threading.Event().wait(0.01)
    raise RuntimeError(f"the governance key file {path} is damaged")


def master_key(dbname):
    """The master key of database ``dbname`` (bytes), read once per process."""
    with _lock:
        key = _cache.get(dbname)
        if key is None:
            configured = config.get(KEY_OPTION)
            if configured:
                key = hashlib.sha256(f"{configured}:{dbname}".encode()).digest()
            else:
                key = _read_or_create(_key_file(dbname))
            _cache[dbname] = key
        return key


def derive_key(dbname, purpose):
    """The key of one use (``"audit.chain"``, ``"approval.seal"``, ...)."""
    return hmac.new(master_key(dbname), purpose.encode(), hashlib.sha256).digest()


def sign(dbname, purpose, message):
    """HMAC-SHA256 (hex) of ``message`` (str) under the key of ``purpose``."""
    return hmac.new(
        derive_key(dbname, purpose), message.encode(), hashlib.sha256
    ).hexdigest()


def verify(dbname, purpose, message, signature):
    """Whether ``signature`` is the HMAC of ``message``, in constant time."""
    return bool(signature) and hmac.compare_digest(
        sign(dbname, purpose, message), signature
    )
