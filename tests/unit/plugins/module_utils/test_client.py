# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared client against a real local HTTP server (pytest-httpserver)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import threading

import pytest
from werkzeug.wrappers import Response

from ansible_collections.aep.platform.plugins.module_utils.auth import TokenProvider
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
from ansible_collections.aep.platform.plugins.module_utils.errors import AepApiError, AepConnectionError

ORG = "5C1328435BF324E90A49402A@AdobeOrg"
SECRET = "very-secret-client-secret-4242"
TOKEN = "tok-abcdef-0123456789"


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def make_client(server, sleeps=None, token=TOKEN, retries=3, provider=None):
    provider = provider or TokenProvider(ims_url=server.url_for(""), org_id=ORG, access_token=token)
    return AepClient(server.url_for(""), org_id=ORG, api_key="my-client", sandbox="dev",
                     token_provider=provider, timeout=5, retries=retries,
                     sleeper=Sleeps() if sleeps is None else sleeps)


def test_headers_on_every_call(httpserver):
    httpserver.expect_request("/data/foundation/exim/packages/abc", method="GET").respond_with_json({"id": "abc"})
    client = make_client(httpserver)
    assert client.get("/data/foundation/exim/packages/abc") == {"id": "abc"}
    request = httpserver.log[0][0]
    assert request.headers["Authorization"] == "Bearer " + TOKEN
    assert request.headers["x-api-key"] == "my-client"
    assert request.headers["x-gw-ims-org-id"] == ORG
    assert request.headers["x-sandbox-name"] == "dev"


def test_sandbox_overridable_per_call_and_json_body(httpserver):
    httpserver.expect_request("/p", method="POST", json={"a": 1}).respond_with_json({"ok": True}, status=201)
    client = make_client(httpserver)
    assert client.post("/p", json={"a": 1}, sandbox="prod") == {"ok": True}
    request = httpserver.log[0][0]
    assert request.headers["x-sandbox-name"] == "prod"
    assert request.headers["Content-Type"] == "application/json"


def test_gateway_error_shape(httpserver):
    httpserver.expect_request("/p").respond_with_json(
        {"error_code": "403003", "message": "Api Key is invalid"}, status=403, headers={"x-request-id": "req-1"})
    with pytest.raises(AepApiError) as e:
        make_client(httpserver).get("/p")
    msg = e.value.msg
    assert "GET /p failed: HTTP 403" in msg
    assert "error code 403003" in msg and "Api Key is invalid" in msg and "req-1" in msg
    assert e.value.to_fail_kwargs()["request_id"] == "req-1"


def test_service_error_shape(httpserver):
    body = {"type": "https://ns.adobe.com/aep/errors/EXIM-1004-400", "title": "Package name exists",
            "status": 400, "detail": "A package named acme already exists", "report": {"name": "acme"}}
    httpserver.expect_request("/p", method="POST").respond_with_json(body, status=400, headers={"x-request-id": "r2"})
    with pytest.raises(AepApiError) as e:
        make_client(httpserver).post("/p", json={})
    assert e.value.code == "EXIM-1004-400"
    assert "Package name exists: A package named acme already exists" in e.value.msg
    assert e.value.report == {"name": "acme"}
    assert "POST /p" in e.value.msg and "r2" in e.value.msg


def test_missing_ok_returns_none_on_404(httpserver):
    httpserver.expect_request("/p").respond_with_json({"title": "Not found"}, status=404)
    assert make_client(httpserver).get("/p", missing_ok=True) is None


def test_retry_on_429_honours_retry_after(httpserver):
    sleeps = Sleeps()
    httpserver.expect_ordered_request("/p").respond_with_json({}, status=429, headers={"Retry-After": "7"})
    httpserver.expect_ordered_request("/p").respond_with_json({"done": 1})
    assert make_client(httpserver, sleeps).get("/p") == {"done": 1}
    assert sleeps == [7.0]
    assert len(httpserver.log) == 2


def test_retry_on_502_504_with_backoff(httpserver):
    sleeps = Sleeps()
    httpserver.expect_ordered_request("/p").respond_with_data("bad gateway", status=502)
    httpserver.expect_ordered_request("/p").respond_with_data("timeout", status=504)
    httpserver.expect_ordered_request("/p").respond_with_json({"ok": 1})
    assert make_client(httpserver, sleeps).get("/p") == {"ok": 1}
    assert len(sleeps) == 2 and 0 < sleeps[0] <= sleeps[1] * 2


def test_persisting_fault_fails_with_last_error_not_retryerror(httpserver):
    sleeps = Sleeps()
    httpserver.expect_request("/p").respond_with_json(
        {"error_code": "503000", "message": "Service unavailable"}, status=503,
        headers={"Retry-After": "1", "x-request-id": "last-req"})
    with pytest.raises(AepApiError) as e:
        make_client(httpserver, sleeps, retries=2).get("/p")
    assert e.value.status == 503 and "last-req" in e.value.msg
    assert len(httpserver.log) == 3  # one try + two retries
    assert sleeps == [1.0, 1.0]


def test_get_retried_on_500_burst(httpserver):
    httpserver.expect_ordered_request("/p").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/p").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/p").respond_with_json({"ok": 1})
    assert make_client(httpserver).get("/p") == {"ok": 1}


@pytest.mark.parametrize("status", [500, 502, 504])
def test_post_not_retried_on_ambiguous_5xx(httpserver, status):
    httpserver.expect_request("/p", method="POST").respond_with_data("bad gateway", status=status)
    with pytest.raises(AepApiError) as e:
        make_client(httpserver).post("/p", json={"name": "x"})
    assert e.value.status == status
    assert len(httpserver.log) == 1


def test_post_retried_on_429_refusal(httpserver):
    sleeps = Sleeps()
    httpserver.expect_ordered_request("/p", method="POST").respond_with_json({}, status=429, headers={"Retry-After": "2"})
    httpserver.expect_ordered_request("/p", method="POST").respond_with_json({"id": "new"}, status=201)
    assert make_client(httpserver, sleeps).post("/p", json={}) == {"id": "new"}
    assert sleeps == [2.0]


@pytest.fixture
def dropping_server():
    """A TCP server that reads a request then closes the connection without answering."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    hits = []

    def serve():
        while True:
            try:
                conn, dummy = listener.accept()
            except OSError:
                return
            conn.recv(65536)
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % listener.getsockname()[1], hits
    listener.close()


def test_post_not_resent_after_dropped_connection(dropping_server):
    url, hits = dropping_server
    provider = TokenProvider(ims_url=url, org_id=ORG, access_token=TOKEN)
    client = AepClient(url, org_id=ORG, api_key="k", token_provider=provider, timeout=5, retries=3, sleeper=Sleeps())
    with pytest.raises(AepConnectionError) as e:
        client.post("/data/foundation/exim/packages", json={"name": "x"})
    assert len(hits) == 1
    assert "POST /data/foundation/exim/packages failed" in e.value.msg


def test_get_retried_after_dropped_connection(dropping_server):
    url, hits = dropping_server
    provider = TokenProvider(ims_url=url, org_id=ORG, access_token=TOKEN)
    client = AepClient(url, org_id=ORG, api_key="k", token_provider=provider, timeout=5, retries=2, sleeper=Sleeps())
    with pytest.raises(AepConnectionError):
        client.get("/p")
    assert len(hits) == 3


def test_connection_refused_names_the_call():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    sleeps = Sleeps()
    provider = TokenProvider(ims_url="http://127.0.0.1:%d" % port, org_id=ORG, access_token=TOKEN)
    client = AepClient("http://127.0.0.1:%d" % port, org_id=ORG, api_key="k", token_provider=provider,
                       timeout=2, retries=2, sleeper=sleeps)
    with pytest.raises(AepConnectionError) as e:
        client.post("/p", json={})
    assert "POST /p failed" in e.value.msg and e.value.kind == "connection"
    assert len(sleeps) == 2  # a refused connection is safe to retry, even for a POST


@pytest.mark.parametrize("method", ["POST", "GET"])  # POST: not retried; GET: retried, timing out every try
def test_read_timeout_is_clear(httpserver, method):
    import time as _time

    def slow(request):
        _time.sleep(0.8)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/slow", method=method).respond_with_handler(slow)
    provider = TokenProvider(ims_url=httpserver.url_for(""), org_id=ORG, access_token=TOKEN)
    client = AepClient(httpserver.url_for(""), org_id=ORG, api_key="k", token_provider=provider,
                       timeout=0.3, retries=1, sleeper=Sleeps())
    with pytest.raises(AepConnectionError) as e:
        client.request(method, "/slow", json={} if method == "POST" else None)
    assert e.value.kind == "timeout"
    assert "%s /slow failed: no answer within 0.3s (auth.timeout)" % method in e.value.msg


def test_401_remints_token_once(httpserver, tmp_path):
    tokens = iter(["first-token-aaaa", "second-token-bbbb"])
    httpserver.expect_request("/ims/token/v3", method="POST").respond_with_handler(
        lambda r: Response(json.dumps({"access_token": next(tokens), "expires_in": 86399}),
                           content_type="application/json"))
    answers = iter([({"error_code": "401013", "message": "Oauth token is not valid"}, 401), ({"ok": 1}, 200)])

    def protected(request):
        body, status = next(answers)
        return Response(json.dumps(body), status=status, content_type="application/json")

    httpserver.expect_request("/p").respond_with_handler(protected)
    provider = TokenProvider(ims_url=httpserver.url_for(""), org_id=ORG, client_id="cid", client_secret=SECRET)
    client = make_client(httpserver, provider=provider)
    assert client.get("/p") == {"ok": 1}
    sent = [req.headers.get("Authorization") for req, dummy in httpserver.log if req.path == "/p"]
    assert sent == ["Bearer first-token-aaaa", "Bearer second-token-bbbb"]
    assert provider.minted == 2


def test_401_twice_fails_cleanly(httpserver):
    httpserver.expect_request("/ims/token/v3", method="POST").respond_with_json({"access_token": "t-1", "expires_in": 100})
    httpserver.expect_request("/p").respond_with_json({"error_code": "401013", "message": "Oauth token is not valid"}, status=401)
    provider = TokenProvider(ims_url=httpserver.url_for(""), org_id=ORG, client_id="cid", client_secret=SECRET)
    with pytest.raises(AepApiError) as e:
        make_client(httpserver, provider=provider).get("/p")
    assert e.value.status == 401
    assert len([1 for req, dummy in httpserver.log if req.path == "/p"]) == 2


def test_paging_over_three_pages(httpserver):
    pages = {
        "0": {"data": [{"id": "a"}, {"id": "b"}], "hasNextPage": True},
        "2": {"data": [{"id": "c"}, {"id": "d"}], "hasNextPage": True},
        "4": {"data": [{"id": "e"}], "hasNextPage": False},
    }
    httpserver.expect_request("/list").respond_with_handler(
        lambda r: Response(json.dumps(pages[r.args["start"]]), content_type="application/json"))
    client = make_client(httpserver)
    items = client.paginate("/list", query={"property": ["status==DRAFT", "packageType==PARTIAL"]}, limit=2)
    assert [i["id"] for i in items] == ["a", "b", "c", "d", "e"]
    assert [r.args["start"] for r, dummy in httpserver.log] == ["0", "2", "4"]
    assert httpserver.log[0][0].args.getlist("property") == ["status==DRAFT", "packageType==PARTIAL"]


def test_paging_guard_against_server_ignoring_start(httpserver):
    httpserver.expect_request("/list").respond_with_json({"data": [{"id": "a"}, {"id": "b"}], "hasNextPage": True})
    client = make_client(httpserver)
    items = client.paginate("/list", limit=2)
    assert [i["id"] for i in items] == ["a", "b"]
    assert len(httpserver.log) == 2
    assert "ignores paging" in client.warnings[0]


def test_no_secret_in_any_error(httpserver):
    # IMS refuses, echoing what it got (worst case): the secret must not reach the message.
    httpserver.expect_request("/ims/token/v3", method="POST").respond_with_handler(
        lambda r: Response(json.dumps({"error": "invalid_client", "error_description": "bad secret " + r.form["client_secret"]}),
                           status=401, content_type="application/json"))
    provider = TokenProvider(ims_url=httpserver.url_for(""), org_id=ORG, client_id="cid", client_secret=SECRET)
    client = make_client(httpserver, provider=provider)
    from ansible_collections.aep.platform.plugins.module_utils.errors import AepError
    with pytest.raises(AepError) as e:
        client.get("/p")
    text = e.value.msg + json.dumps(e.value.to_fail_kwargs(), default=str)
    assert "POST /ims/token/v3 failed: HTTP 401, error code invalid_client" in text
    assert SECRET not in text


def test_api_error_text_scrubbed_of_token(httpserver):
    httpserver.expect_request("/p").respond_with_data("token %s is not allowed here" % TOKEN, status=403)
    client = make_client(httpserver)
    with pytest.raises(AepApiError) as e:
        client.get("/p")
    assert TOKEN not in e.value.msg and TOKEN not in json.dumps(e.value.to_fail_kwargs(), default=str)
    assert "********" in e.value.msg


@pytest.mark.parametrize("kind,maybe_sent", [("timeout", True), ("connection", True), ("tls", False)])
def test_which_connection_errors_may_have_reached_the_server(kind, maybe_sent):
    assert AepConnectionError("POST", "/p", "x", kind=kind).maybe_sent is maybe_sent
