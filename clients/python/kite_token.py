"""Follow kite-token-service's current Kite access token from Python, with the standard library only.

    follower = kite_token.TokenFollower("http://kite-token-service:8080", os.environ["KITE_READER_TOKEN"]).start()
    follower.add_listener(lambda token: token and kite.set_access_token(token.access_token))

One daemon thread reads GET /token on every (re)connection, then long-polls it (If-None-Match + wait), so a
change arrives within milliseconds and a push lost on the way is caught by the next read. Listeners hear every
real change once (a different token_id, or None for no token). While the service cannot be reached the last token
is kept until its expires_at; a refused reader secret (401/403) stops the follower with a message that says so.
The access token never appears in a log line or a repr: tokens are named by their token_id.
"""

import http.client
import json
import logging
import random
import threading
import time
import urllib.parse
from datetime import datetime

__all__ = ["KiteToken", "ServiceRefused", "TokenFollower"]

LOG = logging.getLogger("kite_token")

_MIN_POLL = 1.0  # a long-poll answered sooner than this without a change is followed by a pause: no hot loop
_READ_MARGIN = 10.0  # how much longer than its wait a long-poll may take to answer
_PLAIN_READ = 5.0  # a plain read: a proxy with no server behind it must not hold it for long


class KiteToken:
    """One access token as the service serves it; repr() names it by token_id only."""

    __slots__ = ("access_token", "token_id", "api_key", "user_id", "expires_at")

    def __init__(self, access_token, token_id, api_key, user_id, expires_at):
        self.access_token = access_token
        self.token_id = token_id
        self.api_key = api_key
        self.user_id = user_id
        self.expires_at = expires_at  # an aware datetime

    @classmethod
    def from_json(cls, body):
        try:
            data = json.loads(body)
            return cls(data["access_token"], data["token_id"], data["api_key"], data.get("user_id"),
                       datetime.fromisoformat(data["expires_at"]))
        except (ValueError, KeyError, TypeError) as e:
            # The exception's text may quote the body, which holds the token: say only what is wrong.
            raise ValueError("not a GET /token answer: " + type(e).__name__) from None

    def expired(self, now):
        return self.expires_at.timestamp() <= now

    def __eq__(self, other):
        return isinstance(other, KiteToken) and other.token_id == self.token_id

    def __hash__(self):
        return hash(self.token_id)

    def __repr__(self):
        return "KiteToken(token_id=%s, user_id=%s, expires_at=%s)" % (self.token_id, self.user_id,
                                                                      self.expires_at.isoformat())


class ServiceRefused(Exception):
    """The service refused the reader secret: a configuration error, not an outage. The follower has stopped."""


class TokenFollower:
    """Follows the service's token on one daemon thread; thread-safe; close() stops it."""

    def __init__(self, service_url, reader_secret, wait=50, backoff_first=0.5, backoff_max=15.0,
                 connect_timeout=5.0, clock=time.time):
        url = urllib.parse.urlsplit(service_url.rstrip("/"))
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("the service URL must be http:// or https://, e.g. http://kite-token-service:8080")
        if not reader_secret or not reader_secret.strip():
            raise ValueError("a reader secret (one of the service's KITE_READER_TOKENS) is required")
        if not 1 <= wait <= 60:
            raise ValueError("the long-poll wait must be 1 to 60 seconds")
        if not 0 < backoff_first <= backoff_max:
            raise ValueError("back-off needs 0 < backoff_first <= backoff_max")
        self._url = url
        self._authorization = "Bearer " + reader_secret.strip()
        self._wait = int(wait)
        self._backoff = (backoff_first, backoff_max)
        self._connect_timeout = connect_timeout
        self._clock = clock
        self._current = None
        self._listeners = []
        self._changes = threading.Condition()
        self._closed = threading.Event()
        self._in_flight = set()
        self._in_flight_lock = threading.Lock()
        self.refused = None  # why the follower stopped, if the service refused it
        self._thread = threading.Thread(target=self._follow, name="kite-token-follower", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def current(self):
        """The current KiteToken, or None; never one past its expires_at."""
        token = self._current
        return None if token is None or token.expired(self._clock()) else token

    def add_listener(self, listener):
        """listener(token_or_None), told the current token at once if there is one, then every change."""
        with self._changes:
            self._listeners.append(listener)
            now = self.current()
            if now is not None:
                self._tell(listener, now)

    def remove_listener(self, listener):
        with self._changes:
            self._listeners.remove(listener)

    def await_next(self, token_id=None, timeout=60.0):
        """Waits for a token other than token_id (any token when None); None after timeout."""
        deadline = time.monotonic() + timeout
        with self._changes:
            while True:
                now = self.current()
                if now is not None and now.token_id != token_id:
                    return now
                if self.refused:
                    raise ServiceRefused(self.refused)
                left = deadline - time.monotonic()
                if left <= 0 or self._closed.is_set():
                    return None
                self._changes.wait(min(left, 1.0))

    def await_token(self, timeout=60.0):
        return self.await_next(None, timeout)

    def report_dead(self, token):
        """POST /token/invalidate for a token Kite refused; the service ends it only if Kite confirms."""
        status, body = self._request("POST", "/token/invalidate", timeout=20.0,
                                     body=json.dumps({"token_id": token.token_id}))
        if status != 200:
            raise OSError("the service answered %d: %s" % (status, _detail(body)))
        result = json.loads(body)
        LOG.info("Reported token_id %s: %s", token.token_id,
                 "invalidated" if result.get("invalidated") else "not invalidated (%s)" % result.get("detail"))
        return result

    def report_dead_and_await_next(self, token, timeout=120.0):
        """Reports the token and waits for the next one; the same token when Kite still accepts it."""
        deadline = time.monotonic() + timeout
        try:
            result = self.report_dead(token)
            if not result.get("invalidated") and result.get("current_token_id") == token.token_id:
                return self.current()
        except (OSError, ValueError) as e:
            LOG.warning("Could not report token_id %s (%s); waiting for the next token anyway", token.token_id,
                        type(e).__name__)
        return self.await_next(token.token_id, max(0.0, deadline - time.monotonic()))

    def close(self):
        """Stops following; the thread ends."""
        self._closed.set()
        with self._in_flight_lock:
            for connection in list(self._in_flight):
                _shut(connection)
        with self._changes:
            self._changes.notify_all()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(5.0)

    # The follower's thread.

    def _follow(self):
        failures = 0
        reread = True
        while not self._closed.is_set():
            self._expire_if_due()
            have = self.current()
            started = time.monotonic()
            try:
                # On every (re)connection the current token first, with no wait: a change pushed while the
                # follower was away is caught here, never left to a push that will not come again.
                if reread:
                    status, body = self._get(None, 0)
                else:
                    status, body = self._get(have.token_id if have else None, self._wait)
                if status == 200:
                    self._change(KiteToken.from_json(body), None)
                elif status == 404:
                    self._change(None, "the service has no token (no login since the cutoff, or it was logged "
                                       "out or invalidated)")
                elif status in (401, 403):
                    self._stop(status, body)
                    return
                elif status != 304:
                    raise OSError("the service answered %d" % status)
                if failures:
                    LOG.info("kite-token-service reached again after %d failed attempt(s)", failures)
                failures = 0
                quick = not reread and status != 200 and time.monotonic() - started < _MIN_POLL
                reread = False
                if quick:
                    self._pause(_MIN_POLL)  # a proxy that answers long-polls at once must not make a hot loop
            except (OSError, http.client.HTTPException, ValueError) as e:
                if self._closed.is_set():
                    return
                failures += 1
                reread = True
                if failures == 1 or failures % 10 == 0:
                    LOG.warning("kite-token-service unreachable (%s, attempt %d); %s", type(e).__name__, failures,
                                "keeping token_id %s until %s" % (have.token_id, have.expires_at.isoformat())
                                if have else "no token to keep")
                self._pause(self._backoff_after(failures))

    def _backoff_after(self, failures):
        first, most = self._backoff
        ceiling = min(most, first * 2 ** (failures - 1))
        return random.uniform(min(first / 2, ceiling), ceiling)

    def _pause(self, seconds):
        """Sleeps, but not past the current token's expiry, which must be reported when it comes."""
        have = self._current
        if have is not None:
            seconds = min(seconds, max(0.001, have.expires_at.timestamp() - self._clock()))
        self._closed.wait(seconds)

    def _expire_if_due(self):
        have = self._current
        if have is not None and have.expired(self._clock()):
            self._change(None, "token_id %s reached its expires_at" % have.token_id)

    def _change(self, token, why):
        with self._changes:
            before = self._current
            if (before.token_id if before else None) == (token.token_id if token else None):
                return
            self._current = token
            if token is not None:
                LOG.info("Token is now token_id %s (user %s, until %s)", token.token_id, token.user_id,
                         token.expires_at.isoformat())
            else:
                LOG.info("No token: %s", why)
            for listener in list(self._listeners):
                self._tell(listener, token)
            self._changes.notify_all()

    @staticmethod
    def _tell(listener, token):
        try:
            listener(token)
        except Exception:  # a listener's failure must not stop the following
            LOG.exception("A token listener failed")

    def _stop(self, status, body):
        detail = _detail(body)
        self.refused = ("kite-token-service refused this reader secret (401): give the client one of the service's "
                        "KITE_READER_TOKENS" if status == 401 else
                        "kite-token-service refused this client (403): it has no reader secrets configured "
                        "(KITE_READER_TOKENS)") + (". The service says: " + detail if detail else "")
        LOG.error("%s. Following stopped.", self.refused)
        with self._changes:
            self._changes.notify_all()

    def _get(self, if_none_match, wait):
        read = wait + _READ_MARGIN if wait else _PLAIN_READ
        have = self._current
        if have is not None:
            # Woken at the token's expiry even if the connection went silent.
            read = min(read, max(0.1, have.expires_at.timestamp() - self._clock()))
        headers = {"If-None-Match": '"%s"' % if_none_match} if if_none_match else {}
        return self._request("GET", "/token?wait=%d" % wait if wait else "/token", timeout=read, headers=headers)

    def _request(self, method, path, timeout, headers=None, body=None):
        connection_class = http.client.HTTPSConnection if self._url.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self._url.hostname, self._url.port, timeout=self._connect_timeout)
        with self._in_flight_lock:
            if self._closed.is_set():
                raise OSError("closed")
            self._in_flight.add(connection)
        try:
            all_headers = {"Authorization": self._authorization, "Accept": "application/json", "Connection": "close"}
            all_headers.update(headers or {})
            if body is not None:
                all_headers["Content-Type"] = "application/json"
            connection.connect()
            connection.sock.settimeout(timeout)
            connection.request(method, self._url.path + path, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            with self._in_flight_lock:
                self._in_flight.discard(connection)
            connection.close()


def _shut(connection):
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(2)
        except OSError:
            pass


def _detail(body):
    """The problem JSON's detail of an error answer, written for people and with no secret."""
    try:
        return json.loads(body).get("detail")
    except (ValueError, AttributeError):
        return None
