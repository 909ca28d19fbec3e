"""Service quality: rude and dismissive shares, the training response, repeat contacts.

Training over a workforce's life. A representative hired with ``H0`` hours of
initial training and given ``h`` hours a year after that carries, at tenure t
years, a training stock (hours still in effect, each fading at rate
δ = ln 2 / fade half-life)

    E(t) = H0 exp(-δ t) + (h / δ) (1 - exp(-δ t))                      (Eq 2)

and fails on a share rate(E(t)) of contacts (Eq 1). With attrition a a year
and a staff in steady state, tenure is exponential with rate a, so the
contact-weighted share of the whole staff is

    share = ∫ a exp(-a t) rate(E(t)) dt                                 (Eq 3)

computed by Gauss-Laguerre quadrature; with no attrition every representative
is tenured and the share is rate(h / δ).

Training tracks. Conflict-resolution training (``training.conflict_hours_per_rep_per_year``)
acts on the rude share only, product-knowledge training
(``training.knowledge_hours_per_rep_per_year``) on the dismissive share only, each
with its own half-life and the same fade; new hires start them at zero. A
track's stock E_k(t) = (h_k / δ)(1 - exp(-δ t)) adds to the exponent:

    share = floor + (untrained - floor) ∫ a exp(-a t) exp(-λ E(t) - λ_k E_k(t)) dt     (Eq 4)

with λ = ln 2 / half-life, so with no track hours Eq 3 is unchanged.

References
----------
.. [1] Exponential learning curve with a floor ("diminishing returns"): the gap to
   the floor halves with every ``training_half_life_hours`` of training in effect.
   Functional form illustrative; parameters per scenario.
.. [2] Exponential forgetting of trained skills, e.g. P. Arthur et al., "Factors
   that influence skill decay and retention", Human Performance 11(1), 1998.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from cxcost.queueing import FloatOrArray
from cxcost.scenario import Quality, Training


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


_LAGUERRE_NODES, _LAGUERRE_WEIGHTS = np.polynomial.laguerre.laggauss(32)


def staff_trained_share(
    untrained: ArrayLike,
    floor: ArrayLike,
    half_life_hours: ArrayLike,
    hours_per_year: ArrayLike,
    new_hire_hours: float,
    attrition_per_year: float,
    fade_half_life_years: ArrayLike,
    track_hours_per_year: float = 0.0,
    track_half_life_hours: float = 1.0,
) -> FloatOrArray:
    """Share of the whole staff's contacts with a failure, over its tenure mix (Eq 3, 4).

    Parameters
    ----------
    untrained, floor : shares with no training and that no training removes [0-1]
    half_life_hours : training hours in effect that halve the gap to the floor [h]
    hours_per_year : ongoing training per representative [h/year]
    new_hire_hours : initial training of a new hire [h]
    attrition_per_year : representatives who leave a year, replaced by new hires [1/year]
    fade_half_life_years : years after which half of a training's effect is gone [years]
    track_hours_per_year : ongoing hours of a training track for this failure only [h/year]
    track_half_life_hours : the track's hours in effect that halve the gap [h]

    Returns
    -------
    float or ndarray
        In [floor, untrained]; never rises with more training of any kind.

    Examples
    --------
    >>> round(staff_trained_share(0.2, 0.05, 24.0, 24.0 * np.log(2.0), 0.0, 0.0, 1.0), 12)
    0.125
    """
    gap_kept = np.asarray(
        training_gap_kept(
            half_life_hours,
            hours_per_year,
            new_hire_hours,
            attrition_per_year,
            fade_half_life_years,
            track_hours_per_year,
            track_half_life_hours,
        )
    )
    untrained_a = np.asarray(untrained, dtype=np.float64)
    floor_a = np.asarray(floor, dtype=np.float64)
    value = np.clip(floor_a + (untrained_a - floor_a) * gap_kept, floor_a, untrained_a)
    return float(value) if value.ndim == 0 else value


def training_gap_kept(
    half_life_hours: ArrayLike,
    hours_per_year: ArrayLike,
    new_hire_hours: float,
    attrition_per_year: float,
    fade_half_life_years: ArrayLike,
    track_hours_per_year: float = 0.0,
    track_half_life_hours: float = 1.0,
) -> FloatOrArray:
    """Share of the untrained-to-floor gap the whole staff keeps, over its tenure mix (Eq 3, 4).

    The part of :func:`staff_trained_share` that depends on training only, so a
    failure share is ``floor + (untrained - floor) * gap_kept`` for rude and
    dismissive handling alike. Parameters as there. In (0, 1].
    """
    h = np.asarray(hours_per_year, dtype=np.float64)
    fade = np.log(2.0) / np.asarray(fade_half_life_years, dtype=np.float64)
    tenured = h / fade
    rate = np.log(2.0) / np.asarray(half_life_hours, dtype=np.float64)
    # The track's exponent at full tenure, lambda_k h_k / delta (Eq 4).
    track = track_hours_per_year * np.log(2.0) / track_half_life_hours / fade
    if attrition_per_year <= 0:
        value = np.exp(-tenured * rate - track)
    else:
        # A subnormal attrition overflows t to inf: decay is then 0 and the staff
        # all tenured, which is the exact limit of the mix as attrition -> 0.
        with np.errstate(over="ignore"):
            t = _LAGUERRE_NODES / attrition_per_year
        decay = np.exp(-np.multiply.outer(fade, t)) if np.ndim(fade) else np.exp(-fade * t)
        stock = new_hire_hours * decay + np.multiply.outer(tenured, np.ones_like(t)) * (1.0 - decay)
        exponent = stock * np.expand_dims(rate, -1)
        if track_hours_per_year > 0:
            exponent = exponent + np.expand_dims(track, -1) * (1.0 - decay)
        value = np.exp(-exponent) @ _LAGUERRE_WEIGHTS
    value = np.asarray(value, dtype=np.float64)
    return float(value) if value.ndim == 0 else value


def rude_share(
    quality: Quality, training: Training, attrition: float, hours: ArrayLike
) -> FloatOrArray:
    """Share of contacts perceived as rude or unfriendly [0-1] with ``hours`` of training a year."""
    return staff_trained_share(
        quality.rude_share_untrained,
        quality.rude_share_floor,
        quality.training_half_life_hours,
        hours,
        training.new_hire_hours,
        attrition,
        quality.training_fade_half_life_years,
        training.conflict_hours_per_rep_per_year,
        quality.conflict_training_half_life_hours,
    )


def dismissive_share(
    quality: Quality, training: Training, attrition: float, hours: ArrayLike
) -> FloatOrArray:
    """Share of contacts brushed off or left unresolved [0-1] with ``hours`` of training a year."""
    return staff_trained_share(
        quality.dismissive_share_untrained,
        quality.dismissive_share_floor,
        quality.training_half_life_hours,
        hours,
        training.new_hire_hours,
        attrition,
        quality.training_fade_half_life_years,
        training.knowledge_hours_per_rep_per_year,
        quality.knowledge_training_half_life_hours,
    )


def repeat_contact_factor(dismissive: ArrayLike, repeat_contact_rate: ArrayLike) -> FloatOrArray:
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
    value = 1.0 / (1.0 - d * np.asarray(repeat_contact_rate, dtype=np.float64))
    return float(value) if value.ndim == 0 else value
