"""The round trips of the interoperability run that go through a workflow
and back: approvals decided from chat, AI questions answered, and a secret
rotation between Odoo and n8n."""

import json
import time

from checks import expect_deliveries, expect_status, new_secret, signed_headers
from n8n_runtime import CACHE, node, post, set_constant
from standins import MODEL_ANSWER

# seconds the previous secret keeps signing after the rotation of the run
GRACE_SECONDS = 20


def approval_round_trip(
    checks, odoo, n8n, stand_ins, users, subscription_id, endpoint_id
):
    state = {}

    def event_reaches_n8n():
        state["doc"] = odoo.approval_request(users["interop_requester"])
        return expect_deliveries(
            odoo,
            odoo.deliveries_of(subscription_id, "approval.step_pending"),
            state="sent",
            status_2xx=True,
        )

    def asks_the_approver_only():
        messages = stand_ins.wait_for("/chat")
        time.sleep(1)  # a message to anybody else would have come with it
        messages = stand_ins.received["/chat"]
        state["token"] = messages[0].get("token")
        logins = [message.get("login") for message in messages]
        return logins == ["interop_approver"] and bool(state["token"]), {
            "asked": logins,
            "step_lists": sorted(users),
            "token_given": bool(state["token"]),
        }

    def chat_decides():
        status, body = answer_in_chat(n8n, state["token"], "Fine from chat")
        inbox = odoo.process_inbox(endpoint_id)
        found = odoo.approval_state(state["doc"])
        passed = (
            status == 200
            and json.loads(body).get("odoo_status") == 202
            and inbox[-1]["state"] == "done"
            and found["request"] == "approved"
            and found["document"] == "confirmed"
            and found["decisions"]
            == [{"by": "interop_approver", "decision": "approve", "channel": "webhook"}]
            and found["requester"] == "interop_requester"
        )
        return passed, {"chat_answer": status, "n8n_said": body.decode(), **found}

    def token_used_twice():
        status, body = answer_in_chat(n8n, state["token"], "Again")
        inbox = odoo.process_inbox(endpoint_id, count=2)
        found = odoo.approval_state(state["doc"])
        return inbox[-1]["state"] == "failed" and len(found["decisions"]) == 1, {
            "chat_answer": status,
            "n8n_said": body.decode(),
            "inbox": inbox[-1],
            "decisions": len(found["decisions"]),
        }

    checks.run(
        "approval: the approval.step_pending event reaches n8n verified (2xx)",
        event_reaches_n8n,
    )
    checks.run(
        "approval: n8n asks the approver in chat, never the requester"
        " (segregation of duties)",
        asks_the_approver_only,
    )
    checks.run(
        "approval: the chat decision goes back through n8n, signed, and Odoo"
        " approves as the approver (channel webhook)",
        chat_decides,
    )
    checks.run(
        "approval: the same decision token again decides nothing",
        token_used_twice,
    )


def answer_in_chat(n8n, token, reason):
    """What the chat tool's button posts to the workflow."""
    body = json.dumps({"token": token, "decision": "approve", "reason": reason})
    return post(
        f"{n8n.url}/webhook/odoo-approval-decision",
        body.encode(),
        {"Content-Type": "application/json"},
    )


def ai_round_trip(
    checks, odoo, stand_ins, subscription_id, endpoint_id, use_case_id, bill_id
):
    state = {}

    def question_reaches_n8n():
        state["rec"], rec_state = odoo.ai_ask(use_case_id, bill_id)
        passed, found = expect_deliveries(
            odoo,
            odoo.deliveries_of(subscription_id, "ai.recommendation.requested"),
            state="sent",
            status_2xx=True,
        )
        return passed and rec_state == "waiting", dict(found, recommendation=rec_state)

    def model_asked():
        [asked] = stand_ins.wait_for("/model")
        data = (asked.get("event") or {}).get("data") or {}
        state["question"] = data
        passed = bool(data.get("correlation_id")) and data.get(
            "answer_url", ""
        ).startswith(odoo.public_url)
        return passed, {
            "answer_url": data.get("answer_url"),
            "has_instructions": bool(data.get("instructions")),
            "has_schema": bool(data.get("answer_schema")),
        }

    def answer_stored():
        inbox = odoo.process_inbox(endpoint_id)
        found = odoo.ai_state(state["rec"])
        passed = (
            inbox[-1]["state"] == "done"
            and found["state"] == "proposed"
            and found["label"] == MODEL_ANSWER["label"]
            # the model's 0.9, lifted by the built-in detector's agreement
            and found["confidence"] >= MODEL_ANSWER["confidence"]
            and found["tokens"] == MODEL_ANSWER["tokens"]
            and found["output_mode"] == "async"
            and found["correlation_matches"]
        )
        return passed, {
            "inbox": inbox[-1]["state"],
            "model_said": MODEL_ANSWER,
            **found,
        }

    checks.run("ai: the question reaches n8n verified (2xx)", question_reaches_n8n)
    checks.run("ai: n8n asks the model (stand-in) with the question", model_asked)
    checks.run(
        "ai: n8n posts the signed answer to answer_url; the recommendation"
        " keeps it with its confidence",
        answer_stored,
    )


def rotation(checks, odoo, n8n, workflow, subscription_id, old):
    """Rotate the subscription's secret with a grace period, then the one
    n8n holds."""
    new = new_secret()
    state = {}

    def emit():
        before = set(odoo.deliveries_of(subscription_id, "rotation.ping"))
        odoo.emit("rotation.ping", {"n": len(before) + 1})
        return sorted(
            set(odoo.deliveries_of(subscription_id, "rotation.ping")) - before
        )

    def rotate():
        until = odoo.rotate(subscription_id, new, GRACE_SECONDS)
        state["grace_until"] = time.time() + GRACE_SECONDS
        passed, found = expect_deliveries(odoo, emit(), state="sent", status_2xx=True)
        signing = odoo.signing_secrets(subscription_id)
        return passed and signing == 2, dict(
            found, signing_secrets=signing, grace_until=str(until)
        )

    def after_grace():
        time.sleep(max(0, state["grace_until"] - time.time()) + 1.5)
        state["refused"] = emit()
        passed, found = expect_deliveries(
            odoo, state["refused"], status=401, state="retry", retry_planned=True
        )
        signing = odoo.signing_secrets(subscription_id)
        return passed and signing == 1, dict(found, signing_secrets=signing)

    def update_n8n():
        n8n.stop()
        code = node(workflow, "Verify signature")["parameters"]
        code["jsCode"] = set_constant(code["jsCode"], "SECRETS", [new])
        ok, output = n8n.import_workflow(workflow, CACHE / "workflows")
        published = n8n.publish(workflow["id"])
        n8n.start()
        status = n8n.wait_for_webhook("odoo-events")
        return ok and status == 401, {"import": output, "publish": published}

    def retried():
        # the first retry is due 5 s after the refusal
        deadline = time.monotonic() + 60
        while True:
            passed, found = expect_deliveries(
                odoo, state["refused"], state="sent", status_2xx=True, attempts=2
            )
            if passed or time.monotonic() > deadline:
                return passed, found
            time.sleep(1)

    checks.run(
        "rotation: before it, deliveries verify",
        lambda: expect_deliveries(odoo, emit(), state="sent", status_2xx=True),
    )
    checks.run(
        "rotation: Odoo rotates with a grace period; n8n still holding the old"
        " secret accepts (Odoo signs with both secrets)",
        rotate,
    )
    checks.run(
        "rotation: after the grace, n8n still holding the old secret refuses"
        " (401) and Odoo keeps the delivery for a retry",
        after_grace,
    )
    checks.run("rotation: n8n's secret updated (import, publish, restart)", update_n8n)
    checks.run(
        "rotation: Odoo's retry of the refused delivery verifies in n8n", retried
    )
    checks.run(
        "rotation: new deliveries verify with the new secret",
        lambda: expect_deliveries(odoo, emit(), state="sent", status_2xx=True),
    )
    body = json.dumps({"type": "rotation.ping", "data": {"n": 0}}).encode()
    checks.run(
        "rotation: a delivery signed with the old secret only is refused (401)",
        lambda: expect_status(
            f"{n8n.url}/webhook/odoo-events", body, signed_headers(old, body), 401
        )(),
    )
