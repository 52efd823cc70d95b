"""Settings an admin edits (DESIGN.md: "data an admin can edit, seeded with the defaults from
METHOD.md"): each move's stage probability and stalled limit (MoveProbabilitySetting, a row per
move), the qualification's weights and thresholds, the need categories and concern signal
phrases of moves 3–6, the thresholds of the move-2 gate, of negotiation and of collection
(MoveThresholdSetting, one row), and the pipeline's colour thresholds (PipelineSetting)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opportunities.rules import qualification, stages
from opportunities.rules.stages import Move


class MoveProbabilitySetting(models.Model):
    """Each move's stage probability (阶段概率, METHOD.md §9.2, illustrative [I]) and the days
    after which an open deal in it is stalled: one row per move."""

    move = models.PositiveSmallIntegerField(_("move"), choices=stages.Move, unique=True)
    probability = models.PositiveSmallIntegerField(
        _("stage probability (%)"),
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
        verbose_name = _("stage probability of a move")
        verbose_name_plural = _("stage probabilities and stalled limits")
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
    weight_win = _percent(_("weight: win probability estimate"), 15)
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


def _bilingual(english: str, chinese: str) -> str:
    if (get_language() or "").lower().startswith("zh") and chinese:
        return chinese
    return english or chinese


class NeedCategory(models.Model):
    """A kind of need a comprehensive needs analysis covers (METHOD.md §5.1 不全面): the book's
    example asks about screen size only, not brand, price, features or standard."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    required = models.BooleanField(
        _("required for a comprehensive analysis"),
        default=True,
        help_text=_("The three-errors check wants at least one need in every required category."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _bilingual(self.name_en, self.name_zh)


class ConcernSignal(models.Model):
    """A phrase in visit notes that signals a concern (顾虑, METHOD.md §7.1): "let's wait a
    little", "we're still studying it", being passed on to a leader or an expert."""

    phrase = models.CharField(_("phrase"), max_length=100, unique=True)
    risk_type = models.CharField(
        _("suggested risk type"),
        max_length=12,
        blank=True,
        help_text=_("Pre-filled on the concern suggested by this phrase; empty = other."),
    )
    meaning = models.CharField(_("what it usually means"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("concern signal")
        verbose_name_plural = _("concern signals")
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase


class MoveThresholdSetting(models.Model):
    """Thresholds of the moves (one row): the move-2 gate (METHOD.md §2.3, §9.2 [I]), the
    discount approval of move 5, the concern detector and the collection reminder."""

    trust_stage = models.PositiveSmallIntegerField(
        _("move 2 gate: relationship stage to reach"),
        choices=[(2, "约会"), (3, "信赖"), (4, "同盟")],
        default=stages.STAGE_TRUST,
        help_text=_("The key people, the guides and the decision-level people must reach it."),
    )
    trust_guides = models.PositiveSmallIntegerField(
        _("move 2 gate: guides at that stage"),
        default=1,
        validators=[MaxValueValidator(10)],
    )
    trust_decision_level = models.PositiveSmallIntegerField(
        _("move 2 gate: decision-level people at that stage"),
        default=1,
        validators=[MaxValueValidator(10)],
    )
    trust_unsupported_counts = models.BooleanField(
        _("move 2 gate: count unsupported stages"),
        default=False,
        help_text=_(
            "Off: a stage counts only when a completed activity of that stage supports it "
            "(or a manager overrides)."
        ),
    )

    discount_approval_percent = models.DecimalField(
        _("discount that needs approval (%)"),
        max_digits=5,
        decimal_places=2,
        default=15,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A negotiated discount above this needs a manager's approval."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind before the due date (days)"),
        default=7,
        validators=[MaxValueValidator(365)],
        help_text=_("Payment milestones due within this many days are flagged for a reminder."),
    )
    detector_days = models.PositiveSmallIntegerField(
        _("concern detector looks back (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )

    class Meta:
        verbose_name = _("move thresholds")
        verbose_name_plural = _("move thresholds")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="moves_setting_single_row"),
            models.CheckConstraint(
                condition=Q(trust_stage__gte=2, trust_stage__lte=4),
                name="moves_setting_trust_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(discount_approval_percent__gte=0, discount_approval_percent__lte=100),
                name="moves_setting_discount_range",
            ),
        ]

    def __str__(self):
        return str(_("move thresholds"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "MoveThresholdSetting":
        """The stored row, or the defaults when none exists yet (one query)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def trust_rule(self) -> stages.TrustRule:
        return stages.TrustRule(
            stage=self.trust_stage,
            guides=self.trust_guides,
            decision_level=self.trust_decision_level,
            unsupported_counts=self.trust_unsupported_counts,
        )


def _percent(label, default, help_text):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=help_text,
    )


class PipelineSetting(models.Model):
    """One row: the thresholds of the attainment colours and of a late entry."""

    green_percent = _percent(
        _("green (target met) from (%)"), 100, _("Attainment at or above this is green.")
    )
    yellow_percent = _percent(
        _("yellow (close) from (%)"), 80, _("Attainment at or above this is yellow.")
    )
    red_percent = _percent(
        _("red (poor) from (%)"),
        50,
        _("Attainment at or above this is red; below it, black (under half of target)."),
    )
    late_entry_move = models.PositiveSmallIntegerField(
        _("late entry from move"),
        choices=Move,
        default=Move.VALUE,
        help_text=_(
            "A deal first recorded in this move or later entered in the competition period "
            "(评估比较): the chance to shape the purchase criteria had gone."
        ),
    )

    class Meta:
        verbose_name = _("pipeline setting")
        verbose_name_plural = _("pipeline settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="pipeline_setting_single_row"),
            models.CheckConstraint(
                condition=Q(green_percent__gte=F("yellow_percent"))
                & Q(yellow_percent__gte=F("red_percent")),
                name="pipeline_setting_colours_ordered",
            ),
            models.CheckConstraint(
                condition=Q(late_entry_move__gte=2, late_entry_move__lte=6),
                name="pipeline_setting_late_entry_move",
            ),
        ]

    def __str__(self):
        return str(_("pipeline setting"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self):
        green, yellow, red = self.green_percent or 0, self.yellow_percent or 0, self.red_percent
        if not (green >= yellow >= (red or 0)):
            raise ValidationError(_("The thresholds must go down: green ≥ yellow ≥ red."))

    @classmethod
    def current(cls) -> "PipelineSetting":
        """The stored row, or the defaults when none exists yet (one query)."""
        return cls.objects.filter(pk=1).first() or cls()
