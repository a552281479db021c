"""The US agencies, as the sources that speak for them (the Federal Register, their press
releases) make them when the tracker has none yet."""

US_AGENCIES: dict[str, dict[str, str]] = {
    "ftc": dict(
        short_name="FTC",
        name="US Federal Trade Commission",
        jurisdiction="US",
        website="https://www.ftc.gov",
        calendar="US-FED",
    ),
    "doj": dict(
        short_name="DOJ",
        name="US Department of Justice, Antitrust Division",
        jurisdiction="US",
        website="https://www.justice.gov/atr",
        calendar="US-FED",
    ),
}
