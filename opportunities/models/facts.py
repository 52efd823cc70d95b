from django.db import models
from django.utils.translation import gettext_lazy as _

from opportunities.models.opportunity import Opportunity
from opportunities.rules.stages import Move


class OpportunityFacts(models.Model):
    """What the pipeline dashboards know about a deal that would otherwise be derived from its
    move history and its buying group on every page view (docs/performance.md). Written only
    by opportunities.pipeline.facts.refresh() after a change of its inputs; never edited by hand. A
    table of its own, so that saving the deal from a form can never write back stale facts."""

    opportunity = models.OneToOneField(
        Opportunity,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="facts",
        verbose_name=_("opportunity"),
    )
    # Late entry (METHOD.md §9.2): the move the deal was first recorded in.
    first_move = models.PositiveSmallIntegerField(_("first move"), choices=Move, null=True)
    # Stage conversion (§9.2): the furthest move the deal ever entered.
    furthest_move = models.PositiveSmallIntegerField(_("furthest move"), choices=Move, null=True)
    # Stage inflation (§9.2): in a later move with an earlier move's exit check unmet.
    stage_inflated = models.BooleanField(_("stage inflated"), default=False)
    # Time per move (§9.2): the time spent open in each move and left again (re-entries
    # summed; None: never left it), and since when it is open in its current move.
    time_in_move_1 = models.DurationField(_("time in move 1"), null=True)
    time_in_move_2 = models.DurationField(_("time in move 2"), null=True)
    time_in_move_3 = models.DurationField(_("time in move 3"), null=True)
    time_in_move_4 = models.DurationField(_("time in move 4"), null=True)
    time_in_move_5 = models.DurationField(_("time in move 5"), null=True)
    open_since = models.DateTimeField(_("open in its move since"), null=True)

    class Meta:
        verbose_name = _("opportunity facts")
        verbose_name_plural = _("opportunity facts")

    def __str__(self):
        return str(self.opportunity_id)
