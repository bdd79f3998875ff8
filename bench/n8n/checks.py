"""Named checks of the interoperability run and what they are made of:
signed deliveries from our signer, expected HTTP answers, and the states of
Odoo's outbox after a run of its sender."""

import base64
import importlib.util
import secrets
import time
import uuid

from n8n_runtime import REPO, post, say


def signatures():
    """Our signer, loaded from its file (it needs no Odoo)."""
    path = REPO / "gov_webhook" / "tools" / "signatures.py"
    spec = importlib.util.spec_from_file_location("gov_signatures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Checks:
    """Named checks, each passed or failed, with the seconds it took."""

    def __init__(self):
        self.items = []

    def run(self, name, step):
        """Run ``step()``, which returns ``(passed, detail)``; an error
        fails the check. Returns the detail."""
        started = time.monotonic()
        try:
            passed, detail = step()
        except Exception as error:  # noqa: BLE001 - reported as a failed check
            passed, detail = False, {"error": f"{type(error).__name__}: {error}"}
        self.items.append(
            {
                "name": name,
                "result": "pass" if passed else "fail",
                "seconds": round(time.monotonic() - started, 2),
                "detail": detail,
            }
        )
        say(f"{'pass' if passed else 'FAIL'}  {name}")
        return detail

    def summary(self):
        failed = [item["name"] for item in self.items if item["result"] == "fail"]
        return {"checks": len(self.items), "passed": len(self.items) - len(failed)}, (
            failed
        )


def signed_headers(secret, payload, timestamp=None):
    sign = signatures().standard_signatures
    msg_id = f"msg_{uuid.uuid4().hex}"
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": sign([secret], msg_id, timestamp, payload),
    }


def expect_status(url, body, headers, low, high=None):
    def step():
        status, _body = post(url, body, headers)
        return low <= status <= (high or low), {"status": status}

    return step


def expect_deliveries(odoo, ids, **wanted):
    """The deliveries ``ids`` after a run of the sender, each with the
    ``wanted`` values (``status_2xx=True`` for any 2xx)."""
    odoo.send_due()
    found = odoo.deliveries(ids)
    passed = bool(found)
    for delivery in found:
        for key, value in wanted.items():
            if key == "status_2xx":
                passed &= (200 <= delivery["status"] < 300) is value
            elif key == "retry_planned":
                passed &= (delivery["next_attempt_in_s"] is not None) is value
            else:
                passed &= delivery[key] == value
    return passed, found[0] if len(found) == 1 else found
