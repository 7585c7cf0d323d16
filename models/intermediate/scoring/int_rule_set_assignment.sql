{{ config(materialized='table') }}

{#- Seed rule_set_assignment as ranges of hash buckets out of 10,000, per scoring model: a lead
    whose bucket (macro hash_bucket of lead_id, salted with the model's name except in the default
    model) falls in [bucket_from, bucket_to) is scored live by that rule set in that model. Every
    model of seed scoring_models has its own arms: shares are numbers in 0-1 adding up to 1 per
    model, a rule set belongs to one model only (its rules, caps, decay, thresholds and bands are
    the model's) and needs active rules. The champion of a model is its arm with the largest share. -#}

with

assignment as (
    select * from {{ ref('rule_set_assignment') }}
),

scoring_models as (
    -- the seed itself, not int_scoring_models, for the same reason as the rules below
    select * from {{ ref('scoring_models') }}
),

rules as (
    -- the seed itself, not int_scoring_rules: every seed is validated in the same run, so one
    -- build reports the problems of all of them
    select * from {{ ref('scoring_rules') }}
),

rule_sets as (
    select distinct trim(rules.rule_set_version) as rule_set_version
    from rules
    where lower(trim(rules.is_active)) = 'true'
),

model_names as (
    select
        trim(scoring_models.scoring_model) as scoring_model,
        max(case when lower(trim(scoring_models.is_default)) = 'true' then 1 else 0 end) = 1
            as is_default_model
    from scoring_models
    group by trim(scoring_models.scoring_model)
),

typed as (
    select
        trim(assignment.scoring_model) as scoring_model,
        trim(assignment.rule_set_version) as rule_set_version,
        {{ safe_cast_number('assignment.share', type_double()) }} as share_of_leads -- noqa: RF04
    from assignment
),

cumulative as (
    select
        typed.scoring_model,
        typed.rule_set_version,
        typed.share_of_leads,
        coalesce(sum(typed.share_of_leads) over (
            partition by typed.scoring_model
            order by typed.rule_set_version
            rows between unbounded preceding and 1 preceding
        ), 0) as share_before,
        sum(typed.share_of_leads) over (partition by typed.scoring_model) as share_total,
        count(*) over (partition by typed.scoring_model, typed.rule_set_version) as row_count,
        min(typed.scoring_model) over (partition by typed.rule_set_version) as first_model,
        max(typed.scoring_model) over (partition by typed.rule_set_version) as last_model,
        row_number() over (
            partition by typed.scoring_model
            order by typed.share_of_leads desc, typed.rule_set_version asc
        ) as share_rank
    from typed
),

checked as (
    select
        cumulative.scoring_model,
        cumulative.rule_set_version,
        cumulative.share_of_leads,
        cumulative.share_before,
        cumulative.share_rank,
        case
            when coalesce(cumulative.scoring_model, '') = '' then 'missing scoring_model'
            when
                cumulative.scoring_model not in (
                    select model_names.scoring_model from model_names
                )
                then 'unknown scoring model (not in seed scoring_models)'
            when
                cumulative.share_of_leads is null
                or cumulative.share_of_leads < 0
                or cumulative.share_of_leads > 1
                then 'share must be a number in 0-1'
            when cumulative.first_model <> cumulative.last_model
                then
                    'rule set in two scoring models (' || cumulative.first_model || ', '
                    || cumulative.last_model || '): a rule set belongs to one model'
            when cumulative.row_count > 1 then 'duplicate rule set'
            when abs(cumulative.share_total - 1) > 0.000001
                then
                    'shares of the model add up to '
                    || cast(cumulative.share_total as {{ dbt.type_string() }}) || ', not 1'
            when
                cumulative.rule_set_version not in (
                    select rule_sets.rule_set_version from rule_sets
                )
                then 'rule set has no active rule in scoring_rules'
        end as problem
    from cumulative
),

{{ seed_problems(
    "coalesce(scoring_model, '?') || '/' || coalesce(rule_set_version, '?')",
    'order by scoring_model, rule_set_version'
) }},

final as (
    select
        checked.scoring_model,
        checked.rule_set_version,
        checked.share_of_leads,
        cast(round(checked.share_before * 10000) as integer) as bucket_from,
        cast(round((checked.share_before + checked.share_of_leads) * 10000) as integer)
            as bucket_to,
        coalesce(model_names.is_default_model, false) as is_default_model,
        checked.share_rank = 1 as is_champion,
        {{ seed_validation_error('rule_set_assignment') }} as validation_error
    from checked
    left join model_names
        on checked.scoring_model = model_names.scoring_model
    cross join problems
)

select * from final
