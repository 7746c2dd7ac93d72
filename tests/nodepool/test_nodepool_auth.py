"""Accounts and tokens over real gRPC: login, the pool's INTERNAL answer to bad
tokens (protocol.md §1), refresh, balance and transfer."""

from __future__ import annotations

import time

import grpc
import jwt
import pytest

from hivemind_desktop.nodepool import AUTH_FAILED_DETAILS, NodePool, NodePoolError, UserSpec
from hivemind_desktop.rpc import pb
from tests.kit.pools import PoolClient


def balance(client: PoolClient, md=None) -> pb.GetBalanceResponse:
    return client.users.GetBalance(
        pb.GetBalanceRequest(username=client.user or ""),
        metadata=client.md if md is None else md,
        timeout=10,
    )


def assert_auth_refused(call) -> None:
    with pytest.raises(grpc.RpcError) as err:
        call()
    assert err.value.code() == grpc.StatusCode.INTERNAL
    assert err.value.details() == AUTH_FAILED_DETAILS


def test_login_good_and_bad_password(pool, connect):
    client = connect(pool)
    good = client.login("alice", "alice-pw")
    assert good.success and good.token
    claims = jwt.decode(good.token, options={"verify_signature": False})
    assert claims["sub"] == "alice"
    assert 3500 <= claims["exp"] - time.time() <= 3601
    bad = client.login("alice", "wrong")
    assert not bad.success and not bad.token
    assert "invalid username or password" in bad.message
    nobody = client.login("mallory", "alice-pw")
    assert not nobody.success and not nobody.token


def test_calls_without_or_with_bad_token_are_internal(pool, connect):
    client = connect(pool)
    assert_auth_refused(lambda: client.users.GetBalance(pb.GetBalanceRequest(), timeout=10))
    assert_auth_refused(lambda: balance(client, md=[("authorization", "Bearer not-a-jwt")]))
    forged = jwt.encode({"sub": "alice", "exp": int(time.time()) + 600}, "x" * 32, "HS256")
    assert_auth_refused(lambda: balance(client, md=[("authorization", f"Bearer {forged}")]))
    client.login("alice", "alice-pw")
    assert_auth_refused(lambda: balance(client, md=[("authorization", client.token)]))
    # Every non-login service checks it, the worker's upload side included.
    assert_auth_refused(
        lambda: client.uploads.TaskUsage(
            pb.TaskUsageRequest(task_id="t", token="alice"), timeout=10
        )
    )
    assert_auth_refused(
        lambda: client.nodes.ReportStatus(pb.RunningStatusRequest(node_id="alice"), timeout=10)
    )
    assert balance(client).balance == 100


def test_expired_token_is_internal_and_refresh_renews_it(make_pool, connect):
    pool = make_pool(token_ttl_s=1)
    client = connect(pool, "alice")
    old = client.token
    assert balance(client).success
    time.sleep(2.1)  # the JWT's exp has one-second resolution
    assert_auth_refused(lambda: balance(client))
    reply = client.users.RefreshToken(pb.RefreshTokenRequest(old_token=old), timeout=10)
    assert reply.success and reply.new_token and reply.new_token != old
    client.token = reply.new_token
    assert balance(client).balance == 100


def test_refresh_refuses_garbage_and_forged_tokens(pool, connect):
    client = connect(pool, "alice")
    ok = client.users.RefreshToken(pb.RefreshTokenRequest(old_token=client.token), timeout=10)
    assert ok.success
    assert jwt.decode(ok.new_token, options={"verify_signature": False})["sub"] == "alice"
    for bad in ("", "garbage", jwt.encode({"sub": "alice", "exp": 2**31}, "k" * 32, "HS256")):
        reply = client.users.RefreshToken(pb.RefreshTokenRequest(old_token=bad), timeout=10)
        assert not reply.success and not reply.new_token


def test_balance_and_transfer(pool, connect):
    alice = connect(pool, "alice")
    send = lambda to, amount: alice.users.Transfer(  # noqa: E731
        pb.TransferRequest(token=alice.token, receiver_username=to, amount=amount),
        metadata=alice.md,
        timeout=10,
    )
    assert send("bob", 30).success
    assert pool.balance("alice") == 70 and pool.balance("bob") == 80
    for to, amount, why in (
        ("bob", 0, "positive"),
        ("bob", -5, "positive"),
        ("bob", 71, "insufficient"),
        ("nobody", 1, "does not exist"),
        ("alice", 1, "yourself"),
    ):
        reply = send(to, amount)
        assert not reply.success and why in reply.message
    assert pool.balance("alice") == 70 and pool.balance("bob") == 80
    assert balance(alice).balance == 70
    other = alice.users.GetBalance(pb.GetBalanceRequest(username="bob"), metadata=alice.md)
    assert not other.success


def test_binds_only_the_given_address_and_refuses_a_taken_port(pool):
    port = int(pool.address.rsplit(":", 1)[1])
    elsewhere = grpc.insecure_channel(f"127.0.0.2:{port}")
    with pytest.raises(grpc.FutureTimeoutError):
        grpc.channel_ready_future(elsewhere).result(timeout=1)
    elsewhere.close()
    with pytest.raises(NodePoolError, match="choose another --listen"):
        NodePool(listen=pool.address, users=[UserSpec("x", "y")]).start()


def test_bad_configuration_is_one_clear_line():
    with pytest.raises(ValueError, match="HOST:PORT"):
        NodePool(listen="nonsense")
    with pytest.raises(ValueError, match="given twice"):
        NodePool(listen="127.0.0.1:0", users=[UserSpec("a", "b"), UserSpec("a", "c")])
    with pytest.raises(ValueError, match="trust level"):
        NodePool(listen="127.0.0.1:0", users=[UserSpec("a", "b")], trust={"a": "max"})
