{{ config(materialized='table') }}

{#- The CRM custom fields of seed crm_custom_fields, checked against the raw table's columns. -#}
{%- set custom_fields = crm_custom_fields(check_relation=source_table_relation('crm', 'leads')) -%}

with

leads as (

    {{ source_rows('crm', 'leads') }}

),

country_codes as (

    select * from {{ ref('country_codes') }}

),

typed as (

    select
        {{ clean_text('leads.id') }} as crm_lead_id,
        {{ clean_text('leads.first_name') }} as first_name,
        {{ clean_text('leads.last_name') }} as last_name,
        {{ normalize_email('leads.email') }} as email,
        {{ dbt.split_part(normalize_email('leads.email'), "'@'", 2) }} as email_domain,
        {{ normalize_phone('leads.phone') }} as phone,
        {{ clean_text('leads.company') }} as company,
        {{ clean_text('leads.title') }} as title,
        {{ clean_text('leads.industry') }} as industry,
        leads.number_of_employees as employee_count,
        leads.annual_revenue as annual_revenue_usd,
        country_codes.country_code,
        {{ clean_text('leads.lead_source') }} as lead_source,
        {{ clean_text('leads.status') }} as lead_status,
        {{ clean_text('leads.owner_id') }} as owner_id,
        {{ normalize_handle('leads.social_handle') }} as social_handle,
        leads.created_date as created_at,
        leads.last_modified_date as modified_at,
        coalesce(leads.is_deleted, false) as is_deleted,
        {%- for field in custom_fields %}
        {{ crm_custom_field_value(field, 'leads') }} as {{ field.field_name }},
        {%- endfor %}
        leads.source_row_locator,
        leads._loaded_at
    from leads
    left join country_codes
        on lower(trim(leads.country)) = country_codes.country_alias

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'crm_lead_id is null',
            'invalid_email': 'not ' ~ is_valid_email('email'),
            'missing_email': 'email is null',
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'crm_lead_id',
        order_by=['modified_at desc nulls last', '_loaded_at desc'],
        tiebreak=['is_deleted', 'email', 'first_name', 'last_name', 'company', 'title', 'lead_status']) }}

),

final as (

    {{ ledger_rows('numbered', 'crm_lead_id', row_id_column='crm_lead_row_id',
        undocumented=custom_fields | map(attribute='field_name') | list) }}

)

select * from final
