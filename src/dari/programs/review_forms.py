"""Forms of the review: a rubric (criteria as rows, each scale one point a line), a review's scores
and comments, recusal, and the assignment forms. They collect input; ``reviews`` validates and
writes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dari.core.bilingual import name_order
from dari.core.forms import CleanTextMixin, VersionedForm
from dari.registry.forms import SectorChoiceField
from dari.registry.models import Sector

from .forms import localized_label
from .models import Review
from .rubric import score_field


class ReviewSetupForm(CleanTextMixin, forms.Form):
    reviews_shared = forms.BooleanField(
        label=_("Reviewers see the others' reviews once they have submitted their own"), required=False
    )
    blind_review = forms.BooleanField(
        label=_("Blind review: reviewers do not see the applicants' names nor the identifying answers"),
        required=False,
    )


def scale_text(scale: list[dict]) -> str:
    return "\n".join(f"{point['value']} | {point['label_ko']} | {point['label_en']}" for point in scale)


class CriterionForm(CleanTextMixin, forms.Form):
    """One criterion; a row without a key is ignored. Its scale: one point a line,
    ``value | Korean label | English label``."""

    key = forms.CharField(label=_("key"), required=False, max_length=40)
    label_ko = forms.CharField(label=_("criterion (Korean)"), required=False, max_length=500)
    label_en = forms.CharField(label=_("criterion (English)"), required=False, max_length=500)
    weight = forms.DecimalField(
        label=_("weight"), required=False, min_value=0, max_digits=7, decimal_places=3
    )
    scale = forms.CharField(
        label=_("scale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One point a line: value | Korean label | English label, e.g. 1 | 미흡 | Weak"),
    )

    def clean_scale(self):
        points = []
        for line in self.cleaned_data["scale"].splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3:
                raise ValidationError(_("Write each point as value | Korean label | English label."))
            try:
                value = int(parts[0])
            except ValueError:
                raise ValidationError(_("A point's value is a whole number.")) from None
            points.append({"value": value, "label_ko": parts[1], "label_en": parts[2]})
        return points


class RubricFormSet(forms.formset_factory(CriterionForm, extra=2)):
    def __init__(self, data=None, *, rubric=None):
        initial = [
            {
                "key": criterion["key"],
                "label_ko": criterion["label_ko"],
                "label_en": criterion["label_en"],
                "weight": criterion["weight"],
                "scale": scale_text(criterion["scale"]),
            }
            for criterion in rubric or []
        ]
        super().__init__(data, prefix="criteria", initial=initial)

    def rubric(self) -> list[dict]:
        return [
            {
                "key": row["key"],
                "label_ko": row["label_ko"],
                "label_en": row["label_en"],
                "weight": row["weight"] if row.get("weight") is not None else 1,
                "scale": row["scale"],
            }
            for row in self.cleaned_data
            if row.get("key")
        ]


class ReviewForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    """The rubric's criteria as fields named ``scores.<key>`` (where the service's errors land),
    each a choice of its scale; none is required for a draft."""

    class Meta:
        model = Review
        fields = ("comment", "comment_to_applicant")
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 4}),
            "comment_to_applicant": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for criterion in rubric:
            name = score_field(criterion["key"])
            weight = criterion["weight"]
            label = f"{localized_label(criterion)} (×{weight})"
            choices = [("", "—")] + [
                (str(point["value"]), f"{point['value']} – {localized_label(point)}")
                for point in criterion["scale"]
            ]
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
            if not self.is_bound:
                value = self.instance.scores.get(criterion["key"])
                self.initial[name] = "" if value is None else str(value)
        self.fields["comment"].help_text = _("Seen by the program's managers.")
        self.fields["comment_to_applicant"].help_text = _(
            "Optional: the applicant reads it, without your name, once the decision is released."
        )
        self.order_fields([*(score_field(c["key"]) for c in rubric), "comment", "comment_to_applicant"])

    def values(self) -> dict:
        scores = {
            criterion["key"]: int(self.cleaned_data[score_field(criterion["key"])])
            if self.cleaned_data[score_field(criterion["key"])]
            else None
            for criterion in self.rubric
        }
        return {
            "scores": scores,
            "comment": self.cleaned_data["comment"],
            "comment_to_applicant": self.cleaned_data["comment_to_applicant"],
        }


class RecusalForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why you step aside"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by the program's managers; you will not review this applicant again."),
    )


class AssignForm(CleanTextMixin, forms.Form):
    """By hand or in bulk: every application ticked gets every reviewer ticked."""

    applications = forms.MultipleChoiceField(label=_("Applications"), widget=forms.CheckboxSelectMultiple)
    reviewers = forms.MultipleChoiceField(label=_("Reviewers"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, applications, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(str(item.pk), str(item.startup)) for item in applications]
        self.fields["reviewers"].choices = [(str(user.pk), user.get_username()) for user in reviewers]


class AutoAssignForm(CleanTextMixin, forms.Form):
    per_application = forms.IntegerField(
        label=_("Reviews per application"), min_value=1, max_value=50, initial=3
    )


class ExpertiseForm(CleanTextMixin, forms.Form):
    """The sectors and technologies a reviewer knows (``reviews.set_expertise``)."""

    sectors = SectorChoiceField(
        required=False,
        label=_("Sectors and technologies you know"),
        help_text=_(
            "Automatic assignment prefers giving you applications from startups in these sectors, "
            "where the reviewers' loads stay balanced."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.order_by(name_order(), "key")
