"""The monorepo's worker: serves its status on :8000 (GET / answers with the shared greeting,
/healthz ok). The greeting comes from libs/shared, a member of the root's uv workspace."""

from http.server import BaseHTTPRequestHandler, HTTPServer

from shared import greeting


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok\n" if self.path == "/healthz" else (greeting("worker") + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
