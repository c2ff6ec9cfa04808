"""Numbers as a Vietnamese or English reader writes them: ``99.854``, ``70,06%`` / ``99,854``, ``70.06%``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def rounded(value: Decimal | float | int, places: int = 2) -> Decimal:
    """Half-up, as the portal rounds (Python's ``round`` rounds half to even)."""
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def fmt_int(value: int | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def fmt_dec(value: Decimal | float | int | None, lang: str, places: int = 2) -> str:
    """A decimal with grouped thousands; ``–`` for a missing value."""
    if value is None:
        return "–"
    text = f"{rounded(value, places):,.{places}f}"
    if lang != "vi":
        return text
    # Swap the two marks through a placeholder so neither overwrites the other.
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_pct(value: Decimal | float | None, lang: str, places: int = 2) -> str:
    """A ratio in [0, 1] as a percentage: 0.70065 → ``70,07%`` (vi)."""
    if value is None:
        return "–"
    return fmt_dec(Decimal(str(value)) * 100, lang, places) + "%"


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` exactly enough for display; None when there is no whole."""
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


def parse_vi(text: str) -> Decimal:
    """Read back a number written by :func:`fmt_dec` / :func:`fmt_int` in Vietnamese."""
    cleaned = text.strip().rstrip("%").replace(".", "").replace(",", ".")
    return Decimal(cleaned)
