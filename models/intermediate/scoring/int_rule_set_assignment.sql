{{ config(materialized='table') }}

{#- Seed rule_set_assignment as ranges of hash buckets out of 10,000: a lead whose bucket (macro
    hash_bucket of lead_id) falls in [bucket_from, bucket_to) is scored live by that rule set.
    Shares must be numbers in 0-1 adding up to 1; each rule set needs active rules. -#}

with

assignment as (
    select * from {{ ref('rule_set_assignment') }}
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

typed as (
    select
        trim(assignment.rule_set_version) as rule_set_version,
        {{ safe_cast_number('assignment.share', type_double()) }} as share_of_leads -- noqa: RF04
    from assignment
),

cumulative as (
    select
        typed.rule_set_version,
        typed.share_of_leads,
        coalesce(sum(typed.share_of_leads) over (
            order by typed.rule_set_version
            rows between unbounded preceding and 1 preceding
        ), 0) as share_before,
        sum(typed.share_of_leads) over () as share_total,
        count(*) over (partition by typed.rule_set_version) as row_count
    from typed
),

checked as (
    select
        cumulative.rule_set_version,
        cumulative.share_of_leads,
        cumulative.share_before,
        case
            when
                cumulative.share_of_leads is null
                or cumulative.share_of_leads < 0
                or cumulative.share_of_leads > 1
                then 'share must be a number in 0-1'
            when cumulative.row_count > 1 then 'duplicate rule set'
            when abs(cumulative.share_total - 1) > 0.000001
                then
                    'shares add up to '
                    || cast(cumulative.share_total as {{ dbt.type_string() }}) || ', not 1'
            when
                cumulative.rule_set_version not in (
                    select rule_sets.rule_set_version from rule_sets
                )
                then 'rule set has no active rule in scoring_rules'
        end as problem
    from cumulative
),

{{ seed_problems("coalesce(rule_set_version, '?')") }},

final as (
    select
        checked.rule_set_version,
        checked.share_of_leads,
        cast(round(checked.share_before * 10000) as integer) as bucket_from,
        cast(round((checked.share_before + checked.share_of_leads) * 10000) as integer)
            as bucket_to,
        {{ seed_validation_error('rule_set_assignment') }} as validation_error
    from checked
    cross join problems
)

select * from final
