with

base_leads as (

    select * from {{ ref('base_crm__leads') }}

),

final as (

    select
        crm_lead_id,
        first_name,
        last_name,
        email,
        email_domain,
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
        created_at,
        modified_at,
        is_deleted,
        {%- for field in crm_custom_fields() %}
        {{ field.field_name }},
        {%- endfor %}
        _loaded_at
    from base_leads
    where row_status = 'staged'

)

select * from final
