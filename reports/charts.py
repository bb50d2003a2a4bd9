"""What the charts need besides numbers: the tone of each class of a classification.

The colours themselves are defined once, in static/css/portal.css (`--band-<tone>`); charts and
badges name a tone. Tones follow a class's place in its classification, best first, so any
regulation's classes read right (classes are data): the best is green, the worst red, the second
worst amber and the one above it teal (Tây Ninh: Tốt green, Khá teal, Trung bình amber, Yếu red).
"""

TONES_FROM_WORST = ("weak", "average", "fair")
UNCLASSIFIED = "none"


def band_tones(count: int) -> list[str]:
    """Tones for `count` classes ordered best first: ["good", "fair", "average", "weak"] for four."""
    if count <= 0:
        return []
    if count == 1:
        return ["good"]
    from_worst = list(TONES_FROM_WORST[: count - 1])
    above = count - len(from_worst)  # the classes above "fair": the best is "good", any above it "excellent"
    best = ["excellent"] * (above - 1) + ["good"]
    return best + from_worst[::-1]


def tones_for_counts(codes: list[str]) -> list[str]:
    """Tones for the rows of `reports.selectors.band_counts` (best first; "" = not classified, last)."""
    ranked = [code for code in codes if code]
    return band_tones(len(ranked)) + [UNCLASSIFIED] * (len(codes) - len(ranked))
