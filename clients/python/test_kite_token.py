"""The Python follower against the packaged service, a real redis-server and the fake Kite of fake_kite.py."""

import logging
import threading
import time

import pytest

import kite_token
from conftest import READER

SOON = 10


class Clock:
    """The follower's clock, moved to a token's expiry without waiting for 06:00 IST."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self):
        return time.time() + self.offset


def await_(check, seconds=SOON):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("not within %d s" % seconds)


@pytest.fixture
def follower(stack):
    clock = Clock()
    running = kite_token.TokenFollower(stack.url, READER, wait=5, backoff_first=0.2, backoff_max=1.0, clock=clock)
    running.clock = clock
    yield running.start()
    running.close()


def test_follows_logins_and_a_logout_and_tells_each_real_change_once(stack, follower):
    seen = []
    follower.add_listener(seen.append)
    first = stack.log_in()
    await_(lambda: follower.current() is not None and follower.current().access_token == first)
    # Long-polls come and go (a 5 s wait here) while the token stays: no call for an unchanged token.
    time.sleep(6)
    second = stack.log_in()
    await_(lambda: follower.current().access_token == second)
    stack.log_out()
    await_(lambda: follower.current() is None)
    third = stack.log_in()
    await_(lambda: follower.current() is not None and follower.current().access_token == third)

    tokens = [token.access_token if token else None for token in seen]
    assert tokens[tokens.index(first):] == [first, second, None, third]
    assert follower.current().user_id == "PY0001"
    assert "access_token" not in repr(follower.current()) and third not in repr(follower.current())


def test_a_listener_added_later_is_told_the_current_token_at_once(stack, follower):
    token = stack.log_in()
    await_(lambda: follower.current() is not None and follower.current().access_token == token)
    told = []
    follower.add_listener(told.append)
    assert [t.access_token for t in told] == [token]


def test_keeps_the_last_token_while_the_service_is_unreachable_then_reports_none_at_its_expiry(stack, follower):
    token = stack.log_in()
    await_(lambda: follower.current() is not None and follower.current().access_token == token)
    held = follower.current()
    changes = []
    follower.add_listener(changes.append)
    stack.stop_service()
    try:
        time.sleep(3)
        assert follower.current() == held
        follower.clock.offset = held.expires_at.timestamp() - time.time() - 1
        await_(lambda: follower.current() is None)
        await_(lambda: changes[-1] is None)
    finally:
        stack.start_service()
    follower.clock.offset = 0
    await_(lambda: follower.current() is not None and follower.current().access_token == token)


def test_a_token_killed_at_kite_is_reported_and_the_next_login_brings_the_next(stack, follower):
    token = stack.log_in()
    await_(lambda: follower.current() is not None and follower.current().access_token == token)
    dead = follower.current()
    stack.kite.kill_session()

    result = follower.report_dead(dead)
    assert result["invalidated"] is True
    await_(lambda: follower.current() is None)

    threading.Timer(1.0, stack.log_in).start()
    following = follower.report_dead_and_await_next(dead, timeout=SOON)
    assert following is not None and following.token_id != dead.token_id
    assert following.access_token == stack.kite.access_token


def test_a_live_token_reported_by_mistake_stays(stack, follower):
    token = stack.log_in()
    await_(lambda: follower.current() is not None and follower.current().access_token == token)
    assert follower.report_dead_and_await_next(follower.current(), timeout=SOON).access_token == token


def test_a_wrong_reader_secret_stops_the_follower_with_a_message_that_says_so(stack):
    with kite_token.TokenFollower(stack.url, "not-a-reader-secret").start() as wrong:
        with pytest.raises(kite_token.ServiceRefused, match="401.*KITE_READER_TOKENS"):
            wrong.await_token(SOON)
        assert wrong.refused


def test_close_ends_its_thread_and_no_token_reaches_the_log(stack, caplog):
    caplog.set_level(logging.DEBUG, logger="kite_token")
    follower = kite_token.TokenFollower(stack.url, READER, wait=5).start()
    token = stack.log_in()
    await_(lambda: follower.current() is not None and follower.current().access_token == token)
    follower.close()
    assert not any(t.name == "kite-token-follower" and t.is_alive() for t in threading.enumerate())
    assert token not in caplog.text and READER not in caplog.text
    assert follower.current().token_id in caplog.text
