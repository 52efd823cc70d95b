"""Group robots against a local HTTP endpoint: each platform's payload and signature, retries
with back-off, a failing robot never blocking the others, nothing sent twice."""

import base64
import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from crm import tasks
from crm.models import Membership
from crm.notifications import robots, rules
from crm.notifications.models import Delivery, Notification, NotificationPreference, RobotChannel
from tests.crm.notifications.conftest import TODAY
from tests.crm.notifications.http_sink import start_sink
from tests.factories import AccountFactory
from tests.relationships.factories import TodoFactory

SECRET = "SEC0123456789abcdef"
MESSAGE = robots.Message(title="提醒", markdown="### 提醒\n- **回电**", mobiles=("13800000000",))


@pytest.fixture
def sink():
    sink, server = start_sink()
    yield sink
    server.shutdown()


def team_of(user):
    return Membership.objects.get(user=user).team


def robot(personas, sink, platform, path, secret="", **extra):
    return RobotChannel.objects.create(
        team=team_of(personas.owner),
        platform=platform,
        name=f"{platform} group",
        webhook_url=f"{sink.url}{path}",
        secret=secret,
        language="zh-hans",
        **extra,
    )


def test_dingtalk_signs_the_url_as_documented():
    url, body = robots.build_request(
        "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t", SECRET, MESSAGE, 1.5e9
    )
    query = parse_qs(urlsplit(url).query)
    assert query["timestamp"] == ["1500000000000"]
    expected = hmac.new(
        SECRET.encode(), f"1500000000000\n{SECRET}".encode(), hashlib.sha256
    ).digest()
    assert query["sign"] == [base64.b64encode(expected).decode()]
    assert body["msgtype"] == "markdown"
    assert body["at"] == {"atMobiles": ["13800000000"], "isAtAll": False}
    assert "@13800000000" in body["markdown"]["text"]


def test_feishu_signs_the_body_as_documented():
    _url, body = robots.build_request(
        "feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/x", "s3cret", MESSAGE, 1.5e9
    )
    expected = hmac.new(b"1500000000\ns3cret", b"", hashlib.sha256).digest()
    assert body["timestamp"] == "1500000000"
    assert body["sign"] == base64.b64encode(expected).decode()
    assert body["msg_type"] == "interactive"
    assert body["card"]["elements"][0] == {"tag": "markdown", "content": MESSAGE.markdown}


def test_wecom_sends_markdown_or_text_to_mention():
    _url, plain = robots.build_request(
        "wecom", "https://qyapi.weixin.qq.com/x", "", robots.Message("t", "**m**"), 0
    )
    assert plain == {"msgtype": "markdown", "markdown": {"content": "**m**"}}
    _url, mention = robots.build_request("wecom", "https://qyapi.weixin.qq.com/x", "", MESSAGE, 0)
    assert mention["text"]["mentioned_mobile_list"] == ["13800000000"]


@override_settings(ROBOT_EXTRA_HOSTS=["127.0.0.1"])
def test_a_failing_robot_never_blocks_the_others(personas, sink):
    sink.answers["/dingtalk"] = (200, {"errcode": 310000, "errmsg": "sign not match"})
    sink.answers["/feishu"] = (200, {"code": 0, "msg": "success"})
    robot(personas, sink, "wecom", "/wecom")
    robot(personas, sink, "dingtalk", "/dingtalk?access_token=t", secret="SECwrong")
    robot(personas, sink, "feishu", "/feishu", secret="s3cret")
    TodoFactory(account=AccountFactory(owner=personas.owner), owner=personas.owner, due_date=TODAY)

    tasks.scan_reminders.delay()

    by_robot = {d.robot.platform: d for d in Delivery.objects.select_related("robot")}
    assert by_robot["wecom"].status == by_robot["feishu"].status == "sent"
    failed = by_robot["dingtalk"]
    assert failed.status == "failed"
    assert failed.attempts == rules.MAX_ATTEMPTS  # retried with back-off, then left failed
    assert "sign not match" in failed.result
    assert Notification.objects.filter(user=personas.owner).count() == 1  # still in the inbox
    ding_calls = [r for r in sink.requests if r["path"].startswith("/dingtalk")]
    assert len(ding_calls) == rules.MAX_ATTEMPTS

    tasks.scan_reminders.delay()  # the schedule fires again: nothing is sent twice
    assert len([r for r in sink.requests if r["path"] == "/wecom"]) == 1
    assert Delivery.objects.count() == 3


@override_settings(ROBOT_EXTRA_HOSTS=["127.0.0.1"])
def test_an_unreachable_robot_is_logged(personas, sink):
    wecom = robot(personas, sink, "wecom", "/wecom")
    RobotChannel.objects.filter(pk=wecom.pk).update(webhook_url="http://127.0.0.1:9/closed")
    robot(personas, sink, "feishu", "/feishu")
    sink.answers["/feishu"] = (200, {"code": 0, "msg": "success"})
    TodoFactory(account=AccountFactory(owner=personas.owner), owner=personas.owner, due_date=TODAY)
    tasks.scan_reminders.delay()
    statuses = dict(Delivery.objects.values_list("robot__platform", "status"))
    assert statuses == {"wecom": "failed", "feishu": "sent"}
    assert "Connection refused" in Delivery.objects.get(robot__platform="wecom").result


@override_settings(ROBOT_EXTRA_HOSTS=["127.0.0.1"])
def test_the_message_is_in_the_robots_language_and_mentions_by_mobile(personas, sink):
    robot(personas, sink, "dingtalk", "/d?access_token=t", secret=SECRET, mention_by_mobile=True)
    NotificationPreference.objects.create(user=personas.owner, mobile="13800000000")
    TodoFactory(
        account=AccountFactory(owner=personas.owner),
        owner=personas.owner,
        title="回电",
        due_date=TODAY - dt.timedelta(days=1),
    )
    tasks.scan_reminders.delay()
    (request,) = sink.requests
    text = request["body"]["markdown"]["text"]
    assert "回电" in text and "已逾期 1 天" in text and "@13800000000" in text
    assert request["body"]["at"]["atMobiles"] == ["13800000000"]


@override_settings(ROBOT_EXTRA_HOSTS=["127.0.0.1"])
def test_quiet_hours_and_choices_hold_robots_back(personas, sink):
    robot(personas, sink, "wecom", "/wecom")
    NotificationPreference.objects.create(
        user=personas.owner, quiet_from=dt.time(8, 0), quiet_until=dt.time(12, 0)
    )
    TodoFactory(account=AccountFactory(owner=personas.owner), owner=personas.owner, due_date=TODAY)
    tasks.scan_reminders.delay()
    assert sink.requests == [] and not Delivery.objects.exists()
    NotificationPreference.objects.filter(user=personas.owner).update(
        quiet_from=None, quiet_until=None, kinds=["care"]
    )
    tasks.scan_reminders.delay()
    assert sink.requests == []
    NotificationPreference.objects.filter(user=personas.owner).update(kinds=[])
    tasks.scan_reminders.delay()
    assert len(sink.requests) == 1


@pytest.mark.parametrize(
    ("platform", "url", "secret", "field", "message"),
    [
        ("wecom", "https://example.com/hook", "", "webhook_url", "not a webhook address"),
        ("dingtalk", "https://oapi.dingtalk.com/robot/send", "", "webhook_url", "access_token"),
        (
            "dingtalk",
            "https://oapi.dingtalk.com/robot/send?access_token=t",
            "abc",
            "secret",
            "starts with SEC",
        ),
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "x", "secret", "sign"),
    ],
)
def test_the_robot_form_explains_bad_input(
    personas, client_for, platform, url, secret, field, message
):
    client = client_for(personas.manager)
    data = {
        "team": team_of(personas.owner).pk,
        "platform": platform,
        "name": "群",
        "webhook_url": url,
        "secret": secret,
        "language": "en",
    }
    response = client.post(reverse("crm:robot_add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert message in " ".join(response.context["form"].errors[field])
    assert not RobotChannel.objects.exists()


def test_a_manager_cannot_attach_a_robot_to_another_team(personas, client_for):
    data = {
        "team": team_of(personas.outsider).pk,
        "platform": "feishu",
        "name": "群",
        "webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/x",
        "language": "en",
    }
    response = client_for(personas.manager).post(reverse("crm:robot_add"), data)
    assert "team" in response.context["form"].errors
    data["team"] = team_of(personas.owner).pk
    assert client_for(personas.manager).post(reverse("crm:robot_add"), data).status_code == 302
    assert RobotChannel.objects.get().team == team_of(personas.owner)


@pytest.mark.parametrize("size", [1, 5])
def test_the_robots_page_costs_the_same_at_any_size(
    personas, client_for, django_assert_num_queries, size
):
    team = team_of(personas.owner)
    for i in range(size):
        RobotChannel.objects.create(
            team=team,
            platform="wecom",
            name=f"群 {i}",
            webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            language="zh-hans",
        )
    client = client_for(personas.manager)
    # session, user; "is a manager?"; the robots with their teams; the deliveries log.
    with django_assert_num_queries(5):
        response = client.get(reverse("crm:robots"))
    assert len(response.context["robots"]) == size


@override_settings(ROBOT_EXTRA_HOSTS=["127.0.0.1"])
def test_a_test_message_shows_a_wrong_secret_at_once(personas, sink, client_for):
    sink.answers["/feishu"] = (
        200,
        {
            "code": 19021,
            "msg": "sign match fail or timestamp is not within one hour from current time",
        },
    )
    feishu = robot(personas, sink, "feishu", "/feishu", secret="wrong")
    client = client_for(personas.manager)
    response = client.post(
        reverse("crm:robot_test", args=[feishu.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The robot refused the message" in response.content.decode()
    assert "sign match fail" in response.content.decode()
    sink.answers["/feishu"] = (200, {"code": 0, "msg": "success"})
    response = client.post(
        reverse("crm:robot_test", args=[feishu.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The robot took the message" in response.content.decode()
    assert sink.requests[-1]["body"]["sign"]
