"""What the Python follower's tests run against: a redis-server, the fake Kite of fake_kite.py and the packaged
service (target/quarkus-app/quarkus-run.jar, built by ./mvnw package), all started here and stopped at the end."""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_kite import USER_ID, FakeKite  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
JAR = ROOT / "target" / "quarkus-app" / "quarkus-run.jar"
LOGS = ROOT / "target" / "python-tests"
API_KEY = "pyapikey0001"
API_SECRET = "py-api-secret-0123456789abcdef00"
READER = "py-reader-secret-aaaaaaaaaaaaaaaaaaaa"
ADMIN = "py-admin-secret-cccccccccccccccccccccc"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _await(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("%s within %d s" % (what, seconds))


class Stack:
    def __init__(self):
        if not JAR.exists():
            pytest.exit("the packaged service is missing: build it first with ./mvnw package -DskipTests", 2)
        if shutil.which("redis-server") is None:
            pytest.exit("these tests need redis-server on the PATH (Debian: apt-get install redis-server)", 2)
        LOGS.mkdir(parents=True, exist_ok=True)
        self.redis_port = free_port()
        self.redis = subprocess.Popen(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.kite = FakeKite(API_KEY, API_SECRET, "http://localhost:%d/callback" % self.port)
        self.service = None
        self.start_service()

    def start_service(self):
        management = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KITE_", "QUARKUS_"))}
        env.update({
            "KITE_API_KEY": API_KEY, "KITE_API_SECRET": API_SECRET, "KITE_API_URL": self.kite.url,
            "KITE_LOGIN_URL": self.kite.url + "/connect/login", "KITE_PUBLIC_URL": "http://localhost:%d" % self.port,
            "KITE_READER_TOKENS": READER, "KITE_ADMIN_TOKENS": ADMIN, "KITE_ALLOWED_USER_IDS": USER_ID,
            "KITE_CHECK_INTERVAL": "off", "QUARKUS_REDIS_HOSTS": "redis://127.0.0.1:%d" % self.redis_port,
            "QUARKUS_HTTP_PORT": str(self.port), "QUARKUS_MANAGEMENT_PORT": str(management),
            "QUARKUS_LOG_FILE_ENABLED": "true", "QUARKUS_LOG_FILE_PATH": str(LOGS / "service.log"),
        })
        with open(LOGS / "service.out", "ab") as out:
            self.service = subprocess.Popen(["java", "-Xmx128m", "-jar", str(JAR)], env=env, stdout=out,
                                            stderr=subprocess.STDOUT)

        def ready():
            try:
                connection = http.client.HTTPConnection("127.0.0.1", management, timeout=2)
                connection.request("GET", "/q/health/ready")
                return connection.getresponse().status == 200
            except OSError:
                return False
        _await(ready, 60, "the service was not ready")

    def stop_service(self):
        self.service.kill()
        self.service.wait(10)

    def stop(self):
        self.stop_service()
        self.kite.stop()
        self.redis.kill()
        self.redis.wait(10)

    def request(self, method, path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read().decode()
        return response.status, response.getheaders(), body

    def log_in(self):
        """A whole login as a browser makes it: /login, Kite's "Log in", the callback with the login cookie."""
        status, headers, _ = self.request("GET", "/login", {"Accept": "text/html"})
        assert status in (302, 303), status
        cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("kite_login="))
        location = next(v for k, v in headers if k.lower() == "location")
        callback = urllib.parse.urlsplit(self.kite.approve(location))
        status, _, body = self.request("GET", callback.path + "?" + callback.query,
                                       {"Cookie": cookie, "Accept": "application/json"})
        assert status == 200, (status, body)
        return self.kite.access_token

    def log_out(self):
        status, _, _ = self.request("DELETE", "/token", {"Authorization": "Bearer " + ADMIN})
        assert status == 200, status


@pytest.fixture(scope="session")
def stack():
    running = Stack()
    yield running
    running.stop()
