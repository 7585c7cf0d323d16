{#- SENSITIVE (carries the CRM lead id and email a CRM sync needs): today's MQLs, shaped for a
    reverse-ETL sync, one row per MQL lead and scoring model: every model routes its own MQLs (a
    product line's MQL is its own hand-off; the sync can tell them apart by scoring_model, and a
    model's queue is its own, so adding a model moves no lead of another to a new rep). Each MQL
    gets a rep of its territory (seed sales_territories): round-robin
    over the order in which the territory's leads first became MQLs, so a lead keeps its rep from
    day to day. An MQL of a marketing-qualified account (int_account_scores) goes to the account's
    owner instead, when that owner is an active rep (routing_reason account_owner; the lead keeps its
    place in the territory queue, so the others keep their reps). Next action by persona and score
    band (seed next_best_actions; a persona's own row wins over `all`). changed_since_previous_run
    flags what the sync must push: leads that were not MQLs on the previous scored day, or whose
    grade or next action changed since then, and every account-routed lead (no account history). -#}

with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

leads as (
    select * from {{ ref('int_leads_deduplicated') }}
),

dim_leads as (
    select * from {{ ref('dim_leads') }}
),

territories as (
    select * from {{ ref('sales_territories') }}
),

reps as (
    select * from {{ ref('int_sales_reps') }}
),

actions as (
    select * from {{ ref('next_best_actions') }}
),

lead_accounts as (
    select * from {{ ref('int_lead_accounts') }}
),

account_scores as (
    select * from {{ ref('int_account_scores') }}
),

-- the active owner of each lead's account, when the account is an MQA
account_routes as (
    select
        lead_accounts.lead_id,
        lead_accounts.crm_account_id,
        case
            when account_scores.is_mqa and account_owners.is_active then account_owners.crm_user_id
        end as account_owner_id,
        case
            when account_scores.is_mqa and account_owners.is_active then account_owners.user_name
        end as account_owner_name
    from lead_accounts
    inner join account_scores
        on lead_accounts.crm_account_id = account_scores.crm_account_id
    left join reps as account_owners
        on account_scores.owner_id = account_owners.crm_user_id
),

lead_territories as (
    select
        dim_leads.lead_id,
        coalesce(territories.territory, 'NA') as territory
    from dim_leads
    left join territories
        on coalesce(dim_leads.region, 'unknown') = territories.region
),

ever_mql as (
    select
        history.lead_id,
        history.scoring_model,
        min(history.score_date) as first_mql_date
    from history
    where history.is_mql and history.score_date <= {{ as_of_date() }}
    group by history.lead_id, history.scoring_model
),

-- every lead that ever became an MQL of a model holds its place in the model's territory queue
queue as (
    select
        ever_mql.lead_id,
        ever_mql.scoring_model,
        lead_territories.territory,
        row_number() over (
            partition by ever_mql.scoring_model, lead_territories.territory
            order by ever_mql.first_mql_date, ever_mql.lead_id
        ) - 1 as queue_position
    from ever_mql
    inner join lead_territories
        on ever_mql.lead_id = lead_territories.lead_id
),

previous_run as (
    select
        history.lead_id,
        history.scoring_model,
        history.persona,
        history.total_score,
        history.grade,
        history.is_mql
    from history
    where history.score_date = (
        select max(earlier.score_date) from history as earlier
        where earlier.score_date < {{ as_of_date() }}
    )
),

mqls as (
    select
        scores.lead_id,
        scores.scoring_model,
        scores.as_of_date,
        scores.persona,
        scores.total_score,
        scores.grade,
        scores.first_mql_date,
        scores.top_reasons,
        queue.territory,
        queue.queue_position
    from scores
    inner join queue
        on
            scores.lead_id = queue.lead_id
            and scores.scoring_model = queue.scoring_model
    where scores.is_mql
),

to_match as (
    select
        mqls.lead_id,
        mqls.scoring_model,
        'current' as period,
        mqls.persona,
        mqls.total_score
    from mqls
    union all
    select
        previous_run.lead_id,
        previous_run.scoring_model,
        'previous' as period,
        previous_run.persona,
        previous_run.total_score
    from previous_run
    inner join mqls
        on
            previous_run.lead_id = mqls.lead_id
            and previous_run.scoring_model = mqls.scoring_model
),

matched_actions as (
    select
        to_match.lead_id,
        to_match.scoring_model,
        to_match.period,
        actions.action,
        actions.channel,
        row_number() over (
            partition by to_match.lead_id, to_match.scoring_model, to_match.period
            order by case when actions.persona = 'all' then 1 else 0 end, actions.min_score desc
        ) as action_rank
    from to_match
    inner join actions
        on
            (to_match.persona = actions.persona or actions.persona = 'all')
            and to_match.total_score >= actions.min_score
            and to_match.total_score < actions.max_score
),

final as (
    select
        mqls.scoring_model,
        mqls.lead_id,
        leads.primary_crm_lead_id as crm_lead_id,
        leads.email,
        mqls.as_of_date,
        mqls.persona,
        mqls.total_score,
        mqls.grade,
        mqls.first_mql_date,
        mqls.territory,
        account_routes.crm_account_id,
        coalesce(
            account_routes.account_owner_id, reps.crm_user_id, leads.owner_id
        ) as routed_owner_id,
        coalesce(account_routes.account_owner_name, reps.user_name) as routed_owner_name,
        case
            when account_routes.account_owner_id is not null then 'account_owner'
            when reps.crm_user_id is not null then 'territory_round_robin'
            else 'lead_owner'
        end as routing_reason,
        current_actions.action as next_action,
        current_actions.channel as next_action_channel,
        mqls.top_reasons,
        -- no history of account scores yet: a lead routed to its account's owner is always pushed
        coalesce(
            not previous_run.is_mql
            or previous_run.grade <> mqls.grade
            or previous_actions.action <> current_actions.action
            or account_routes.account_owner_id is not null,
            true
        ) as changed_since_previous_run
    from mqls
    left join reps
        on
            mqls.territory = reps.territory
            and reps.is_active
            and mod(mqls.queue_position, reps.active_reps_in_territory) = reps.rep_position
    left join leads
        on mqls.lead_id = leads.lead_id
    left join account_routes
        on mqls.lead_id = account_routes.lead_id
    left join matched_actions as current_actions
        on
            mqls.lead_id = current_actions.lead_id
            and mqls.scoring_model = current_actions.scoring_model
            and current_actions.period = 'current'
            and current_actions.action_rank = 1
    left join matched_actions as previous_actions
        on
            mqls.lead_id = previous_actions.lead_id
            and mqls.scoring_model = previous_actions.scoring_model
            and previous_actions.period = 'previous'
            and previous_actions.action_rank = 1
    left join previous_run
        on
            mqls.lead_id = previous_run.lead_id
            and mqls.scoring_model = previous_run.scoring_model
)

select * from final
