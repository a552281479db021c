from django import forms
from django.utils import timezone

from regulators.deadlines import ClockStopPeriod

from .choices import ReviewStatus
from .deadlines import check_inputs, current_rule, in_current_period
from .lifecycle import allowed_targets


class TransitionForm(forms.Form):
    """Every status is offered, allowed moves first; the service has the last word."""

    to_status = forms.ChoiceField(label="New status")
    # A date input takes only ISO dates, whatever the site's locale writes.
    occurred_on = forms.DateField(
        label="Date", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    stage = forms.CharField(label="Regulator's stage wording", max_length=200, required=False)
    title = forms.CharField(max_length=300, required=False, help_text="Leave empty for a generated title.")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    source_url = forms.URLField(label="Source URL", max_length=500, required=False, assume_scheme="https")
    source_title = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, current_status: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = allowed_targets(current_status)
        labels = dict(ReviewStatus.choices)
        self.fields["to_status"].choices = [
            ("Allowed from here", [(s, labels[s]) for s in ReviewStatus.values if s in allowed]),
            ("Not allowed from here", [(s, labels[s]) for s in ReviewStatus.values if s not in allowed]),
        ]


class ReviewAdminForm(forms.ModelForm):
    """Checks the clock inputs against the regulator's rules before anything is saved."""

    def clean(self):
        cleaned = super().clean()
        review = self.instance
        if review.pk is None or not {"clock_started_on", "deadline_variant"} & set(self.changed_data):
            return cleaned
        if current_rule(review) is None:
            self.add_error(
                "clock_started_on", "No statutory clock runs in this status; leave the clock fields empty."
            )
            return cleaned
        started_on = cleaned.get("clock_started_on")
        if started_on is None:
            self.add_error("clock_started_on", "A running clock needs the date of the act that started it.")
            return cleaned
        try:
            check_inputs(
                review,
                started_on=started_on,
                variant=cleaned.get("deadline_variant") or "",
                field_names={"variant": "deadline_variant", "started_on": "clock_started_on"},
            )
        except forms.ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


class CurrentPeriodFormSet(forms.BaseInlineFormSet):
    """Rows of an earlier period are history: shown, not changed."""

    date_field = ""

    def in_current_period(self, form) -> bool:
        if form.instance.pk is None:
            return True
        return in_current_period(self.instance, form.instance.phase, form.initial.get(self.date_field))

    def clean(self):
        super().clean()
        for form in self.forms:
            if not self.in_current_period(form) and (form.has_changed() or (form.cleaned_data or {}).get("DELETE")):
                raise forms.ValidationError(
                    f"'{form.instance}' belongs to an earlier period ({form.instance.get_phase_display()}) "
                    "and can no longer be changed."
                )


class ClockStopFormSet(CurrentPeriodFormSet):
    """The stops as they will be, counted against the rules: overlaps and the like are refused here."""

    date_field = "stopped_on"

    def clean(self):
        super().clean()
        review = self.instance
        if review.pk is None or any(self.errors) or not self.has_changed():
            return
        if current_rule(review) is None or review.clock_started_on is None:
            raise forms.ValidationError(
                "No statutory clock runs for this review yet: it needs a status with deadline rules and the "
                "date its clock started."
            )
        periods = [
            ClockStopPeriod(form.cleaned_data["stopped_on"], form.cleaned_data.get("restarted_on"))
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and self.in_current_period(form)
        ]
        try:
            check_inputs(review, stops=periods)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class DeadlineExtensionFormSet(CurrentPeriodFormSet):
    date_field = "granted_on"

    def clean(self):
        super().clean()
        review = self.instance
        if review.pk is None or any(self.errors) or not self.has_changed():
            return
        if current_rule(review) is None or review.clock_started_on is None:
            raise forms.ValidationError(
                "No statutory clock runs for this review yet: it needs a status with deadline rules and the "
                "date its clock started."
            )
        lengths = [
            form.cleaned_data["length"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and self.in_current_period(form)
        ]
        try:
            check_inputs(review, extensions=lengths, field_names={"extension": "length"})
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
