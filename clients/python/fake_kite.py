"""A small fake of Kite Connect for the Python follower's tests, faithful to ../shared/kite-api.md section 7.

It checks the checksum, accepts each request_token once and for 5 minutes, holds one access token per app (a new
login kills the previous one), and answers GET /user/profile and DELETE /session/token as Kite does.
"""

import hashlib
import json
import secrets
import string
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

IST = timezone(timedelta(hours=5, minutes=30))
USER_ID = "PY0001"
_ALPHANUMERIC = string.ascii_letters + string.digits


class FakeKite:
    def __init__(self, api_key, api_secret, callback_url):
        self.api_key = api_key
        self.api_secret = api_secret
        self.callback_url = callback_url
        self.access_token = None
        self.session_calls = 0
        self._request_tokens = {}  # request_token -> issued at
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # the request line holds request_tokens and access tokens
                pass

            def do_POST(self):
                fake._handle(self, "POST")

            def do_GET(self):
                fake._handle(self, "GET")

            def do_DELETE(self):
                fake._handle(self, "DELETE")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-kite", daemon=True)
        self._thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def approve(self, kite_login_url):
        """The browser pressed "Log in" on Kite's page that kite_login_url opened: where Kite redirects it."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(kite_login_url).query)
        assert query["api_key"] == [self.api_key] and query["v"] == ["3"], kite_login_url
        request_token = "".join(secrets.choice(_ALPHANUMERIC) for _ in range(32))
        with self._lock:
            self._request_tokens[request_token] = time.monotonic()
        params = [("action", "login"), ("type", "login"), ("status", "success"), ("request_token", request_token)]
        params += urllib.parse.parse_qsl(query.get("redirect_params", [""])[0])
        return self.callback_url + "?" + urllib.parse.urlencode(params)

    def kill_session(self):
        """A logout everywhere at Kite: the app's token stops working, and the service is not told."""
        with self._lock:
            self.access_token = None

    def _handle(self, request, method):
        url = urllib.parse.urlsplit(request.path)
        if request.headers.get("X-Kite-Version") != "3":
            return _send(request, 400, _error("InputException", "Invalid `X-Kite-Version`."))
        route = method + " " + url.path
        if route == "POST /session/token":
            return self._exchange(request)
        if route == "GET /user/profile":
            expected = "token %s:%s" % (self.api_key, self.access_token)
            if self.access_token is None or request.headers.get("Authorization") != expected:
                return _send(request, 403, _error("TokenException", "Incorrect `api_key` or `access_token`."))
            return _send(request, 200, {"status": "success", "data": _profile()})
        if route == "DELETE /session/token":
            query = dict(urllib.parse.parse_qsl(url.query))
            with self._lock:
                if query.get("api_key") == self.api_key and query.get("access_token") == self.access_token:
                    self.access_token = None
            return _send(request, 200, {"status": "success", "data": True})
        return _send(request, 404, _error("GeneralException", "Route not found"))

    def _exchange(self, request):
        if request.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
            return _send(request, 400, _error("InputException", "`api_key` should be minimum 6 characters in length."))
        length = int(request.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(request.rfile.read(length).decode("ascii")))
        request_token = form.get("request_token", "")
        with self._lock:
            self.session_calls += 1
            issued = self._request_tokens.pop(request_token, None)
            if form.get("api_key") != self.api_key or issued is None or time.monotonic() - issued > 300:
                return _send(request, 403, _error("TokenException", "Token is invalid or has expired."))
            expected = hashlib.sha256((self.api_key + request_token + self.api_secret).encode()).hexdigest()
            if form.get("checksum") != expected:
                return _send(request, 403, _error("TokenException", "Invalid `checksum`."))
            self.access_token = "".join(secrets.choice(_ALPHANUMERIC) for _ in range(32))
            data = dict(_profile(), api_key=self.api_key, access_token=self.access_token,
                        public_token="".join(secrets.choice(_ALPHANUMERIC) for _ in range(32)), enctoken="",
                        refresh_token="", silo="", login_time=datetime.now(IST).strftime("%Y-%m-%d %H:%M:%S"))
        return _send(request, 200, {"status": "success", "data": data})


def _profile():
    return {"user_type": "individual", "email": "trader@example.com", "user_name": "Python Trader",
            "user_shortname": "Trader", "broker": "ZERODHA",
            "exchanges": ["NSE", "NFO", "BFO", "CDS", "BSE", "MCX", "BCD", "MF"],
            "products": ["CNC", "NRML", "MIS", "BO", "CO"], "order_types": ["MARKET", "LIMIT", "SL", "SL-M"],
            "avatar_url": None, "user_id": USER_ID, "meta": {"demat_consent": "physical"}}


def _error(error_type, message):
    return {"status": "error", "message": message, "error_type": error_type, "data": None}


def _send(request, status, body):
    payload = json.dumps(body).encode()
    request.send_response(status)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", str(len(payload)))
    request.end_headers()
    request.wfile.write(payload)
