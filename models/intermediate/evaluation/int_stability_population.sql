{{ config(materialized='table') }}

{#- The two populations whose distributions rpt_score_stability compares, one row per lead and
    population: 'baseline', the backtest population of the training cut-off (the int_backtest_labels
    rows of the cut-off whose role is train or train_and_holdout, both samples), and 'current', the
    same rule applied to the run's as-of date: leads created at most
    evaluation_population_max_age_days before it without an opportunity by it. Empty without a
    training cut-off (nothing to compare with). -#}

{%- set max_age_days = evaluation_setting('evaluation_population_max_age_days') | int %}

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

cutoffs as (
    select * from {{ ref('int_backtest_cutoffs') }}
),

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

outcomes as (
    select * from {{ ref('int_lead_outcomes') }}
),

training_cutoff as (
    select cutoffs.as_of_date
    from cutoffs
    where cutoffs.cutoff_role in ('train', 'train_and_holdout')
),

baseline as (
    select
        labels.lead_id,
        labels.as_of_date,
        'baseline' as population
    from labels
    inner join training_cutoff
        on labels.as_of_date = training_cutoff.as_of_date
),

current_population as (
    select
        spine.lead_id,
        spine.as_of_date,
        'current' as population
    from spine
    inner join scoring_dates
        on spine.as_of_date = scoring_dates.as_of_date
    cross join training_cutoff
    left join outcomes
        on spine.lead_id = outcomes.lead_id
    where
        scoring_dates.is_current_as_of_date
        and {{ dbt.datediff('spine.lead_created_at', 'spine.as_of_date', 'day') }}
        <= {{ max_age_days }}
        and (
            outcomes.first_opportunity_created_at is null
            or outcomes.first_opportunity_created_at >= scoring_dates.cutoff_at
        )
),

final as (
    select * from baseline
    union all
    select * from current_population
)

select * from final
