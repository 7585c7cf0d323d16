{{ config(materialized='table') }}

{#- The backtest population and its labels, one row per (lead, cut-off): leads created at most
    evaluation_population_max_age_days before a cut-off that had no opportunity by it (open leads;
    older ones are left out, as they would only add easy negatives), labelled with what happened
    in the label window after the cut-off. Only cut-offs whose label window is complete. Each row
    is in the 'train' sample (weights are fitted on it) or the 'holdout' sample (quality is
    measured on it): by cut-off for a time split, by a hash of the lead id for a single cut-off.
    Sales feedback (var evaluation_feedback_early_negatives, default true): a row whose lead a rep had
    rejected as bad_fit before its cut-off (the disposition standing at the cut-off, see
    int_lead_mql_dispositions) is an early negative: labelled not converted at once, without waiting
    for its label window, and a 'train' row (its outcome was known, so it is learned from, not measured
    on), for the cut-offs up to the first held-out one: the learned weights are taken as fitted then,
    and are measured on that cut-off and later ones, so the fit uses only what was known when they
    are measured. label_source says which rows they are. -#}

{%- set max_age_days = evaluation_setting('evaluation_population_max_age_days') | int %}
{%- set holdout_share = evaluation_setting('evaluation_holdout_share') | float %}
{%- set holdout_buckets = (holdout_share * 10000) | round | int %}
{%- set early_negatives = evaluation_setting('evaluation_feedback_early_negatives') %}
{%- if early_negatives is string %}
    {%- set early_negatives = early_negatives | lower in ['true', '1', 'yes'] %}
{%- endif %}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

cutoffs as (
    select * from {{ ref('int_backtest_cutoffs') }}
),

outcomes as (
    select * from {{ ref('int_lead_outcomes') }}
),

fit_features as (
    select * from {{ ref('int_lead_features_fit') }}
),

dispositions as (
    select * from {{ ref('int_lead_mql_dispositions') }}
),

population as (
    select
        spine.lead_id,
        spine.as_of_date,
        cutoffs.cutoff_at,
        cutoffs.label_window_end_at,
        cutoffs.split_method,
        cutoffs.cutoff_role,
        spine.lead_created_at,
        {{ dbt.datediff('spine.lead_created_at', 'spine.as_of_date', 'day') }} as lead_age_days, -- noqa: LT05
        outcomes.first_opportunity_created_at,
        outcomes.first_won_at
    from spine
    inner join cutoffs
        on spine.as_of_date = cutoffs.as_of_date
    left join outcomes
        on spine.lead_id = outcomes.lead_id
    where
        cutoffs.is_usable
        and {{ dbt.datediff('spine.lead_created_at', 'spine.as_of_date', 'day') }}
        <= {{ max_age_days }}
        and (
            outcomes.first_opportunity_created_at is null
            or outcomes.first_opportunity_created_at >= cutoffs.cutoff_at
        )
),

training_horizon as (
    -- when the learned weights are fitted: the first cut-off they are measured at
    select min(cutoffs.cutoff_at) as fitted_at
    from cutoffs
    where cutoffs.cutoff_role in ('holdout', 'train_and_holdout')
),

early_negatives as (
    select distinct
        population.lead_id,
        population.as_of_date
    from population
    cross join training_horizon
    inner join dispositions
        on population.lead_id = dispositions.lead_id
    where
        {{ 'true' if early_negatives else 'false' }}
        and dispositions.disposition_reason = 'bad_fit'
        and dispositions.disposed_at < population.cutoff_at
        and (
            dispositions.superseded_at is null
            or dispositions.superseded_at >= population.cutoff_at
        )
        and population.cutoff_at <= training_horizon.fitted_at
),

final as (
    select
        population.lead_id,
        population.as_of_date,
        case
            when early_negatives.lead_id is not null then 'train'
            when population.split_method = 'time' then population.cutoff_role
            when
                {{ hash_bucket(dbt.concat(["'holdout:'", 'population.lead_id']), 10000) }}
                < {{ holdout_buckets }}
                then 'holdout'
            else 'train'
        end as sample, -- noqa: RF04
        population.split_method,
        coalesce(fit_features.fit_persona, 'unknown') as persona,
        population.lead_created_at,
        population.lead_age_days,
        population.cutoff_at,
        population.label_window_end_at,
        case
            when early_negatives.lead_id is not null then false
            else coalesce(
                population.first_opportunity_created_at < population.label_window_end_at, false
            )
        end as is_converted,
        case
            when early_negatives.lead_id is not null then false
            else coalesce(
                population.first_won_at >= population.cutoff_at
                and population.first_won_at < population.label_window_end_at,
                false
            )
        end as is_won,
        case
            when early_negatives.lead_id is not null then 'early_negative' else 'outcome'
        end as label_source
    from population
    left join early_negatives
        on
            population.lead_id = early_negatives.lead_id
            and population.as_of_date = early_negatives.as_of_date
    left join fit_features
        on
            population.lead_id = fit_features.lead_id
            and population.as_of_date = fit_features.as_of_date
)

select * from final
