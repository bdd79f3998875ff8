# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The n8n workflows shipped in ``examples/n8n``, for tests: loading them,
walking their connections, and running a Code node's JavaScript with Node
(``n8n_code_node.js`` wraps the body as n8n does)."""

import base64
import json
import pathlib
import re
import shutil
import subprocess

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples" / "n8n"
HARNESS = pathlib.Path(__file__).resolve().parent / "n8n_code_node.js"
WEBHOOK = "n8n-nodes-base.webhook"
RESPOND = "n8n-nodes-base.respondToWebhook"
CODE = "n8n-nodes-base.code"
VERIFIER = "Verify signature"


def workflows():
    """``{file name: workflow}`` of every shipped workflow."""
    return {
        path.name: json.loads(path.read_text())
        for path in sorted(EXAMPLES.glob("*.json"))
    }


def workflow(name):
    return json.loads((EXAMPLES / name).read_text())


def node(workflow_, name):
    return next(n for n in workflow_["nodes"] if n["name"] == name)


def successors(workflow_, name):
    """The names of the nodes ``name`` feeds, whatever output."""
    outputs = workflow_["connections"].get(name, {}).get("main", [])
    return [link["node"] for output in outputs for link in output or []]


def paths(workflow_, start):
    """Every path (a list of node names) from ``start`` to a node without
    successors; connections in n8n examples have no cycles."""
    nexts = successors(workflow_, start)
    if not nexts:
        return [[start]]
    return [[start, *rest] for name in nexts for rest in paths(workflow_, name)]


def node_binary():
    """The ``node`` executable; a clear failure when it is missing."""
    found = shutil.which("node")
    if not found:
        raise AssertionError(
            "Node.js (`node`) is needed to run the JavaScript of the shipped n8n"
            " workflows: install Node.js 20 or newer."
        )
    return found


def run_code(js, items, helpers=True):
    """Run the body of a Code node on ``items`` and return ``(items out,
    error)``; ``error`` is the message of what the code threw, else None."""
    # the fixed harness and the node found on PATH, with the JSON on stdin
    proc = subprocess.run(  # noqa: S603
        [node_binary(), str(HARNESS)],
        input=json.dumps({"code": js, "items": items, "helpers": helpers}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if proc.returncode == 2:
        return None, proc.stderr
    if proc.returncode:
        raise AssertionError(f"node failed: {proc.stderr}")
    return json.loads(proc.stdout), None


def webhook_item(headers, body):
    """What n8n's Webhook node (option Raw Body) hands the next node."""
    return {
        "json": {"headers": headers, "params": {}, "query": {}, "body": {}},
        "binary": {
            "data": {
                "data": base64.b64encode(body).decode(),
                "mimeType": "application/json",
            }
        },
    }


def set_constant(js, name, value):
    """The Code node's JavaScript with ``const <name> = ...;`` set to
    ``value`` (what a user pastes in place of the placeholder)."""
    pattern = re.compile(rf"^const {name} = .*;$", re.MULTILINE)
    assert len(pattern.findall(js)) == 1, f"no single constant {name}"
    return pattern.sub(lambda _m: f"const {name} = {json.dumps(value)};", js)
