from tests.relationships.conftest import types, world  # noqa: F401 (the fixtures, shared)
