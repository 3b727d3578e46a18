"""World-wide rates: every number the phases use, with its unit and where it comes from.

Units: capability and alignment in points (a lab builds ASI at ``asi_threshold``; it
automates AI research at ``automation_threshold``), money in $B per quarter, compute in
units of about 100k H100-equivalents, shares and probabilities in [0, 1], time in
quarters. Each field's description says what it is; ``docs/model.md`` gives the equation
it enters and its source (or the reason for a value where no source exists), and
``rules/scenarios/baseline.toml`` repeats the source beside every calibrated value.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Dynamics(BaseModel):
    """World-wide rates (see ``docs/model.md`` for each equation and its source)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- capability and takeoff ------------------------------------------------------------
    asi_threshold: float = Field(
        100.0, gt=0, description="Capability at which a lab builds a superintelligence."
    )
    automation_threshold: float = Field(
        70.0,
        gt=0,
        description="Capability at which a lab's AI automates AI research (AI 2027's superhuman coder).",
    )
    rd_efficiency: float = Field(
        0.2,
        ge=0,
        description="Capability points per (compute units ** compute_exponent) per quarter, unassisted.",
    )
    compute_exponent: float = Field(
        0.5, gt=0, le=1, description="Returns to research compute (diminishing below 1)."
    )
    assist_multiplier: float = Field(
        5.0,
        ge=1,
        description="Research speed multiplier at the automation threshold (AI 2027: 5x at SC).",
    )
    takeoff_growth_slow: float = Field(
        2.0,
        gt=0,
        description="Growth of the multiplier from automation to ASI with the slowest takeoff die.",
    )
    takeoff_growth_fast: float = Field(
        400.0,
        gt=0,
        description="Same with the fastest die (AI 2027: 5x at SC to 2,000x at ASI).",
    )
    capability_step_cap: float = Field(
        40.0, gt=0, description="Most capability a lab can add in one quarter (one training run)."
    )
    # --- money and compute -----------------------------------------------------------------
    invest_growth: float = Field(
        0.088,
        ge=-0.5,
        le=1,
        description="Quarterly growth of private investment in 2026 (about +40% a year).",
    )
    invest_growth_decay: float = Field(
        0.965,
        ge=0,
        le=1,
        description="Each quarter that growth is multiplied by this (to about +15% a year by 2032).",
    )
    hype: float = Field(
        0.5, ge=0, description="Extra investment growth per unit of relative capability growth."
    )
    compute_per_billion: float = Field(
        0.3, gt=0, description="Compute units bought per $B at 2026 prices."
    )
    hardware_growth: float = Field(
        0.07,
        ge=0,
        le=0.5,
        description="Quarterly gain in compute per $ (about 1.3x a year).",
    )
    compute_depreciation: float = Field(
        0.08, ge=0, le=1, description="Share of compute that ages out each quarter."
    )
    revenue_scale: float = Field(
        20.0, ge=0, description="Quarterly revenue ($B) of a lab at the threshold with an API."
    )
    api_gap_scale: float = Field(
        20.0,
        gt=0,
        description="Points behind the best other lab at which a lab's API sells no more than an unreleased model's (0.15 of a leader's); open weights sell the same wherever they stand.",
    )
    reinvest: float = Field(
        0.5, ge=0, le=1, description="Share of a lab's revenue that buys compute."
    )
    wp_revenue_cut: float = Field(
        0.6, ge=0, le=1, description="Revenue lost at full worker protection (AI as a net cost)."
    )
    wp_investment_cut: float = Field(
        0.5, ge=0, le=1, description="Private investment lost at full worker protection."
    )
    share_investment_cut: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Private investment lost when a state commits to share all of a corrigible ASI's abundance.",
    )
    domestic_chip_efficiency: float = Field(
        0.6,
        gt=0,
        le=1,
        description="Compute per $ of the follower's domestic chips relative to imported ones.",
    )
    self_reliance_build: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Share of the remaining chip supply made at home gained per quarter at full self-reliance.",
    )
    control_effect: float = Field(
        0.7, ge=0, le=1, description="Share of imported chips full export controls stop."
    )
    # --- distillation: the tow truck ------------------------------------------------------
    distill_rate: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of its gap to the leader's released model a distiller closes per quarter (open weights).",
    )
    distill_compute_share: float = Field(
        0.3,
        gt=0,
        le=1,
        description="Share of the leader's compute a distiller needs to distil at full speed.",
    )
    distill_api_reach: float = Field(
        0.7,
        ge=0,
        le=1,
        description="How much of that an API (rather than open weights) lets through.",
    )
    # --- alignment, misalignment, deception, evaluations ----------------------------------
    safety_efficiency: float = Field(
        0.3,
        ge=0,
        description="Alignment points per (compute ** compute_exponent * safety_share ** safety_returns) per quarter.",
    )
    safety_returns: float = Field(
        0.6,
        gt=0,
        le=1,
        description="Returns to the share of a lab's effort on safety (alignment grows with share ** this).",
    )
    alignment_speedup: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Exponent of the research multiplier that alignment research enjoys.",
    )
    alignment_need_easy: float = Field(
        0.2, ge=0, description="Alignment needed per capability point at difficulty 0."
    )
    alignment_need_hard: float = Field(
        0.9, ge=0, description="Alignment needed per capability point at difficulty 1."
    )
    misalignment_drift: float = Field(
        0.1,
        ge=0,
        description="Misalignment added per 10 capability points gained with no alignment coverage.",
    )
    repair_rate: float = Field(
        1.5,
        ge=0,
        description="Share of misalignment removed per unit of (alignment gained / alignment needed).",
    )
    pause_safety_share: float = Field(
        0.8, ge=0, le=1, description="Share of compute a paused lab turns to alignment research."
    )
    pause_focus: float = Field(
        3.0,
        ge=1,
        description="How much more misalignment alignment research repairs while a lab is paused (it works on the frozen model, not a moving target).",
    )
    deception_growth: float = Field(
        0.05, ge=0, description="Deception added per 10 capability points, times misalignment."
    )
    deception_rogue: float = Field(
        1.0,
        ge=0,
        le=2,
        description="How much deception raises P(rogue) at the threshold: factor 1 + this * (deception - 0.5).",
    )
    censorship_deception: bool = Field(
        False,
        description="Scenario switch: censorship training breeds deception (the essay finds no evidence for it).",
    )
    censorship_deception_rate: float = Field(
        0.04,
        ge=0,
        description="Extra deception per quarter for censorship-trained labs when the switch is on.",
    )
    signal_noise: float = Field(
        0.12, ge=0, description="Standard deviation of an evaluation signal at zero rigour."
    )
    incident_rate: float = Field(
        0.5,
        ge=0,
        le=5,
        description="Chance of a warning shot per quarter at misalignment 1 and the threshold's capability.",
    )
    # --- brakes and voice -----------------------------------------------------------------
    troublemaker_penalty: float = Field(
        1.0,
        ge=0,
        description="Multiplies every official's career pressure (the 'troublemaker' label).",
    )
    party_fear_relief: float = Field(
        0.6,
        ge=0,
        le=1,
        description="How far the Party's fear of AI lowers the cost of braking for its officials.",
    )
    brake_turns: int = Field(2, ge=1, le=8, description="Quarters a brake pauses a lab.")
    pause_leak: float = Field(
        0.15, ge=0, le=1, description="Share of capability progress that continues during a pause."
    )
    false_alarm_level: float = Field(
        0.12,
        ge=0,
        le=1,
        description="A brake on a lab with less misalignment than this is a false alarm.",
    )
    internal_fix: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share of misalignment fixed when a lab acts on an internal warning.",
    )
    leak_concern_democracy: float = Field(
        0.22, ge=0, description="Concern added by a public leak in a democracy."
    )
    leak_concern_one_party: float = Field(
        0.03, ge=0, description="Concern added by a (censored) leak in the one-party state."
    )
    # --- politics ---------------------------------------------------------------------------
    concern_decay: float = Field(
        0.06,
        ge=0,
        le=1,
        description="Share of public concern above its floor that fades each quarter.",
    )
    job_loss_concern: float = Field(0.05, ge=0, description="Concern added per unit of job losses.")
    scandal_threshold: float = Field(
        0.55,
        ge=0,
        le=1,
        description="Concern above which a leak forms an oversight committee (AI 2027).",
    )
    election_threshold: float = Field(
        0.5, ge=0, le=1, description="Concern above which an election turns into oversight."
    )
    overreach_cost: float = Field(
        0.02,
        ge=0,
        le=1,
        description="Stability a democracy loses a quarter per oversight level beyond what public concern supports.",
    )
    mandate_committee: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Public concern at which a democracy's public supports an oversight committee (embedded officials need election_threshold).",
    )
    party_fear_threshold: float = Field(
        0.5, ge=0, le=1, description="Fear of usurpation above which the Party embeds officials."
    )
    race_pressure: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Hawkishness a state gains when the race looks close (its own estimate).",
    )
    hawk_adjust: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Share of the way hawkishness moves to its target each quarter.",
    )
    # --- treaties ---------------------------------------------------------------------------
    treaty_floor: float = Field(
        0.25, ge=0, le=0.5, description="Safety share a safety-floor treaty imposes."
    )
    pause_treaty_quarters: int = Field(
        4, ge=1, le=40, description="Quarters a mutual pause lasts before it must be renewed."
    )
    proposal_quarters: int = Field(
        2, ge=1, le=8, description="Quarters a treaty proposal stands before it lapses."
    )
    secret_training_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of normal progress a lab makes training in secret under a pause treaty.",
    )
    treaty_detection: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Chance per quarter that full verification catches secret training.",
    )
    intel_detection: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Chance per quarter that intelligence catches secret training without inspections.",
    )
    intel_noise: float = Field(
        0.12, ge=0, description="Relative noise of a state's estimate of a rival lab."
    )
    # --- scores -----------------------------------------------------------------------------
    state_unresolved_scale: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Share of its score a state keeps while no ASI is built: the race is unresolved and its prize not had (a state's corrigible ASI is not scaled).",
    )
    # --- the AIs ----------------------------------------------------------------------------
    sandbag_effect: float = Field(
        0.6, ge=0, le=1, description="Share of the visible risk a sandbagged evaluation hides."
    )
    sabotage_effect: float = Field(
        0.5, ge=0, le=1, description="Share of a quarter's alignment gain a sabotaging AI destroys."
    )
    manipulate_effect: float = Field(
        0.03, ge=0, le=0.5, description="Safety share an AI talks its lab out of in a quarter."
    )
    catch_rate: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Chance a secret action is caught at full vigilance (sandbagging audits: 1-2 of 5).",
    )
    caught_repair: float = Field(
        0.25, ge=0, le=1, description="Share of misalignment fixed when an AI is caught."
    )
    exfiltration_odds: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Chance an exfiltration attempt succeeds against a lab with no security, at the ASI threshold (it scales with capability above automation and halves with each catch).",
    )
