"""Events of the accounts and relationships apps that a higher app acts on. Dependencies run
one way (DESIGN.md: opportunities → relationships → accounts), so the lower app announces a
change and the higher one, which knows what depends on it, listens."""

from django.dispatch import Signal

# Sent, with `contact_ids`, after something that places people in a buying group changed: the
# guide flag, the level, the relationship stage. opportunities rechecks their deals' exit
# checks (opportunities/pipeline/facts.py).
people_changed = Signal()


def announce_people_changed(contact_ids) -> None:
    ids = sorted({int(pk) for pk in contact_ids})
    if ids:
        people_changed.send(sender=None, contact_ids=ids)
