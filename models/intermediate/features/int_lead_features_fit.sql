{{ config(materialized='table') }}

{#- Fit (who the lead is), one row per (lead, scoring date), from the lead's CRM profile as of the
    date (int_lead_crm_profiles). -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

profiles as (
    select * from {{ ref('int_lead_crm_profiles') }}
),

job_title_personas as (
    select * from {{ ref('job_title_personas') }}
),

email_domains as (
    select * from {{ ref('email_domains') }}
),

distinct_titles as (
    select distinct
        title,
        {{ text_for_matching('title') }} as title_key
    from profiles
    where
        title is not null
        and trim(title) != ''
),

title_matches as (
    select
        distinct_titles.title,
        job_title_personas.attribute,
        job_title_personas.attribute_value,
        row_number() over (
            partition by distinct_titles.title, job_title_personas.attribute
            order by job_title_personas.match_priority, job_title_personas.attribute_value
        ) as match_rank
    from distinct_titles
    inner join job_title_personas
        on distinct_titles.title_key like job_title_personas.title_pattern
),

title_attributes as (
    select
        title,
        max(case when attribute = 'persona' then attribute_value end) as persona,
        max(case when attribute = 'seniority' then attribute_value end) as seniority
    from title_matches
    where match_rank = 1
    group by title
),

lead_profiles as (
    select
        profiles.lead_id,
        profiles.as_of_date,
        case
            when profiles.title is null or trim(profiles.title) = '' then 'unknown'
            else coalesce(title_attributes.persona, 'other')
        end as fit_persona,
        case
            when profiles.title is null or trim(profiles.title) = '' then 'unknown'
            else coalesce(title_attributes.seniority, 'individual_contributor')
        end as fit_seniority,
        coalesce(profiles.country_code, 'unknown') as fit_country_code,
        {{ country_region('profiles.country_code') }} as fit_region,
        profiles.employee_count as fit_employee_count,
        case
            when coalesce(profiles.employee_count, 0) < 1 then 'unknown'
            when profiles.employee_count <= 10 then '1-10'
            when profiles.employee_count <= 50 then '11-50'
            when profiles.employee_count <= 200 then '51-200'
            when profiles.employee_count <= 1000 then '201-1000'
            when profiles.employee_count <= 5000 then '1001-5000'
            else '5001+'
        end as fit_company_size_band,
        coalesce(nullif(lower(trim(profiles.industry)), ''), 'unknown') as fit_industry,
        profiles.annual_revenue_usd as fit_annual_revenue_usd,
        case
            when coalesce(profiles.annual_revenue_usd, -1) < 0 then 'unknown'
            when profiles.annual_revenue_usd < 1000000 then 'under_1m'
            when profiles.annual_revenue_usd < 10000000 then '1m_10m'
            when profiles.annual_revenue_usd < 100000000 then '10m_100m'
            when profiles.annual_revenue_usd < 1000000000 then '100m_1b'
            else '1b_plus'
        end as fit_revenue_band,
        coalesce(email_domains.domain_type, 'business') as fit_email_domain_type,
        coalesce(email_domains.domain_type = 'free_mail', false) as fit_is_free_mail_domain,
        email_domains.domain_type is null as fit_is_business_email,
        coalesce(
            profiles.phone is not null and trim(profiles.phone) != '', false
        ) as fit_has_phone,
        coalesce(nullif(lower(trim(profiles.lead_source)), ''), 'unknown') as fit_lead_source
    from profiles
    left join title_attributes
        on profiles.title = title_attributes.title
    left join email_domains
        on profiles.email_domain = email_domains.domain
),

final as (
    select
        spine.lead_id,
        spine.as_of_date,
        lead_profiles.fit_persona,
        lead_profiles.fit_seniority,
        lead_profiles.fit_country_code,
        lead_profiles.fit_region,
        lead_profiles.fit_employee_count,
        lead_profiles.fit_company_size_band,
        lead_profiles.fit_industry,
        lead_profiles.fit_annual_revenue_usd,
        lead_profiles.fit_revenue_band,
        lead_profiles.fit_email_domain_type,
        lead_profiles.fit_is_free_mail_domain,
        lead_profiles.fit_is_business_email,
        lead_profiles.fit_has_phone,
        lead_profiles.fit_lead_source
    from spine
    inner join lead_profiles
        on
            spine.lead_id = lead_profiles.lead_id
            and spine.as_of_date = lead_profiles.as_of_date
)

select * from final
