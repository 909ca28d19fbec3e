"""Service quality: rude and dismissive shares, the training response, repeat contacts.

References
----------
.. [1] Exponential learning curve with a floor ("diminishing returns"): the gap to
   the floor halves every ``training_half_life_hours`` of training per year.
   Functional form illustrative; parameters per scenario.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from cxcost.queueing import FloatOrArray
from cxcost.scenario import Quality


def trained_share(
    untrained: float, floor: float, half_life_hours: float, hours: ArrayLike
) -> FloatOrArray:
    """Share of contacts with a failure after ``hours`` of training per rep per year.

    rate(h) = floor + (untrained - floor) * exp(-h ln 2 / half_life)   (Eq 1 in [1])

    Parameters
    ----------
    untrained : share with no training [0-1]
    floor : share that no training removes [0-1], <= untrained
    half_life_hours : training hours that halve the gap to the floor [h/year]
    hours : training per representative [h/year], >= 0

    Returns
    -------
    float or ndarray
        Share in [floor, untrained]; never rises with more training.

    Examples
    --------
    >>> trained_share(0.2, 0.05, 24.0, 24.0)
    0.125
    """
    h = np.asarray(hours, dtype=np.float64)
    value = floor + (untrained - floor) * np.exp(-h * np.log(2.0) / half_life_hours)
    # Rounding in the sum must not step outside [floor, untrained].
    value = np.clip(value, floor, untrained)
    return float(value) if value.ndim == 0 else value


def rude_share(quality: Quality, hours: ArrayLike) -> FloatOrArray:
    """Share of contacts perceived as rude or unfriendly [0-1] after ``hours`` of training."""
    return trained_share(
        quality.rude_share_untrained,
        quality.rude_share_floor,
        quality.training_half_life_hours,
        hours,
    )


def dismissive_share(quality: Quality, hours: ArrayLike) -> FloatOrArray:
    """Share of contacts brushed off or left unresolved [0-1] after ``hours`` of training."""
    return trained_share(
        quality.dismissive_share_untrained,
        quality.dismissive_share_floor,
        quality.training_half_life_hours,
        hours,
    )


def repeat_contact_factor(dismissive: ArrayLike, repeat_contact_rate: float) -> FloatOrArray:
    """All contacts per first contact when unresolved issues come back.

    contacts = first contacts / (1 - dismissive share * return rate): each
    dismissed contact returns with probability ``repeat_contact_rate`` and may
    be dismissed again (a geometric series).

    Examples
    --------
    >>> round(repeat_contact_factor(0.2, 0.5), 6)
    1.111111
    """
    d = np.asarray(dismissive, dtype=np.float64)
    value = 1.0 / (1.0 - d * repeat_contact_rate)
    return float(value) if value.ndim == 0 else value
