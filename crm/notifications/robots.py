"""Group robots of 企业微信 (WeCom), 钉钉 (DingTalk) and 飞书 (Feishu): the message in each
platform's format, its signature where the platform signs, and the HTTP post.

- WeCom: the webhook key in the URL is the secret; markdown, or text to @-mention by mobile.
- DingTalk: with "加签" the URL carries `timestamp` (ms) and `sign` = base64(HMAC-SHA256 with
  the secret as key over "timestamp\\nsecret"); @-mentions by mobile in `at.atMobiles`.
- Feishu: with "签名校验" the body carries `timestamp` (s) and `sign` = base64(HMAC-SHA256 with
  "timestamp\\nsecret" as key over an empty message); a markdown card.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote_plus

TIMEOUT_SECONDS = 10


class RobotError(Exception):
    """The robot did not take the message; the text says why (shown in the delivery log)."""


@dataclass(frozen=True)
class Message:
    title: str
    markdown: str
    mobiles: tuple[str, ...] = ()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(key, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def wecom_request(url: str, message: Message) -> tuple[str, dict]:
    if message.mobiles:
        body = {
            "msgtype": "text",
            "text": {
                "content": f"{message.title}\n{message.markdown}",
                "mentioned_mobile_list": list(message.mobiles),
            },
        }
    else:
        body = {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    return url, body


def dingtalk_request(url: str, secret: str, message: Message, now: float) -> tuple[str, dict]:
    text = message.markdown
    if message.mobiles:
        text += "\n\n" + " ".join(f"@{mobile}" for mobile in message.mobiles)
    body = {
        "msgtype": "markdown",
        "markdown": {"title": message.title, "text": text},
        "at": {"atMobiles": list(message.mobiles), "isAtAll": False},
    }
    if secret:
        timestamp = int(now * 1000)
        separator = "&" if "?" in url else "?"
        sign = quote_plus(dingtalk_sign(secret, timestamp))
        url = f"{url}{separator}timestamp={timestamp}&sign={sign}"
    return url, body


def feishu_request(url: str, secret: str, message: Message, now: float) -> tuple[str, dict]:
    body = {
        "msg_type": "interactive",
        "card": {
            "header": {"title": {"tag": "plain_text", "content": message.title}},
            "elements": [{"tag": "markdown", "content": message.markdown}],
        },
    }
    if secret:
        timestamp = int(now)
        body.update(timestamp=str(timestamp), sign=feishu_sign(secret, timestamp))
    return url, body


def build_request(platform: str, url: str, secret: str, message: Message, now: float):
    if platform == "wecom":
        return wecom_request(url, message)
    if platform == "dingtalk":
        return dingtalk_request(url, secret, message, now)
    if platform == "feishu":
        return feishu_request(url, secret, message, now)
    raise RobotError(f"unknown platform {platform!r}")


def accepted(platform: str, answer: dict) -> bool:
    """Each platform answers 200 with its own error code; 0 is success."""
    if platform == "feishu":
        return answer.get("code", answer.get("StatusCode", -1)) == 0
    return answer.get("errcode", -1) == 0


def post(platform: str, url: str, secret: str, message: Message, now: float | None = None) -> str:
    """Send `message`; returns the platform's answer, or raises RobotError with it."""
    url, body = build_request(platform, url, secret, message, time.time() if now is None else now)
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            raw = response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RobotError(str(exc)) from exc
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise RobotError(raw[:500]) from exc
    if not accepted(platform, answer):
        raise RobotError(raw[:500])
    return raw[:500]
