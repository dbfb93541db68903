"""Where the client may send the keys: https only (loopback excepted), never a redirect."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dukkango.api_url import check_api_url
from dukkango.client import DukkangoClient
from dukkango.exceptions import DukkangoRedirectError


@pytest.mark.parametrize(
    "url",
    [
        "https://www.xn--dkkango-n2a.com/api/integrations/",
        "http://127.0.0.1:8765/api/integrations",
        "http://127.3.4.5/api",
        "http://localhost:8765/api",
        "http://[::1]:8765/api",
    ],
)
def test_allowed_urls(url):
    assert check_api_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://www.xn--dkkango-n2a.com/api/integrations",
        "http://10.0.0.5/api",
        "http://127.0.0.1.evil.example/api",
        "ftp://127.0.0.1/api",
        "https://user:pass@example.com/api",
        "https:///api",
        "not a url",
        None,
    ],
)
def test_refused_urls(url):
    with pytest.raises(ValueError):
        check_api_url(url)
    with pytest.raises(ValueError):
        DukkangoClient(url, "app", "rest")


@pytest.fixture
def redirecting_server():
    """A server that answers every request with a redirect and records what it received."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def _redirect(self):
            length = int(self.headers.get("Content-Length") or 0)
            received.append((self.command, self.path, self.rfile.read(length)))
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.2:9/steal")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_PUT = _redirect

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api", received
    server.shutdown()
    server.server_close()


def test_a_redirect_is_an_error_naming_where_it_pointed(redirecting_server):
    url, received = redirecting_server
    client = DukkangoClient(url, "app-secret", "rest-secret", backoff_factor=0)
    with pytest.raises(DukkangoRedirectError) as caught:
        client.login()
    assert caught.value.location == "http://127.0.0.2:9/steal"
    assert "http://127.0.0.2:9/steal" in str(caught.value)
    assert not caught.value.retryable
    assert [(method, path) for method, path, _body in received] == [("POST", "/api/auth/login")]
