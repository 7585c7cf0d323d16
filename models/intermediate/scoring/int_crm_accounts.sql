{{ config(materialized='table') }}

{#- The CRM accounts live on the as-of date (created before its cut-off, not soft-deleted), with
    what the account scores need: the keys leads are matched on (website domain, company-name key),
    the firmographics (industry lower case, region, segment) and the owner. An account's
    firmographics are its latest version: the CRM keeps no history of accounts (unlike leads,
    stg_crm__lead_versions). -#}

with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
    where is_current_as_of_date
),

final as (
    select
        accounts.crm_account_id,
        scoring_dates.as_of_date,
        accounts.account_name,
        {{ company_name_key('accounts.account_name') }} as company_name_key,
        nullif(lower(trim(accounts.website_domain)), '') as website_domain,
        coalesce(nullif(lower(trim(accounts.industry)), ''), 'unknown') as industry,
        accounts.employee_count,
        accounts.annual_revenue_usd,
        coalesce(accounts.country_code, 'unknown') as country_code,
        {{ country_region('accounts.country_code') }} as region,
        {{ company_segment('accounts.employee_count') }} as segment,
        accounts.owner_id,
        accounts.created_at
    from accounts
    inner join scoring_dates
        on coalesce(accounts.created_at, accounts.modified_at) < scoring_dates.cutoff_at
    where not accounts.is_deleted
)

select * from final
