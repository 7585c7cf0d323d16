{{ config(materialized='table') }}

{#- Outcomes of each lead from CRM opportunities only (never from generator truth): the first
    opportunity and the first won deal, known as of the run's as-of date, for the leads created before
    it. An opportunity belongs to the lead of its crm_lead_id, or else of its contact email (identity
    map). -#}

with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

leads as (
    select * from {{ ref('int_leads_deduplicated') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

current_cutoff as (
    select scoring_dates.cutoff_at
    from scoring_dates
    where scoring_dates.is_current_as_of_date
),

live_opportunities as (
    select
        opportunities.crm_opportunity_id,
        opportunities.crm_lead_id,
        opportunities.contact_email,
        opportunities.created_at,
        opportunities.is_won and opportunities.is_closed as is_won,
        cast(opportunities.close_date as {{ dbt.type_timestamp() }}) as closed_at
    from opportunities
    cross join current_cutoff
    where
        not opportunities.is_deleted
        and opportunities.created_at < current_cutoff.cutoff_at
),

attributed as (
    select
        live_opportunities.crm_opportunity_id,
        coalesce(by_crm_id.lead_id, by_email.lead_id) as lead_id,
        live_opportunities.created_at,
        case
            when
                live_opportunities.is_won
                and live_opportunities.closed_at < current_cutoff.cutoff_at
                then live_opportunities.closed_at
        end as won_at
    from live_opportunities
    cross join current_cutoff
    left join identity_map as by_crm_id
        on
            by_crm_id.identifier_type = 'crm_lead_id'
            and live_opportunities.crm_lead_id = by_crm_id.identifier_value
    left join identity_map as by_email
        on
            by_email.identifier_type = 'email'
            and live_opportunities.contact_email = by_email.identifier_value
),

per_lead as (
    select
        attributed.lead_id,
        count(*) as opportunity_count,
        min(attributed.created_at) as first_opportunity_created_at,
        min(attributed.won_at) as first_won_at
    from attributed
    where attributed.lead_id is not null
    group by attributed.lead_id
),

final as (
    select
        leads.lead_id,
        coalesce(per_lead.opportunity_count, 0) as opportunity_count,
        per_lead.first_opportunity_created_at,
        per_lead.first_won_at,
        per_lead.first_opportunity_created_at is not null as has_opportunity,
        per_lead.first_won_at is not null as is_won
    from leads
    -- the leads that existed on the as-of date (created before its cut-off), as in dim_leads
    inner join current_cutoff
        on leads.created_at < current_cutoff.cutoff_at
    left join per_lead
        on leads.lead_id = per_lead.lead_id
)

select * from final
