"""SMS through a provider: one interface, adapters for 阿里云短信 (Alibaba Cloud SMS) and
腾讯云短信 (Tencent Cloud SMS) on their documented HTTP APIs, and a console adapter for
development. Keys come from the environment (settings.SMS_*).

Both providers send only texts of a template their review approved: the approved template
has one variable (settings.SMS_TEMPLATE_PARAM, e.g. `content`) that the greeting's text fills.

- Aliyun, RPC API `SendSms` (version 2017-05-25): query parameters sorted, each name and
  value percent-encoded (RFC 3986: space %20, `*` %2A, `~` kept); the string to sign is
  "GET&%2F&" + the encoded query, and `Signature` = base64(HMAC-SHA1 with the key
  "AccessKeySecret&"). Success is `Code` "OK".
- Tencent, API 3.0 `SendSms` (version 2021-01-11), signature TC3-HMAC-SHA256: a canonical
  request of the POST's content-type and host headers and the body's SHA-256; the key
  derived HMAC("TC3" + SecretKey, date) → "sms" → "tc3_request"; success is each
  `SendStatusSet` entry's `Code` "Ok".
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings

TIMEOUT_SECONDS = 10
logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider did not take the message; the text says why (kept on the greeting)."""


def _encode(value: str) -> str:
    return quote(str(value), safe="~")


def aliyun_signature(params: dict, secret: str, method: str = "GET") -> str:
    query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()))
    text = f"{method}&{_encode('/')}&{_encode(query)}"
    digest = hmac.new(f"{secret}&".encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tencent_authorization(
    *, secret_id: str, secret_key: str, host: str, payload: bytes, timestamp: int
) -> str:
    content_type = "application/json; charset=utf-8"
    canonical = "\n".join(
        ["POST", "/", "", f"content-type:{content_type}\nhost:{host}\n", "content-type;host"]
        + [_sha256(payload)]
    )
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{day}/sms/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{_sha256(canonical.encode())}"
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), day), "sms"), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


def _read(request) -> dict:
    """The provider's JSON answer, also on an HTTP error status (the providers explain their
    errors in the body)."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            answer = json.loads(exc.read() or b"{}")
        except ValueError:
            raise SmsError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SmsError(str(exc)) from exc
    if not isinstance(answer, dict):
        raise SmsError(f"?: {str(answer)[:200]}")
    return answer


class ConsoleProvider:
    name = "console"

    def send(self, mobile: str, text: str) -> str:
        logger.info("SMS to %s: %s", mobile, text)
        print(f"SMS to {mobile}:\n{text}")  # noqa: T201  (the development channel)
        return "console"


class AliyunProvider:
    name = "aliyun"

    def __init__(self, *, key_id, secret, sign_name, template_code, param, endpoint):
        self.key_id, self.secret, self.sign_name = key_id, secret, sign_name
        self.template_code, self.param, self.endpoint = template_code, param, endpoint

    def params(self, mobile: str, text: str, *, now: datetime, nonce: str) -> dict:
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": mobile,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({self.param: text}, ensure_ascii=False),
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = aliyun_signature(params, self.secret)
        return params

    def send(self, mobile: str, text: str) -> str:
        params = self.params(mobile, text, now=datetime.now(UTC), nonce=uuid.uuid4().hex)
        answer = _read(urllib.request.Request(f"{self.endpoint}/?{urlencode(params)}"))
        if answer.get("Code") != "OK":
            raise SmsError(f"{answer.get('Code', '?')}: {answer.get('Message', '')}")
        return f"BizId {answer.get('BizId', '')}"


class TencentProvider:
    name = "tencent"

    def __init__(self, *, key_id, secret, sign_name, template_code, app_id, endpoint, region):
        self.key_id, self.secret, self.sign_name = key_id, secret, sign_name
        self.template_code, self.app_id = template_code, app_id
        self.endpoint, self.region = endpoint, region

    def request(self, mobile: str, text: str, *, timestamp: int) -> urllib.request.Request:
        number = mobile if mobile.startswith("+") else f"+86{mobile}"
        payload = json.dumps(
            {
                "PhoneNumberSet": [number],
                "SmsSdkAppId": self.app_id,
                "SignName": self.sign_name,
                "TemplateId": self.template_code,
                "TemplateParamSet": [text],
            },
            ensure_ascii=False,
        ).encode()
        host = urlsplit(self.endpoint).netloc
        headers = {
            "Authorization": tencent_authorization(
                secret_id=self.key_id,
                secret_key=self.secret,
                host=host,
                payload=payload,
                timestamp=timestamp,
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": self.region,
        }
        return urllib.request.Request(f"{self.endpoint}/", data=payload, headers=headers)

    def send(self, mobile: str, text: str) -> str:
        answer = _read(self.request(mobile, text, timestamp=int(time.time()))).get("Response", {})
        if "Error" in answer:
            error = answer["Error"]
            raise SmsError(f"{error.get('Code', '?')}: {error.get('Message', '')}")
        statuses = answer.get("SendStatusSet") or [{}]
        if statuses[0].get("Code") != "Ok":
            raise SmsError(f"{statuses[0].get('Code', '?')}: {statuses[0].get('Message', '')}")
        return f"SerialNo {statuses[0].get('SerialNo', '')}"


def provider():
    """The configured provider (settings.SMS_PROVIDER: console, aliyun or tencent)."""
    common = {
        "key_id": settings.SMS_ACCESS_KEY_ID,
        "secret": settings.SMS_ACCESS_KEY_SECRET,
        "sign_name": settings.SMS_SIGN_NAME,
        "template_code": settings.SMS_TEMPLATE_CODE,
    }
    if settings.SMS_PROVIDER == "aliyun":
        endpoint = settings.SMS_ENDPOINT or "https://dysmsapi.aliyuncs.com"
        return AliyunProvider(**common, param=settings.SMS_TEMPLATE_PARAM, endpoint=endpoint)
    if settings.SMS_PROVIDER == "tencent":
        endpoint = settings.SMS_ENDPOINT or "https://sms.tencentcloudapi.com"
        return TencentProvider(
            **common, app_id=settings.SMS_APP_ID, endpoint=endpoint, region=settings.SMS_REGION
        )
    return ConsoleProvider()
