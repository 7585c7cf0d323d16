{{ config(materialized='table') }}

{#- The CRM account each lead belongs to on the as-of date (leads with none have no row), by the
    first match of:
    1. opportunity: the lead's CRM record was converted into an opportunity of the account (created
       before the cut-off; the latest one when several);
    2. email_domain: the lead's email domain is a business domain (not free mail, disposable,
       competitor or internal: seed email_domains) equal to the account's website domain;
    3. company_name: the lead's company (CRM, as of the date) has the account's company-name key (macro
       company_name_key), for business and free-mail addresses only (a competitor's or a disposable
       address naming a customer's company is not taken at its word).
    A domain or name shared by several live accounts matches none of them (ambiguous). -#}

with

profiles as (
    select * from {{ ref('int_lead_crm_profiles') }}
    where as_of_date = {{ as_of_date() }}
),

fit as (
    select * from {{ ref('int_lead_features_fit') }}
    where as_of_date = {{ as_of_date() }}
),

accounts as (
    select * from {{ ref('int_crm_accounts') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

crm_lead_records as (
    select * from {{ ref('int_crm_lead_records') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
    where is_current_as_of_date
),

unique_domains as (
    select
        accounts.website_domain,
        min(accounts.crm_account_id) as crm_account_id
    from accounts
    where accounts.website_domain is not null
    group by accounts.website_domain
    having count(*) = 1
),

unique_names as (
    select
        accounts.company_name_key,
        min(accounts.crm_account_id) as crm_account_id
    from accounts
    where accounts.company_name_key is not null
    group by accounts.company_name_key
    having count(*) = 1
),

opportunity_links as (
    select
        crm_lead_records.lead_id,
        opportunities.crm_account_id,
        row_number() over (
            partition by crm_lead_records.lead_id
            order by opportunities.created_at desc, opportunities.crm_opportunity_id desc
        ) as opportunity_rank
    from opportunities
    inner join scoring_dates
        on opportunities.created_at < scoring_dates.cutoff_at
    inner join crm_lead_records
        on opportunities.crm_lead_id = crm_lead_records.crm_lead_id
    inner join accounts
        on opportunities.crm_account_id = accounts.crm_account_id
    where not opportunities.is_deleted
),

candidates as (
    select
        profiles.lead_id,
        profiles.as_of_date,
        opportunity_links.crm_account_id as opportunity_account_id,
        case
            when fit.fit_email_domain_type = 'business' then unique_domains.crm_account_id
        end as domain_account_id,
        case
            when fit.fit_email_domain_type in ('business', 'free_mail')
                then unique_names.crm_account_id
        end as name_account_id
    from profiles
    inner join fit
        on profiles.lead_id = fit.lead_id
    left join opportunity_links
        on
            profiles.lead_id = opportunity_links.lead_id
            and opportunity_links.opportunity_rank = 1
    left join unique_domains
        on lower(profiles.email_domain) = unique_domains.website_domain
    left join unique_names
        on {{ company_name_key('profiles.company') }} = unique_names.company_name_key
),

final as (
    select
        candidates.lead_id,
        candidates.as_of_date,
        coalesce(
            candidates.opportunity_account_id,
            candidates.domain_account_id,
            candidates.name_account_id
        ) as crm_account_id,
        case
            when candidates.opportunity_account_id is not null then 'opportunity'
            when candidates.domain_account_id is not null then 'email_domain'
            else 'company_name'
        end as match_method
    from candidates
    where
        coalesce(
            candidates.opportunity_account_id,
            candidates.domain_account_id,
            candidates.name_account_id
        ) is not null
)

select * from final
