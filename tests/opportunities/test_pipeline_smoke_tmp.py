import pytest
from opportunities import pipeline
from tests.opportunities.test_views_queries import make_deals

@pytest.mark.django_db
def test_smoke(personas):
    make_deals(personas.owner, 6)
    s = pipeline.scope_for(personas.manager)
    print(pipeline.funnel(s))
    print(pipeline.forecast(s))
    print(pipeline.rep_table(s))
    print(pipeline.move_flow(s))
    print(list(pipeline.stalled(s)))
    print(list(pipeline.inflated(s)))
    print(pipeline.late_summary(s, 4), list(pipeline.late_list(s, 4)))
    print(pipeline.lost_analysis(s))
    print(pipeline.score_distribution(s))
