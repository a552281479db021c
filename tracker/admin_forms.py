from django import forms
from django.utils import timezone

from .choices import ReviewStatus
from .lifecycle import allowed_targets


class TransitionForm(forms.Form):
    """Every status is offered, allowed moves first; the service has the last word."""

    to_status = forms.ChoiceField(label="New status")
    occurred_on = forms.DateField(label="Date", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
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
