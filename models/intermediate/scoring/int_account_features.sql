{{ config(materialized='table') }}

{#- One row per live CRM account on the as-of date: its firmographics and the roll-up of its leads'
    live scores in the default scoring model (int_lead_scores_current, so the account reads the
    scores the leads have, never a score of its own making), with the MQA thresholds of its segment
    (seed account_mqa_thresholds; the segment's own row wins over `all`). A lead is engaged when it
    is not spam and its total score is at or above engaged_lead_min_score; personas_engaged, the
    buying-group coverage, counts the distinct personas of the engaged leads (a lead without a known
    persona, `unknown` or `other`, adds none). The columns named in macro account_features are what
    the account scoring rules read. -#}

with

accounts as (
    select * from {{ ref('int_crm_accounts') }}
),

lead_accounts as (
    select * from {{ ref('int_lead_accounts') }}
),

all_lead_scores as (
    select * from {{ ref('int_lead_scores_current') }}
),

scoring_models as (
    select * from {{ ref('int_scoring_models') }}
),

thresholds as (
    select * from {{ ref('int_account_mqa_thresholds') }}
),

-- an account reads the leads' scores of the default scoring model (seed scoring_models)
lead_scores as (
    select all_lead_scores.*
    from all_lead_scores
    inner join scoring_models
        on all_lead_scores.scoring_model = scoring_models.scoring_model
    where scoring_models.is_default
),

account_thresholds as (
    select
        accounts.crm_account_id,
        thresholds.engaged_lead_min_score,
        thresholds.min_account_score,
        thresholds.min_personas_engaged,
        row_number() over (
            partition by accounts.crm_account_id
            order by case when thresholds.segment = 'all' then 1 else 0 end
        ) as threshold_rank
    from accounts
    inner join thresholds
        on accounts.segment = thresholds.segment or thresholds.segment = 'all'
),

account_leads as (
    select
        lead_accounts.crm_account_id,
        lead_scores.lead_id,
        lead_scores.persona,
        lead_scores.total_score,
        lead_scores.is_mql,
        lead_scores.is_spam,
        not lead_scores.is_spam
        and lead_scores.total_score >= account_thresholds.engaged_lead_min_score as is_engaged
    from lead_accounts
    inner join lead_scores
        on lead_accounts.lead_id = lead_scores.lead_id
    inner join account_thresholds
        on
            lead_accounts.crm_account_id = account_thresholds.crm_account_id
            and account_thresholds.threshold_rank = 1
),

lead_rollup as (
    select
        account_leads.crm_account_id,
        count(*) as linked_leads,
        sum(case when account_leads.is_engaged then 1 else 0 end) as engaged_leads,
        count(distinct case
            when account_leads.is_engaged and account_leads.persona not in ('unknown', 'other')
                then account_leads.persona
        end) as personas_engaged,
        sum(case when account_leads.is_mql then 1 else 0 end) as mql_leads,
        max(
            case when not account_leads.is_spam then account_leads.total_score end
        ) as max_lead_score
    from account_leads
    group by account_leads.crm_account_id
),

final as (
    select
        accounts.crm_account_id,
        accounts.as_of_date,
        accounts.account_name,
        accounts.website_domain,
        accounts.owner_id,
        accounts.employee_count,
        accounts.annual_revenue_usd,
        accounts.industry,
        accounts.country_code,
        accounts.region,
        accounts.segment,
        coalesce(lead_rollup.linked_leads, 0) as linked_leads,
        coalesce(lead_rollup.engaged_leads, 0) as engaged_leads,
        coalesce(lead_rollup.personas_engaged, 0) as personas_engaged,
        coalesce(lead_rollup.mql_leads, 0) as mql_leads,
        cast(lead_rollup.max_lead_score as decimal(12, 2)) as max_lead_score,
        account_thresholds.engaged_lead_min_score,
        account_thresholds.min_account_score,
        account_thresholds.min_personas_engaged
    from accounts
    inner join account_thresholds
        on
            accounts.crm_account_id = account_thresholds.crm_account_id
            and account_thresholds.threshold_rank = 1
    left join lead_rollup
        on accounts.crm_account_id = lead_rollup.crm_account_id
)

select * from final
