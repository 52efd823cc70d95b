"""A small world of records owned by the `owner` persona, for the access matrix."""

from dataclasses import dataclass


@dataclass
class World:
    personas: object


def build_world(personas) -> World:
    return World(personas=personas)
