"""Placeholders: which names are unknown, and the text filled in, in both languages."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from relationships.greetings import placeholders
from relationships.models import GreetingTemplate

VALUES = {
    "salutation": "王总",
    "name": "王伟",
    "company": "江南银行",
    "occasion": "中秋节",
    "rep": "李明",
    "signature": "李明 · 摧龙科技",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{称呼}您好，{节日}快乐！\n{签名}", "王总您好，中秋节快乐！\n李明 · 摧龙科技"),
        ("Dear {salutation}, happy {occasion}. {rep}", "Dear 王总, happy 中秋节. 李明"),
        ("{name}@{company}", "王伟@江南银行"),
        ("{公司}的{姓名}，{销售}", "江南银行的王伟，李明"),
        ("no placeholder", "no placeholder"),
        ("{typo} stays", "{typo} stays"),
        ("{ spaced } and {}", "{ spaced } and {}"),
    ],
)
def test_render(text, expected):
    assert placeholders.render(text, VALUES) == expected


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("{称呼} {name}", []),
        ("{nmae} {签名}", ["nmae"]),
        ("{称乎}{称乎}{x}", ["称乎", "x"]),
        ("", []),
    ],
)
def test_unknown(text, unknown):
    assert placeholders.unknown(text) == unknown


@given(st.text(alphabet=st.characters(exclude_characters="{}")))
def test_text_without_braces_is_left_as_it_is(text):
    assert placeholders.render(text, VALUES) == text
    assert placeholders.unknown(text) == []


def test_a_template_with_an_unknown_placeholder_is_refused_naming_it(db):
    template = GreetingTemplate(
        occasion="birthday", language="zh-hans", subject="生日快乐", body="{称呼}，{生日}快乐"
    )
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "{生日}" in error.value.message_dict["body"][0]
    assert "subject" not in error.value.message_dict


def test_only_a_festivals_template_names_a_festival(seeded):
    template = GreetingTemplate(
        occasion="birthday", festival=seeded, language="en", subject="Hi", body="Hi {name}"
    )
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "festival" in error.value.message_dict


def test_every_seeded_template_uses_known_placeholders_only(seeded):
    templates = list(GreetingTemplate.objects.all())
    assert len(templates) == 24
    for template in templates:
        template.full_clean()
    languages = {(t.occasion, t.language, t.personality) for t in templates if not t.festival_id}
    assert len(languages) == 20  # 2 occasions × 2 languages × (everyone + 4 personalities)


def test_the_admin_refuses_an_unknown_placeholder_naming_it(personas, seeded, client_for):
    from django.urls import reverse

    client = client_for(personas.admin)
    url = reverse("admin:relationships_greetingtemplate_add")
    data = {
        "occasion": "festival",
        "festival": seeded.pk,
        "language": "zh-hans",
        "personality": "owl",
        "subject": "{节日}快乐",
        "body": "{称呼}，{节日}快乐！{签命}",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "{签命}" in response.content.decode()
    assert not GreetingTemplate.objects.filter(personality="owl", festival=seeded).exists()
    response = client.post(url, {**data, "body": "{称呼}，{节日}快乐！{签名}"})
    assert response.status_code == 302
    assert GreetingTemplate.objects.filter(personality="owl", festival=seeded).exists()
