"""Stand-ins for the services a workflow would call, on a loopback port: a
chat tool that takes approval requests, and a model that answers AI
questions. Nothing leaves the machine."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# what the stand-in model answers to every question
MODEL_ANSWER = {
    "label": "duplicate",
    "confidence": 0.9,
    "rationale": "Same vendor, same amount, same reference once normalised.",
    "abstain": False,
    "tokens": 42,
}


class StandIns:
    """``/chat`` keeps the messages posted to it; ``/model`` keeps the
    questions and answers :data:`MODEL_ANSWER`."""

    def __init__(self):
        self.received = {"/chat": [], "/model": []}
        self.lock = threading.Lock()
        stand_ins = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path not in stand_ins.received:
                    self.send_response(404)
                    self.end_headers()
                    return
                with stand_ins.lock:
                    stand_ins.received[self.path].append(json.loads(body or b"null"))
                answer = MODEL_ANSWER if self.path == "/model" else {"ok": True}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, path, count=1, timeout=120):
        """The first ``count`` messages posted to ``path``, waiting for them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received[path]) >= count:
                    return list(self.received[path])
            time.sleep(0.5)
        raise RuntimeError(f"the stand-in {path} got nothing within {timeout} s")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
