{{ config(materialized='table') }}

{#- One row per (lead, scoring date) for the leads that existed as of that date (first CRM record
    created before the cut-off): the grain of every feature family model. -#}

with

leads as (
    select * from {{ ref('int_leads_deduplicated') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

final as (
    select
        leads.lead_id,
        scoring_dates.as_of_date,
        scoring_dates.cutoff_at,
        scoring_dates.window_30d_start_at,
        leads.created_at as lead_created_at
    from leads
    inner join scoring_dates
        on leads.created_at < scoring_dates.cutoff_at
)

select * from final
