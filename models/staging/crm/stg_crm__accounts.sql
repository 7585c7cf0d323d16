with

base_accounts as (

    select * from {{ ref('base_crm__accounts') }}

),

final as (

    select
        crm_account_id,
        account_name,
        website,
        website_domain,
        industry,
        employee_count,
        annual_revenue_usd,
        country_code,
        owner_id,
        created_at,
        modified_at,
        is_deleted,
        _loaded_at
    from base_accounts
    where row_status = 'staged'

)

select * from final
