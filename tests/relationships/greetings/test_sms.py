"""The SMS adapters against a local HTTP endpoint that checks each request as the provider
documents it (parameters and signature, recomputed here step by step) — never the real
services."""

import base64
import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.test import override_settings

from relationships.greetings import sms

SECRET = "test-secret"


class Endpoint:
    def __init__(self, answer):
        self.answer, self.requests = answer, []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length", 0) or 0)
                endpoint.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": self.headers,  # case-insensitive, as HTTP
                        "body": self.rfile.read(length),
                    }
                )
                status, body = endpoint.answer
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    started = []

    def start(answer=(200, {})):
        started.append(Endpoint(answer))
        return started[-1]

    yield start
    for one in started:
        one.stop()


def configured(provider, url, **extra):
    return override_settings(
        SMS_PROVIDER=provider,
        SMS_ACCESS_KEY_ID="test-id",
        SMS_ACCESS_KEY_SECRET=SECRET,
        SMS_SIGN_NAME="摧龙科技",
        SMS_TEMPLATE_CODE="SMS_123",
        SMS_TEMPLATE_PARAM="content",
        SMS_APP_ID="1400000000",
        SMS_REGION="ap-guangzhou",
        SMS_ENDPOINT=url,
        **extra,
    )


def aliyun_expected_signature(params: dict) -> str:
    """Aliyun's RPC signature, step by step as its documentation writes it."""

    def encode(text):
        return quote(text, safe="~")

    canonical = "&".join(encode(k) + "=" + encode(params[k]) for k in sorted(params))
    string_to_sign = "GET" + "&" + encode("/") + "&" + encode(canonical)
    key = (SECRET + "&").encode()
    return base64.b64encode(hmac.new(key, string_to_sign.encode(), hashlib.sha1).digest()).decode()


def test_aliyun_sends_a_signed_sendsms_request(endpoint):
    server = endpoint((200, {"Code": "OK", "Message": "OK", "BizId": "900", "RequestId": "r"}))
    with configured("aliyun", server.url):
        result = sms.provider().send("13800000001", "王总您好，中秋快乐！")
    assert result == "BizId 900"
    (request,) = server.requests
    assert request["method"] == "GET"
    params = dict(parse_qsl(urlsplit(request["path"]).query, keep_blank_values=True))
    signature = params.pop("Signature")
    assert signature == aliyun_expected_signature(params)
    assert params["Action"] == "SendSms" and params["Version"] == "2017-05-25"
    assert params["PhoneNumbers"] == "13800000001"
    assert params["SignName"] == "摧龙科技" and params["TemplateCode"] == "SMS_123"
    assert json.loads(params["TemplateParam"]) == {"content": "王总您好，中秋快乐！"}
    assert params["SignatureMethod"] == "HMAC-SHA1" and params["SignatureVersion"] == "1.0"
    assert params["AccessKeyId"] == "test-id"
    datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    assert params["SignatureNonce"]


def test_aliyun_signature_encodes_as_documented():
    """Space as %20, `*` as %2A, `~` kept: the documented differences from form encoding."""
    params = {"A": "a b*c~", "B": "中"}
    assert sms.aliyun_signature(params, SECRET) == aliyun_expected_signature(params)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ((200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}), "非法手机号"),
        ((400, {"Code": "SignatureDoesNotMatch", "Message": "bad sign"}), "SignatureDoesNotMatch"),
        ((500, "oops"), "?"),
    ],
)
def test_aliyun_errors_carry_the_providers_message(endpoint, answer, message):
    server = endpoint(answer)
    with configured("aliyun", server.url), pytest.raises(sms.SmsError) as error:
        sms.provider().send("13800000001", "hi")
    assert message in str(error.value)


def tc3_expected(headers: dict, body: bytes) -> str:
    """Tencent's TC3-HMAC-SHA256 signature from the request as received."""
    timestamp = int(headers["X-TC-Timestamp"])
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical_headers = f"content-type:{headers['Content-Type']}\nhost:{headers['Host']}\n"
    canonical_request = "\n".join(
        ["POST", "/", "", canonical_headers, "content-type;host", hashlib.sha256(body).hexdigest()]
    )
    scope = f"{day}/sms/tc3_request"
    string_to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(timestamp),
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )

    def sign(key, text):
        return hmac.new(key, text.encode(), hashlib.sha256).digest()

    key = sign(sign(sign(("TC3" + SECRET).encode(), day), "sms"), "tc3_request")
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential=test-id/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


def test_tencent_sends_a_signed_sendsms_request(endpoint):
    ok = {"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": "2640:1"}], "RequestId": "r"}}
    server = endpoint((200, ok))
    with configured("tencent", server.url):
        result = sms.provider().send("13800000001", "王总您好，中秋快乐！")
    assert result == "SerialNo 2640:1"
    (request,) = server.requests
    headers = request["headers"]
    assert request["method"] == "POST" and request["path"] == "/"
    assert headers["Authorization"] == tc3_expected(headers, request["body"])
    assert headers["X-TC-Action"] == "SendSms" and headers["X-TC-Version"] == "2021-01-11"
    assert headers["X-TC-Region"] == "ap-guangzhou"
    assert json.loads(request["body"]) == {
        "PhoneNumberSet": ["+8613800000001"],
        "SmsSdkAppId": "1400000000",
        "SignName": "摧龙科技",
        "TemplateId": "SMS_123",
        "TemplateParamSet": ["王总您好，中秋快乐！"],
    }


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "x"}}}, "Auth"),
        (
            {"Response": {"SendStatusSet": [{"Code": "LimitExceeded.PhoneNumberDailyLimit"}]}},
            "Limit",
        ),
    ],
)
def test_tencent_errors_carry_the_providers_message(endpoint, answer, message):
    server = endpoint((200, answer))
    with configured("tencent", server.url), pytest.raises(sms.SmsError) as error:
        sms.provider().send("13800000001", "hi")
    assert message in str(error.value)


def test_an_unreachable_provider_is_an_sms_error():
    with configured("aliyun", "http://127.0.0.1:9"), pytest.raises(sms.SmsError):
        sms.provider().send("13800000001", "hi")


def test_the_console_provider_is_the_default(capsys):
    with override_settings(SMS_PROVIDER="console"):
        assert sms.provider().send("13800000001", "中秋快乐") == "console"
    assert "中秋快乐" in capsys.readouterr().out
