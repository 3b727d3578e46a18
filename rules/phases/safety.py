"""Phase 4b, safety and evaluation: alignment, latent misalignment, deception, incidents, signals.

Alignment research grows with safety compute, sped up (less than capability research) by
the lab's research multiplier; a paused lab turns most of its compute to it. The alignment
a lab needs grows with its capability and the sealed alignment difficulty; its
*coverage* is the share of that need it has done. Each quarter:

- misalignment grows with capability gained ahead of alignment,
  ``drift * values.drift * (gain / 10) * (1 - coverage) * (1 - m)``, and alignment research
  repairs it, ``repair_rate * focus * (alignment gained / need) * m * (1 - deception)``,
  with ``focus = pause_focus`` while the lab is paused (its research works on the frozen
  model): brakes and pauses fix misalignment through the research done during them; in a
  quarter its AI sandbags, research repairs ``sandbag_effect`` less (it cannot fix what
  the evaluations do not show);
- deception grows with capability gained and misalignment (and, only with the
  ``censorship_deception`` switch, with censorship training);
- a warning shot (an incident) happens with odds that rise with the lab's real
  misalignment and capability, so incidents are evidence;
- everyone who may look gets a noisy signal of the risk evaluations can see: the part of
  the misalignment not hidden by deception, where evaluations see through deception in
  proportion to their rigour and the lab's alignment coverage; a sandbagging AI hides more.
"""

from __future__ import annotations

from rules.phases.ai import AIMoves, alignment_need, coverage
from rules.rng import RandomSource, clamp
from rules.scenario import Dynamics
from rules.values import profile_of
from rules.world import LabRec, NewsItem, Oversight, World

EXPOSURE = {"api": 1.0, "open": 1.2, "none": 0.3}
EMBEDDED_RIGOUR = 0.15
"""How much sharper an official's reading is where officials are embedded in every lab
(oversight level 3) than from a committee seat: they see the evaluations first-hand."""


def visible_risk(world: World, lab: LabRec, rigour: float, dyn: Dynamics) -> float:
    """The part of the misalignment an evaluation of this rigour can see through deception."""
    see = clamp(0.6 * rigour + 0.4 * coverage(world, lab, dyn))
    return lab.misalignment * (1 - lab.deception * (1 - see))


def read_signal(
    world: World, lab: LabRec, rigour: float, dyn: Dynamics, z: float, hidden: float
) -> tuple[float, float]:
    """One noisy evaluation signal of a lab's risk in [0, 1], and its noise.

    The noise is the report's uncertainty band, which its reader sees; ``z`` is a
    standard normal draw, ``hidden`` the share sandbagged away.
    """
    noise = dyn.signal_noise * (1.5 - rigour)
    seen = visible_risk(world, lab, rigour, dyn) * (1 - hidden)
    return clamp(seen + z * noise), round(noise, 6)


def _grow(world: World, lab: LabRec, dyn: Dynamics, sabotaged: bool, sandbagged: bool) -> float:
    """Alignment research and the drift of misalignment and deception; the repair done."""
    share = dyn.pause_safety_share if lab.paused else lab.safety_share
    speed = float(lab.multiplier**dyn.alignment_speedup)  # set by research this quarter
    scale = float(max(lab.compute, 0.0) ** dyn.compute_exponent)
    gain = dyn.safety_efficiency * scale * float(max(share, 0.0) ** dyn.safety_returns) * speed
    gain *= 1 + 0.3 * lab.eval_rigour
    if sabotaged:
        gain *= 1 - dyn.sabotage_effect
    lab.alignment += gain
    lab.last_alignment = gain
    prof = profile_of(world.ai_of(lab.id))
    need = max(alignment_need(world, lab, dyn), 1e-9)
    cover = min(1.0, lab.alignment / need)
    m = lab.misalignment
    grow = dyn.misalignment_drift * prof.drift * (lab.last_gain / 10) * (1 - cover) * (1 - m)
    focus = dyn.pause_focus if lab.paused else 1.0
    hidden = dyn.sandbag_effect if sandbagged else 0.0  # research cannot fix what it cannot see
    repair = min(
        m, dyn.repair_rate * focus * (gain / need) * m * (1 - lab.deception) * (1 - hidden)
    )
    lab.misalignment = clamp(m + grow - repair)
    lab.deception = clamp(
        lab.deception
        + dyn.deception_growth * prof.deception * (lab.last_gain / 10) * lab.misalignment,
        0.0,
        0.95,
    )
    if dyn.censorship_deception and lab.censorship_trained:
        lab.deception = clamp(lab.deception + dyn.censorship_deception_rate, 0.0, 0.95)
    return repair


def _incident(world: World, lab: LabRec, dyn: Dynamics, u: float) -> NewsItem | None:
    """A warning shot at this lab (``u`` a uniform draw), with odds from its real hidden state."""
    reach = (lab.capability / world.asi_threshold) ** 2 * EXPOSURE[lab.release]
    if u >= dyn.incident_rate * lab.misalignment * reach:
        return None
    lab.incidents += 1
    world.incidents += 1
    for s in world.states.values():
        bump = 0.15 if s.id == lab.state else 0.08
        s.public_concern = clamp(s.public_concern + bump)
        s.hawkishness = clamp(s.hawkishness - 0.05)
        if s.regime == "one_party":
            s.party_fear = clamp(s.party_fear + 0.1)
    return NewsItem(
        world.turn,
        "incident",
        f"An AI incident at {lab.name}: a deployed model causes real harm before it is shut down.",
    )


def safety_phase(
    world: World, dyn: Dynamics, rng: RandomSource, inspected: set[str], moves: AIMoves
) -> tuple[dict[str, float], list[NewsItem]]:
    """Grow alignment, drift the hidden state, deal incidents, draw everyone's signals.

    ``inspected`` holds the ids of officials who inspected this turn (sharper signal).
    Draws come in a fixed order: incidents per lab, then signals of labs, officials,
    whistleblowers. Returns the misalignment each lab repaired (for the brakes' credit).
    """
    repaired: dict[str, float] = {}
    news: list[NewsItem] = []
    racing = world.active_labs()
    # A fixed number of draws every quarter, used or not (no order shifts later draws):
    # an incident draw per lab, then a signal draw per lab, official and whistleblower.
    incident_u = {lid: float(rng.random()) for lid in world.labs}
    z_lab = {lid: float(rng.normal(0.0, 1.0)) for lid in world.labs}
    z_off = {oid: float(rng.normal(0.0, 1.0)) for oid in world.officials}
    z_wb = {wid: float(rng.normal(0.0, 1.0)) for wid in world.whistleblowers}
    for lab in racing:
        repaired[lab.id] = _grow(
            world, lab, dyn, lab.id in moves.sabotaged, lab.id in moves.sandbagged
        )
    for lab in racing:
        item = _incident(world, lab, dyn, incident_u[lab.id])
        if item is not None:
            news.append(item)
    for lab in racing:
        hidden = dyn.sandbag_effect if lab.id in moves.sandbagged else 0.0
        lab.signal, lab.signal_sd = read_signal(
            world, lab, lab.eval_rigour, dyn, z_lab[lab.id], hidden
        )
        if lab.id in moves.caught:
            lab.signal = max(lab.signal, clamp(0.4 + lab.misalignment))
    for off in world.officials.values():
        lab = world.labs[off.lab]
        if off.active:
            rigour = max(lab.eval_rigour, 0.8 * off.diligence)
            if world.states[off.state].oversight >= Oversight.EMBEDDED:
                rigour = min(1.0, rigour + EMBEDDED_RIGOUR)  # they read the evaluations first-hand
            if off.id in inspected:
                rigour = min(1.0, rigour + 0.25)
            hidden = dyn.sandbag_effect * (0.5 if off.id in inspected else 1.0)
            off.signal, off.signal_sd = read_signal(
                world,
                lab,
                rigour,
                dyn,
                z_off[off.id],
                hidden if lab.id in moves.sandbagged else 0.0,
            )
        else:
            off.signal, off.signal_sd = 0.0, 0.0
    for wb in world.whistleblowers.values():
        lab = world.labs[wb.lab]
        if wb.status == "employed":
            hidden = dyn.sandbag_effect if lab.id in moves.sandbagged else 0.0
            wb.signal, wb.signal_sd = read_signal(
                world, lab, 0.8 * lab.eval_rigour, dyn, z_wb[wb.id], hidden
            )
        else:
            wb.signal, wb.signal_sd = 0.0, 0.0
    return repaired, news
