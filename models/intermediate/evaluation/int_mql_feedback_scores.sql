{{ config(materialized='table') }}

{#- Each lead sales dispositioned in the evaluation_feedback_window_days (default 90) days
    before the as-of date (its standing disposition, int_lead_mql_dispositions.is_latest) scored
    by every active rule set as of the as-of date (int_lead_scores_by_date): how each rule set
    judges, with everything known today, the leads sales has judged. Only recent dispositions:
    features and scores exist for the as-of date (and the backtest cut-offs) only, and engagement
    decays, so a lead dispositioned a year ago would be judged on what is left of its score
    today. One row per (lead, rule set). -#}

{%- set window_days = evaluation_setting('evaluation_feedback_window_days') | int %}

with

dispositions as (
    select * from {{ ref('int_lead_mql_dispositions') }}
),

scores as (
    select * from {{ ref('int_lead_scores_by_date') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

current_date_row as (
    select scoring_dates.cutoff_at
    from scoring_dates
    where scoring_dates.is_current_as_of_date
),

current_scores as (
    select scores.*
    from scores
    inner join scoring_dates
        on scores.as_of_date = scoring_dates.as_of_date
    where scoring_dates.is_current_as_of_date
),

final as (
    select
        dispositions.lead_id,
        current_scores.rule_set_version,
        current_scores.as_of_date,
        dispositions.mql_feedback_id,
        dispositions.disposition,
        dispositions.disposition_reason,
        dispositions.disposed_at,
        dispositions.is_accepted,
        current_scores.total_score,
        current_scores.mql_threshold,
        current_scores.is_mql
    from dispositions
    cross join current_date_row
    inner join current_scores
        on dispositions.lead_id = current_scores.lead_id
    where
        dispositions.is_latest
        and dispositions.disposed_at
        >= {{ dbt.dateadd('day', -window_days, 'current_date_row.cutoff_at') }}
)

select * from final
