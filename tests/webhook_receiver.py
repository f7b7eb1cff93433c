"""A webhook receiver on localhost: a real HTTP server (http.server in a thread) that verifies every
post's signature with the Standard Webhooks reference library and answers as a test tells it."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    body: dict | None
    verified: bool
    answered: int


@dataclass
class Receiver:
    """`answers` is a list of status codes answered in turn (the last one from then on); `slow_first`
    seconds are waited before answering the first post."""

    secret: str = ""
    answers: list[int] = field(default_factory=lambda: [200])
    slow_first: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def __post_init__(self):
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("content-length", 0)))
                try:
                    body = Webhook(receiver.secret).verify(data, dict(self.headers.items()))
                    verified = True
                except WebhookVerificationError:
                    body, verified = json.loads(data or b"null"), False
                with receiver.lock:
                    count = len(receiver.received)
                    code = receiver.answers[min(count, len(receiver.answers) - 1)]
                    receiver.received.append(Received(self.headers.get("webhook-id", ""), body, verified, code))
                if count == 0 and receiver.slow_first:
                    time.sleep(receiver.slow_first)
                try:
                    self.send_response(code)
                    self.send_header("content-length", "0")
                    self.end_headers()
                except OSError:  # the sender is gone (a worker killed mid-post)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def ids_by_event(self) -> dict[str, set[str]]:
        """Which webhook-ids carried each event (named by the test's `marker` in its payload)."""
        seen: dict[str, set[str]] = {}
        for post in self.received:
            seen.setdefault(json.dumps(post.body["data"], sort_keys=True), set()).add(post.webhook_id)
        return seen
