import pytest
from django.utils import translation

from tests.relationships.conftest import types, world  # noqa: F401 (the fixtures, shared)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield
