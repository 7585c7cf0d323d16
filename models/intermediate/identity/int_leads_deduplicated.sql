{{ config(materialized='table') }}

{#- One row per person: the live CRM records that share a normalised email (int_crm_lead_records)
    are one lead. CRM is the lead master: people known only from forms, identifies or product
    sign-ups are not leads until a CRM record exists for them. -#}

with

crm_lead_records as (
    select * from {{ ref('int_crm_lead_records') }}
),

ranked_records as (
    select
        crm_lead_records.*,
        row_number() over (
            partition by crm_lead_records.lead_id
            order by
                crm_lead_records.modified_at desc nulls last,
                crm_lead_records.created_at desc nulls last,
                crm_lead_records.crm_lead_id desc
        ) as recency_rank,
        row_number() over (
            partition by crm_lead_records.lead_id
            order by crm_lead_records.created_at asc nulls last, crm_lead_records.crm_lead_id asc
        ) as creation_rank
    from crm_lead_records
),

record_rollup as (
    select
        lead_id,
        count(*) as crm_record_count,
        min(created_at) as created_at,
        max(modified_at) as modified_at,
        max(case when creation_rank = 1 then crm_lead_id end) as primary_crm_lead_id
    from ranked_records
    group by lead_id
),

final as (
    select
        latest.lead_id,
        record_rollup.primary_crm_lead_id,
        latest.crm_lead_id as latest_crm_lead_id,
        record_rollup.crm_record_count,
        latest.email,
        {{ dbt.split_part('latest.email', "'@'", 2) }} as email_domain,
        latest.first_name,
        latest.last_name,
        latest.phone,
        latest.company,
        latest.title,
        latest.industry,
        latest.employee_count,
        latest.annual_revenue_usd,
        latest.country_code,
        latest.lead_source,
        latest.lead_status,
        latest.owner_id,
        latest.social_handle,
        record_rollup.created_at,
        {%- for field in crm_custom_fields() %}
        latest.{{ field.field_name }},
        {%- endfor %}
        record_rollup.modified_at
    from ranked_records as latest
    inner join record_rollup
        on latest.lead_id = record_rollup.lead_id
    where latest.recency_rank = 1
)

select * from final
