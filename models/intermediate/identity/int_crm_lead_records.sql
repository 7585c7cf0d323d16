{{ config(materialized='table') }}

{#- The CRM lead records that make leads: live (not soft-deleted) records with a valid email, each
    with the canonical lead_id it belongs to (keyed hash of the normalised email, macro
    lead_id_hash). One row per CRM record; int_leads_deduplicated rolls them up per person,
    int_lead_crm_profiles picks one per scoring date. -#}

with

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

final as (
    select
        crm_lead_id,
        {{ lead_id_hash(normalize_email('email')) }} as lead_id,
        {{ normalize_email('email') }} as email,
        first_name,
        last_name,
        phone,
        company,
        title,
        industry,
        employee_count,
        annual_revenue_usd,
        country_code,
        lead_source,
        lead_status,
        owner_id,
        social_handle,
        coalesce(created_at, modified_at) as created_at,
        {%- for field in crm_custom_fields() %}
        {{ field.field_name }},
        {%- endfor %}
        modified_at
    from crm_leads
    where
        not coalesce(is_deleted, false)
        and {{ is_valid_email(normalize_email('email')) }}
)

select * from final
