"""A quiet static server of a folder on loopback: `make serve` serves the site with it, as the bench and the tests do
theirs."""

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the folder's files without logging each request (a page asks for dozens)."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """Says nothing when a browser hangs up during a request (a page reloaded or left, a download cancelled); any other
    error of a request is printed as the standard server prints it."""

    daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def start(folder: Path, host: str = "127.0.0.1", port: int = 0, handler: type = QuietHandler) -> QuietServer:
    """A server of the folder, serving in a thread of its own from now on (port 0: a free one)."""
    server = QuietServer((host, port), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
