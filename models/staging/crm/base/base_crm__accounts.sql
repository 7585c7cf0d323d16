{{ config(materialized='table') }}

with

accounts as (

    {{ source_rows('crm', 'accounts') }}

),

country_codes as (

    select * from {{ ref('country_codes') }}

),

typed as (

    select
        {{ clean_text('accounts.id') }} as crm_account_id,
        {{ clean_text('accounts.name') }} as account_name,
        {{ clean_text('accounts.website') }} as website,
        {{ domain_from_url('accounts.website') }} as website_domain,
        {{ clean_text('accounts.industry') }} as industry,
        accounts.number_of_employees as employee_count,
        accounts.annual_revenue as annual_revenue_usd,
        country_codes.country_code,
        {{ clean_text('accounts.owner_id') }} as owner_id,
        accounts.created_date as created_at,
        accounts.last_modified_date as modified_at,
        coalesce(accounts.is_deleted, false) as is_deleted,
        accounts.source_row_locator,
        accounts._loaded_at
    from accounts
    left join country_codes
        on lower(trim(accounts.billing_country)) = country_codes.country_alias

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'crm_account_id is null',
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'crm_account_id',
        order_by=['modified_at desc nulls last', '_loaded_at desc'],
        tiebreak=['is_deleted', 'account_name', 'website', 'owner_id']) }}

),

final as (

    {{ ledger_rows('numbered', 'crm_account_id', row_id_column='crm_account_row_id') }}

)

select * from final
