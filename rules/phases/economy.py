"""Phase 2, money and compute: investment, revenue, chips, compute.

Private investment grows each quarter by a base rate that fades over the years plus the
hype of recent progress (Stanford AI Index: US private AI investment +62% in 2024, +162%
in 2025; the base path is a stated guess, +40% a year in 2026 falling towards +15%), and
worker protection cuts it (if laid-off workers must be kept, AI is a net cost). State
funding is the state's ``subsidy`` lever, capped per state. Compute per dollar improves
with hardware (about 1.3x a year) and is cut for the follower by export controls on the
chips it imports; refusing imports (self-reliance) costs compute now and builds domestic
chip capacity for later. A lab's revenue grows with its capability and how it releases:
an API sells less the further the lab trails the best other lab, open weights sell the
same wherever they stand.
"""

from __future__ import annotations

from rules.rng import clamp
from rules.scenario import Dynamics
from rules.world import World

ADOPTION = {"api": 1.0, "open": 0.55, "none": 0.15}


def lab_revenue(
    capability: float, release: str, worker_protection: float, behind: float, dyn: Dynamics
) -> float:
    """Quarterly revenue ($B): grows with capability, cut by worker protection.

    If laid-off workers must be kept on, AI is a net cost: adoption falls. An API sells
    less the further its lab is ``behind`` the best other lab (customers buy the best
    model they can reach), down to what an unreleased model earns at ``api_gap_scale``
    points; open weights are adopted for their price and control wherever they stand.
    """
    scale = (max(capability, 0.0) / dyn.asi_threshold) ** 1.5
    adoption = ADOPTION[release]
    if release == "api":
        adoption = max(ADOPTION["none"], 1.0 - max(behind, 0.0) / dyn.api_gap_scale)
    return (
        float(dyn.revenue_scale * scale) * adoption * (1 - dyn.wp_revenue_cut * worker_protection)
    )


def chip_access(world: World, sid: str, dyn: Dynamics) -> float:
    """Compute per $ relative to a free market: domestic chips plus imports left by controls."""
    s = world.states[sid]
    controls = world.states[world.rival_of(sid)].export_controls
    d = s.domestic_chips
    imports = (1 - d) * (1 - s.self_reliance) * (1 - controls * dyn.control_effect)
    home = dyn.domestic_chip_efficiency if s.regime == "one_party" or d < 1 else 1.0
    return d * home + imports


def economy_phase(world: World, dyn: Dynamics) -> None:
    """Fund each lab and turn funding into compute; grow private investment and domestic chips."""
    hardware = (1 + dyn.hardware_growth) ** world.turn
    base_growth = dyn.invest_growth * dyn.invest_growth_decay**world.turn
    racing = world.active_labs()
    for sid, s in world.states.items():
        labs = world.labs_of(sid)
        if not labs:
            continue
        rel_gain = sum(lab.last_gain / max(lab.capability, 1.0) for lab in labs) / len(labs)
        private = (
            s.private_investment
            * (1 - dyn.wp_investment_cut * s.worker_protection)
            * (1 - dyn.share_investment_cut * max(0.0, 2 * s.distribution_share - 1))
        )
        gov = s.subsidy
        if s.nationalised:
            private, gov = private * 0.3, gov * 1.5
        total_cap = sum(max(lab.capability, 1.0) for lab in labs)
        access = chip_access(world, sid, dyn)
        jobs = 0.0
        for lab in labs:
            share = max(lab.capability, 1.0) / total_cap
            best = max((o.capability for o in racing if o.id != lab.id), default=0.0)
            lab.revenue = lab_revenue(
                lab.capability, lab.release, s.worker_protection, best - lab.capability, dyn
            )
            lab.funding = share * (private + gov) + dyn.reinvest * lab.revenue
            if lab.lobbying:
                lab.funding *= 0.98
            new = lab.funding * dyn.compute_per_billion * hardware * access
            lab.compute = lab.compute * (1 - dyn.compute_depreciation) + new
            jobs += lab.revenue / max(dyn.revenue_scale, 1e-9) * (1 - s.worker_protection)
        s.job_losses = jobs
        growth = max(-0.2, base_growth + dyn.hype * rel_gain)
        s.private_investment = s.private_investment * (1 + growth)
        s.domestic_chips = clamp(
            s.domestic_chips + dyn.self_reliance_build * s.self_reliance * (1 - s.domestic_chips)
        )
