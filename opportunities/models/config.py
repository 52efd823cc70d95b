"""Settings an admin edits: stage probabilities and qualification weights and thresholds
(DESIGN.md: "data an admin can edit, seeded with the defaults from METHOD.md")."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opportunities.rules import qualification, stages


class MoveSetting(models.Model):
    """The default win probability of each move (METHOD.md §9.2, illustrative [I])."""

    move = models.PositiveSmallIntegerField(_("move"), choices=stages.Move, unique=True)
    probability = models.PositiveSmallIntegerField(
        _("default probability (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Used for the weighted amount of open deals in this move."),
    )
    # The pipeline: an open deal longer than this in the move is "stalled".
    stall_days = models.PositiveSmallIntegerField(
        _("stalled after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("An open deal in this move longer than this is stalled; empty: never."),
    )

    class Meta:
        verbose_name = _("move setting")
        verbose_name_plural = _("move settings")
        ordering = ["move"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="move_setting_probability_range",
            ),
            models.CheckConstraint(
                condition=Q(move__gte=1, move__lte=6), name="move_setting_move_valid"
            ),
        ]

    def __str__(self):
        return f"{self.move}: {self.probability}%"

    @classmethod
    def probabilities(cls) -> dict[int, int]:
        """{move: probability}, the stored rows over the defaults of stages.MOVES (one query)."""
        values = {move: d.default_probability for move, d in stages.MOVES.items()}
        values.update(cls.objects.values_list("move", "probability"))
        return values


def _percent(label, default, help_text=""):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


class QualificationSetting(models.Model):
    """Weights and thresholds of the five-criteria qualification (one row)."""

    weight_budget = _percent(_("weight: budget"), 25)
    weight_timeline = _percent(_("weight: purchase timeline"), 20)
    weight_fit = _percent(_("weight: fit with our strengths"), 20)
    weight_worth = _percent(_("weight: worth it"), 20)
    weight_win = _percent(_("weight: probability of winning"), 15)
    qualified_score = _percent(
        _("score to qualify"), 65, _("Overall score needed for “clear, imminent and valuable”.")
    )
    criterion_floor = _percent(
        _("lowest criterion score to qualify"), 40, _("No criterion may score below this.")
    )
    not_worth_score = _percent(
        _("not worth it below"), 35, _("Overall scores below this are not worth pursuing.")
    )
    imminent_days = models.PositiveIntegerField(
        _("imminent within (days)"),
        default=90,
        help_text=_("A decision this close scores full marks on the timeline."),
    )
    distant_days = models.PositiveIntegerField(
        _("too far after (days)"),
        default=365,
        help_text=_("A decision this far away or further scores zero on the timeline."),
    )
    good_margin_percent = _percent(
        _("good net margin (%)"), 30, _("Net margin after the cost of sale that scores full marks.")
    )
    gap_points = _percent(
        _("flag a win-estimate gap of (points)"),
        25,
        _("Flag when the rep's win estimate and the evidence differ by this much."),
    )

    class Meta:
        verbose_name = _("qualification setting")
        verbose_name_plural = _("qualification settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="qualification_setting_single_row"),
        ]

    def __str__(self):
        return str(_("qualification setting"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self):
        weights = [
            self.weight_budget,
            self.weight_timeline,
            self.weight_fit,
            self.weight_worth,
            self.weight_win,
        ]
        if sum(w or 0 for w in weights) == 0:
            raise ValidationError(_("At least one weight must be above zero."))
        if (self.distant_days or 0) <= (self.imminent_days or 0):
            raise ValidationError({"distant_days": _("Must be more days than “imminent within”.")})
        if (self.not_worth_score or 0) > (self.qualified_score or 0):
            raise ValidationError({"not_worth_score": _("Must not be above the score to qualify.")})

    def as_rules(self) -> qualification.Rules:
        return qualification.Rules(
            **{f.name: getattr(self, f.name) for f in self._meta.fields if f.name != "id"}
        )

    @classmethod
    def rules(cls) -> qualification.Rules:
        """The stored rules, or the defaults when no row exists yet (one query)."""
        row = cls.objects.filter(pk=1).first()
        return row.as_rules() if row else qualification.Rules()
