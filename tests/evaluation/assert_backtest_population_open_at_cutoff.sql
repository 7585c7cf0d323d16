{#- The backtest population holds only leads that existed and had no opportunity at the cut-off, and
    a label is only set by an outcome inside the label window (an early negative, a lead a rep had
    rejected as bad_fit before the cut-off, is labelled not converted whatever came later). Returns a
    row per violation. -#}

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

outcomes as (
    select * from {{ ref('int_lead_outcomes') }}
)

select
    labels.lead_id,
    labels.as_of_date,
    outcomes.first_opportunity_created_at,
    labels.is_converted
from labels
inner join outcomes
    on labels.lead_id = outcomes.lead_id
where
    labels.lead_created_at >= labels.cutoff_at
    or outcomes.first_opportunity_created_at < labels.cutoff_at
    or (
        labels.is_converted
        and not (
            outcomes.first_opportunity_created_at >= labels.cutoff_at
            and outcomes.first_opportunity_created_at < labels.label_window_end_at
        )
    )
    or (
        not labels.is_converted
        and labels.label_source = 'outcome'
        and outcomes.first_opportunity_created_at >= labels.cutoff_at
        and outcomes.first_opportunity_created_at < labels.label_window_end_at
    )
