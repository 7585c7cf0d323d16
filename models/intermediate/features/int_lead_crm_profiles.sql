{{ config(materialized='table') }}

{#- The lead's CRM profile as of each scoring date: the attributes of its most recently modified
    live CRM record among those created before the cut-off, so a duplicate record created later does
    not change a past date's features, with the number of such records. The CRM export keeps only each
    record's latest version, so edits made after the date to a record that already existed (its status,
    owner) do show (a known limit). -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

crm_lead_records as (
    select * from {{ ref('int_crm_lead_records') }}
),

records_as_of as (
    select
        spine.lead_id,
        spine.as_of_date,
        crm_lead_records.crm_lead_id,
        crm_lead_records.email,
        crm_lead_records.first_name,
        crm_lead_records.last_name,
        crm_lead_records.phone,
        crm_lead_records.company,
        crm_lead_records.title,
        crm_lead_records.industry,
        crm_lead_records.employee_count,
        crm_lead_records.annual_revenue_usd,
        crm_lead_records.country_code,
        crm_lead_records.lead_source,
        crm_lead_records.lead_status,
        crm_lead_records.owner_id,
        {%- for field in crm_custom_fields() %}
        crm_lead_records.{{ field.field_name }},
        {%- endfor %}
        count(*) over (partition by spine.lead_id, spine.as_of_date) as crm_record_count,
        row_number() over (
            partition by spine.lead_id, spine.as_of_date
            order by
                crm_lead_records.modified_at desc nulls last,
                crm_lead_records.created_at desc,
                crm_lead_records.crm_lead_id desc
        ) as recency_rank
    from spine
    inner join crm_lead_records
        on
            spine.lead_id = crm_lead_records.lead_id
            and spine.cutoff_at > crm_lead_records.created_at
),

final as (
    select
        lead_id,
        as_of_date,
        crm_lead_id,
        email,
        {{ dbt.split_part('email', "'@'", 2) }} as email_domain,
        first_name,
        last_name,
        phone,
        company,
        title,
        industry,
        employee_count,
        annual_revenue_usd,
        country_code,
        {%- for field in crm_custom_fields() %}
        {{ field.field_name }},
        {%- endfor %}
        lead_source,
        lead_status,
        owner_id,
        crm_record_count
    from records_as_of
    where recency_rank = 1
)

select * from final
