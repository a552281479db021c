import datetime

from django.core.management.base import BaseCommand, CommandError

from regulators.calendars import CalendarNotCovered
from regulators.deadline_rules import UnknownRule, get_rule
from regulators.deadlines import ClockStopPeriod, DeadlineError, compute_deadline


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Invalid date {value!r}: use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Print the statutory deadline (YYYY-MM-DD) of a regulator's phase started on START_DATE, "
        "the day of the triggering act (CMA launch notice or reference, EC notification or opening "
        "decision, HSR filing or substantial compliance)."
    )

    def add_arguments(self, parser):
        parser.add_argument("regulator", help="Regulator slug: cma, ec, ftc, doj, bkarta, accc.")
        parser.add_argument(
            "phase",
            help="phase_1, phase_2, hsr_initial, hsr_second_request, uil_offer, uil_acceptance, referral.",
        )
        parser.add_argument("start_date", help="Day of the triggering act, YYYY-MM-DD.")
        parser.add_argument(
            "--clock-stop",
            nargs=2,
            action="append",
            default=[],
            metavar=("FROM", "TO"),
            help="The clock stops on FROM and runs again from TO (which counts). Repeatable.",
        )
        parser.add_argument(
            "--extension",
            type=int,
            default=0,
            help="Extension in the rule's own unit (EC: working days, CMA: weeks or working days, BKartA: months).",
        )
        parser.add_argument(
            "--variant",
            default=None,
            help="cash_tender, bankruptcy, commitments, referral_request, member_state_request, joining.",
        )
        parser.add_argument(
            "--explain", action="store_true", help="Also print how the date was counted."
        )

    def handle(self, *args, **opts):
        try:
            rule = get_rule(opts["regulator"], opts["phase"])
        except UnknownRule as exc:
            raise CommandError(str(exc)) from None
        started_on = iso_date(opts["start_date"])
        stops = [
            ClockStopPeriod(iso_date(start), iso_date(end)) for start, end in opts["clock_stop"]
        ]
        try:
            deadline = compute_deadline(
                rule,
                started_on,
                clock_stops=stops,
                extension=opts["extension"],
                variant=opts["variant"],
            )
        except (DeadlineError, CalendarNotCovered) as exc:
            raise CommandError(str(exc)) from None
        for caveat in deadline.caveats:
            self.stderr.write(self.style.WARNING(f"Provisional: {caveat}"))
        self.stdout.write(
            deadline.date.isoformat() if deadline.date else "none while the clock is stopped"
        )
        if opts["explain"]:
            self.stdout.write(deadline.explain())
