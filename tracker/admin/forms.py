"""The review admin's forms. Each form that saves does so through the services, so the
admin records what the API and the commands record: status changes through the
transition service, deadline edits through the deadline service (with the reason a
deadline moved)."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from regulators.calendars import CalendarNotCovered
from regulators.deadline_rules import rule_for_status
from regulators.deadlines import ClockStopPeriod, DeadlineError, compute_deadline

from .. import deadlines
from ..choices import Outcome, ReviewStatus, SourceType
from ..deadline_clock import check_inputs, current_rule, in_current_period
from ..deadline_periods import DEADLINE_FIELDS, mirror_current_period
from ..lifecycle import allowed_targets
from ..models import Review
from ..services import TransitionNotAllowed, TransitionResult, record_event, transition_review


class StatusChoiceField(forms.ChoiceField):
    """Offers the moves allowed from here; a forbidden one that is posted anyway is left to the
    transition service, whose refusal names both statuses and the allowed ones."""

    def valid_value(self, value):
        return value in ReviewStatus.values


class TransitionForm(forms.Form):
    """Only the statuses allowed from the current one are offered (tracker/lifecycle.py); the
    service has the last word."""

    to_status = StatusChoiceField(label="New status")
    # A date input takes only ISO dates, whatever the site's locale writes.
    occurred_on = forms.DateField(
        label="Date",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    stage = forms.CharField(
        label="Regulator's stage wording",
        max_length=200,
        required=False,
        help_text="The regulator's words for the new stage; left empty, the current wording is cleared.",
    )
    title = forms.CharField(
        max_length=300, required=False, help_text="Leave empty for a generated title."
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcome = forms.ChoiceField(
        choices=[("", "(as the status implies)"), *Outcome.choices],
        required=False,
        help_text="On a closing move: how the proceeding ended.",
    )
    outcome_wording = forms.CharField(
        label="Outcome in the regulator's words", max_length=300, required=False
    )
    # A status change records what a regulator or court did: it cites one (the service checks).
    source_url = forms.URLField(
        label="Source URL",
        max_length=500,
        assume_scheme="https",
        help_text="The regulator's or court's page.",
    )
    source_title = forms.CharField(max_length=300, required=False)
    source_type = forms.ChoiceField(
        choices=[
            (SourceType.REGULATOR, SourceType.REGULATOR.label),
            (SourceType.COURT, SourceType.COURT.label),
        ],
        initial=SourceType.REGULATOR,
    )

    def __init__(self, *args, current_status: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = allowed_targets(current_status)
        labels = dict(ReviewStatus.choices)
        to_status = cast(forms.ChoiceField, self.fields["to_status"])
        to_status.choices = [(s, labels[s]) for s in ReviewStatus.values if s in allowed]

    def transition(self, review: Review, user) -> TransitionResult | None:
        """Move the review through the transition service; a refusal becomes a form error."""
        data = self.cleaned_data
        try:
            return transition_review(
                review_id=review.pk,
                to_status=data["to_status"],
                occurred_on=data["occurred_on"],
                stage=data["stage"],
                title=data["title"],
                note=data["note"],
                source_url=data["source_url"],
                source_title=data["source_title"],
                source_type=data["source_type"],
                outcome=data["outcome"] or None,
                outcome_wording=data["outcome_wording"] or None,
                user=user,
            )
        except TransitionNotAllowed as exc:
            self.add_error("to_status", str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return None


CLOCK_FIELDS = {"clock_started_on", "deadline_variant"}


class ReviewAdminForm(forms.ModelForm):
    """Checks the clock inputs against the regulator's rules before anything is saved, and
    saves deadline edits through the deadline service rather than onto the row."""

    def save(self, commit=True):
        review = super().save(commit=False)
        changed = set(self.changed_data)
        self.hand_deadline = "next_deadline" in changed
        self.clock_changed = bool(CLOCK_FIELDS & changed)
        # What was typed into the deadline fields; the row keeps what its periods say until
        # the service has recorded the change (and why).
        self.new_deadline = {f: getattr(review, f) for f in DEADLINE_FIELDS}
        if review.pk:
            old = Review.objects.values(*DEADLINE_FIELDS).get(pk=review.pk)
            for field, value in old.items():
                setattr(review, field, value)
        else:
            mirror_current_period(review, None)
        if commit:
            review.save()
        return review

    def start_clock(self, user, *, created: bool) -> None:
        """After the review is saved, before its inlines: a review created in a phase opens its
        period; a clock typed in starts (or restarts) it."""
        review, new = self.instance, self.new_deadline
        if created:
            deadlines.open_in_phase(
                review_id=review.pk,
                started_on=new["clock_started_on"],
                variant=new["deadline_variant"],
                next_deadline=new["next_deadline"],
                note="entered in the admin",
                user=user,
            )
        elif self.clock_changed and new.get("clock_started_on"):
            deadlines.set_clock(
                review_id=review.pk,
                started_on=new["clock_started_on"],
                variant=new["deadline_variant"],
                note="entered in the admin",
                user=user,
            )

    def set_deadline_by_hand(self, user, *, created: bool) -> None:
        """After the inlines: a deadline typed in is recorded as set by hand."""
        if not created and self.hand_deadline:
            deadlines.set_deadline_by_hand(
                review_id=self.instance.pk,
                next_deadline=self.new_deadline["next_deadline"],
                note="entered in the admin",
                user=user,
            )

    def clean(self):
        cleaned = super().clean() or {}
        review = self.instance
        if review.pk is None:
            self._clean_new_clock(cleaned)
            return cleaned
        if not {"clock_started_on", "deadline_variant"} & set(self.changed_data):
            return cleaned
        if current_rule(review) is None:
            self.add_error(
                "clock_started_on",
                "No statutory clock runs in this status; leave the clock fields empty.",
            )
            return cleaned
        started_on = cleaned.get("clock_started_on")
        if started_on is None:
            self.add_error(
                "clock_started_on", "A running clock needs the date of the act that started it."
            )
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

    def _clean_new_clock(self, cleaned) -> None:
        """A new review's clock fields, checked against the rules of the status it starts in."""
        started_on, variant = cleaned.get("clock_started_on"), cleaned.get("deadline_variant") or ""
        regulator = cleaned.get("regulator")
        if not (started_on or variant) or regulator is None:
            return
        rule = rule_for_status(regulator.slug, cleaned.get("status") or ReviewStatus.MONITORING)
        if rule is None:
            if not cleaned.get("next_deadline"):
                self.add_error(
                    "clock_started_on",
                    "No statutory clock runs in this status; leave the clock fields empty.",
                )
            return
        if started_on is None:
            if variant not in rule.variants:
                self.add_error(
                    "deadline_variant", f"{rule.regulator} {rule.phase} has no variant {variant!r}."
                )
            return
        try:
            compute_deadline(rule, started_on, variant=variant)
        except DeadlineError as exc:
            field = {"variant": "deadline_variant", "started_on": "clock_started_on"}.get(exc.field)
            self.add_error(field if field in self.fields else None, str(exc))
        except CalendarNotCovered:
            pass  # the period opens without a date, and says why


class ReviewEventFormSet(forms.BaseInlineFormSet):
    """Timeline events added on a review's page belong to the proceeding as a whole, so
    they show on every deal it covers; a new one is recorded as news (announced to its
    followers) unless marked as back-filled history."""

    def save_by(self, user) -> list[str]:
        history = {
            id(form.instance): form.cleaned_data.get("history", False)
            for form in self.forms
            if form.has_changed()
        }
        for event in self.save(commit=False):
            event.deal_id = None
            event.created_by = event.created_by or user
            if event.pk is None:  # news reaches its followers after commit; history does not
                record_event(event, history=history.get(id(event), False))
            else:
                event.save()
        for event in self.deleted_objects:
            event.delete()
        return []


class DealsCoveredFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.deal_id == self.instance.deal_id:
                raise ValidationError(
                    "The lead deal stays covered; make another deal the lead first."
                )


class CurrentPeriodFormSet(forms.BaseInlineFormSet):
    """Rows of an earlier period are history: shown, not changed. Saved through the
    deadline service, which recomputes the deadline and records why it moved."""

    date_field = ""

    def in_current_period(self, form) -> bool:
        if form.instance.pk is None:
            return True
        return in_current_period(
            self.instance, form.instance.phase, form.initial.get(self.date_field)
        )

    def clean(self):
        super().clean()
        for form in self.forms:
            if not self.in_current_period(form) and (
                form.has_changed() or (form.cleaned_data or {}).get("DELETE")
            ):
                raise forms.ValidationError(
                    f"'{form.instance}' belongs to an earlier period ({form.instance.get_phase_display()}) "
                    "and can no longer be changed."
                )
        review = self.instance
        if review.pk is None or any(self.errors) or not self.has_changed():
            return
        if current_rule(review) is None or review.clock_started_on is None:
            raise forms.ValidationError(
                "No statutory clock runs for this review yet: it needs a status with deadline rules and the "
                "date its clock started."
            )
        try:
            check_inputs(
                review, **self.deadline_inputs([form.cleaned_data for form in self.current_rows()])
            )
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def current_rows(self):
        """The rows as they will be in the running period: kept, changed or added."""
        return [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and self.in_current_period(form)
        ]

    def deadline_inputs(self, rows: list[dict]) -> dict:
        """What these rows feed the deadline computation, to check them against the rules."""
        raise NotImplementedError


class ClockStopFormSet(CurrentPeriodFormSet):
    """The stops as they will be, counted against the rules: overlaps and the like are refused here."""

    date_field = "stopped_on"

    def deadline_inputs(self, rows: list[dict]) -> dict:
        return {
            "stops": [ClockStopPeriod(row["stopped_on"], row.get("restarted_on")) for row in rows]
        }

    def save_by(self, user) -> list[str]:
        for form in self.forms:
            stop, data = form.instance, form.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if stop.pk:
                    deadlines.remove_clock_stop(clock_stop_id=stop.pk, user=user)
            elif stop.pk is None:
                deadlines.stop_clock(
                    review_id=self.instance.pk,
                    stopped_on=data["stopped_on"],
                    restarted_on=data.get("restarted_on"),
                    reason=data["reason"],
                    source_url=data.get("source_url", ""),
                    user=user,
                )
            elif form.has_changed():
                deadlines.change_clock_stop(
                    clock_stop_id=stop.pk,
                    stopped_on=data["stopped_on"],
                    restarted_on=data.get("restarted_on"),
                    reason=data["reason"],
                    source_url=data.get("source_url", ""),
                    user=user,
                )
        return []


class DeadlineExtensionFormSet(CurrentPeriodFormSet):
    date_field = "granted_on"

    def deadline_inputs(self, rows: list[dict]) -> dict:
        return {
            "extensions": [row["length"] for row in rows],
            "field_names": {"extension": "length"},
        }

    def save_by(self, user) -> list[str]:
        """Returns warnings for the editor: an extension is a grant on a date, not edited in place."""
        warnings = []
        for form in self.forms:
            extension, data = form.instance, form.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if extension.pk:
                    deadlines.remove_extension(extension_id=extension.pk, user=user)
            elif extension.pk is None:
                deadlines.extend_deadline(
                    review_id=self.instance.pk,
                    length=data["length"],
                    granted_on=data["granted_on"],
                    reason=data["reason"],
                    source_url=data.get("source_url", ""),
                    user=user,
                )
            elif form.has_changed():
                warnings.append(
                    f"Extension '{extension}' was not changed: delete it and add a new one."
                )
        return warnings
