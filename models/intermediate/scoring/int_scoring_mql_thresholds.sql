{{ config(materialized='table') }}

{#- Seed scoring_mql_thresholds, typed and validated: a threshold in 0-100 per rule set and
    persona, and a row for persona `all` (the default) in every rule set of scoring_rules. -#}

with

thresholds as (
    select * from {{ ref('scoring_mql_thresholds') }}
),

rules as (
    -- the seed itself, not int_scoring_rules: every seed is validated in the same run, so one
    -- build reports the problems of all of them
    select * from {{ ref('scoring_rules') }}
),

rule_sets as (
    select distinct trim(rules.rule_set_version) as rule_set_version
    from rules
),

typed as (
    select
        trim(thresholds.rule_set_version) as rule_set_version,
        lower(trim(thresholds.persona)) as persona,
        {{ safe_cast_number('thresholds.threshold', type_double()) }} as threshold,
        count(*) over (
            partition by trim(thresholds.rule_set_version), lower(trim(thresholds.persona))
        ) as row_count
    from thresholds
),

checked as (
    select
        typed.rule_set_version,
        typed.persona,
        case
            when typed.threshold is null or typed.threshold < 0 or typed.threshold > 100
                then 'threshold must be a number in 0-100'
            when typed.row_count > 1 then 'duplicate rule_set_version and persona'
        end as problem
    from typed
    union all
    select
        rule_sets.rule_set_version,
        'all' as persona,
        'no threshold for persona all' as problem
    from rule_sets
    where not exists (
        select 1 from typed
        where
            typed.rule_set_version = rule_sets.rule_set_version
            and typed.persona = 'all'
    )
),

{{ seed_problems("coalesce(rule_set_version, '?') || '/' || coalesce(persona, '?')") }},

final as (
    select
        typed.rule_set_version,
        typed.persona,
        typed.threshold,
        {{ seed_validation_error('scoring_mql_thresholds') }} as validation_error
    from typed
    cross join problems
)

select * from final
