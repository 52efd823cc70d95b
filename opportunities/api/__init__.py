"""The opportunities app in the API: deals (deals.py) and the records of moves 3–6 (moves.py)."""


def routes(router):
    from opportunities.api import deals, moves

    deals.routes(router)
    moves.routes(router)
