{#- The canonical lead (one per person, CRM duplicates merged) as BI and sales see it on the
    as-of date: persona, segment, owner and fit attributes. No email, phone or names: lead_id is
    a stable hash of the normalised email. The sales disposition is the rep's standing disposition of
    the lead in raw_crm.mql_feedback; a warehouse without that table (var crm_mql_feedback_enabled
    false) reads it from the CRM lead status instead (Working, Qualified: accepted; Unqualified,
    Nurturing: rejected). -#}

{%- set has_feedback = source_table_enabled('crm', 'mql_feedback') %}

with

leads as (
    select * from {{ ref('int_leads_deduplicated') }}
),

fit as (
    select * from {{ ref('int_lead_features_fit') }}
),

-- the CRM records as of the date: only those created by then count;
-- they give company, status and owner
crm_profiles as (
    select * from {{ ref('int_lead_crm_profiles') }}
    where as_of_date = {{ as_of_date() }}
),

users as (
    select * from {{ ref('int_sales_reps') }}
),

dispositions as (
    select * from {{ ref('int_lead_mql_dispositions') }}
    where is_latest
),

final as (
    select
        leads.lead_id,
        leads.primary_crm_lead_id,
        crm_profiles.crm_record_count,
        crm_profiles.company,
        fit.fit_persona as persona,
        fit.fit_seniority as seniority,
        {{ company_segment('fit.fit_employee_count') }} as segment,
        fit.fit_company_size_band as company_size_band,
        fit.fit_revenue_band as revenue_band,
        fit.fit_industry as industry,
        fit.fit_country_code as country_code,
        fit.fit_region as region,
        fit.fit_email_domain_type as email_domain_type,
        fit.fit_lead_source as lead_source,
        crm_profiles.lead_status,
        {%- if has_feedback %}
            dispositions.disposition as sales_disposition,
            case when dispositions.lead_id is not null then 'mql_feedback' end
                as sales_disposition_source,
        {%- else %}
            case
                when crm_profiles.lead_status in ('Working', 'Qualified') then 'accepted'
                when crm_profiles.lead_status in ('Unqualified', 'Nurturing') then 'rejected'
            end as sales_disposition,
            case
                when crm_profiles.lead_status in ('Working', 'Qualified', 'Unqualified', 'Nurturing')
                    then 'crm_status'
            end as sales_disposition_source,
        {%- endif %}
        crm_profiles.owner_id,
        users.user_name as owner_name,
        users.territory as owner_territory,
        leads.created_at
    from leads
    -- leads that existed on the as-of date (the fit features are computed for exactly those)
    inner join fit
        on
            leads.lead_id = fit.lead_id
            and fit.as_of_date = {{ as_of_date() }}
    inner join crm_profiles
        on leads.lead_id = crm_profiles.lead_id
    left join users
        on crm_profiles.owner_id = users.crm_user_id
    left join dispositions
        on leads.lead_id = dispositions.lead_id
)

select * from final
