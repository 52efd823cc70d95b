"""A local HTTP endpoint on 127.0.0.1 standing in for the robots' webhooks: it records each
request and answers what the test scripted (never the real services)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Sink:
    url: str
    requests: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # path -> (status, body)


def start_sink():
    sink = Sink(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            sink.requests.append({"path": self.path, "body": body})
            route = self.path.split("?")[0]
            status, answer = sink.answers.get(route, (200, {"errcode": 0, "errmsg": "ok"}))
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return sink, server
