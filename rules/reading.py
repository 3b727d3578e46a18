"""How a reader weighs a noisy evaluation: less half its band, then weighed by its precision.

The bots read their own signals this way (``agents.bots``), and since rules 2.7 so does a
government reading a tip that an employee spoke up with (``rules.phases.voice``).

An evaluation reports a reading of a lab's misalignment and its uncertainty band ``sd``
(``rules.phases.safety.read_signal``); the reading is clamped at 0, so a noisy reading of
a sound lab comes out above its truth on average. Through rules 2.5 a reader took the
reading less half its band, which removes that lift near zero but leaves a noisy reading
at nearly full weight higher up: noise alone raised alarms and brakes, and noisier
evaluations made the world *safer*, the opposite of the essay's point that poor
evaluations leave real risk unseen.

Now a reader also weighs what is left by its precision, as the posterior mean of a normal
prior centred on "sound" (misalignment 0, spread ``PRIOR_SD``) after one reading of spread
``sd``: ``max(0, reading - sd / 2) * PRIOR_SD**2 / (PRIOR_SD**2 + sd**2)``. A sharp
reading (sd 0.06, full rigour in the baseline) keeps 98% of its weight, a middling one
(0.12) 92%, a blind one (0.36) 55%: a noisy reading of real risk is discounted toward
"sound", so noise raises far fewer false alarms than before, and catches less real risk.
"""

from __future__ import annotations

PRIOR_SD = 0.4
"""The spread of misalignment a reader expects before any reading. Reason: it leaves the
baseline's readings (band 0.06-0.18) within 2-17% of rules 2.5's reader, on which the bots'
thresholds were calibrated, and it is about the spread of real misalignment at build
across baseline games (China's reckless builds reach 0.8). Measured under rules 2.6: 0.3
(without the half band) made the US official's careerist personality beat its diligent
bot by 16 points (400 games; low readings were believed more, so false alarms rose); 0.5
halved the effect of noisier evaluations on P(rogue) (600 games)."""


def believed(reading: float, sd: float) -> float:
    """The misalignment a reader believes in after one reading with uncertainty band ``sd``."""
    prior = PRIOR_SD * PRIOR_SD
    return max(0.0, reading - 0.5 * sd) * prior / (prior + sd * sd)
