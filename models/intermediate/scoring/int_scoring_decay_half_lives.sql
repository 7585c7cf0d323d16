{{ config(materialized='table') }}

{#- Seed scoring_decay_half_lives, typed and validated: per rule set, one row per decay kind of
    seed feature_catalog, half-life a positive number of days or empty (no decay); every decay
    kind that an active engagement rule of the rule set uses needs its row. A bad row fails the
    build naming the rule set, the decay kind and the problem. -#}

with

half_lives as (
    select * from {{ ref('scoring_decay_half_lives') }}
),

feature_catalog as (
    select * from {{ ref('int_feature_catalog') }}
),

rules as (
    -- the seed itself, not int_scoring_rules: every seed is validated in the same run, so one
    -- build reports the problems of all of them
    select * from {{ ref('scoring_rules') }}
),

catalog_kinds as (
    select distinct feature_catalog.decay_kind from feature_catalog
),

used_kinds as (
    select distinct
        trim(rules.rule_set_version) as rule_set_version,
        feature_catalog.decay_kind
    from rules
    inner join feature_catalog
        on trim(rules.feature_name) = feature_catalog.feature_name
    where
        lower(trim(rules.is_active)) = 'true'
        and lower(trim(rules.category)) = 'engagement'
),

typed as (
    select
        trim(half_lives.rule_set_version) as rule_set_version,
        lower(trim(half_lives.decay_kind)) as decay_kind,
        half_lives.half_life_days as half_life_days_text,
        {{ safe_cast_number('half_lives.half_life_days', type_double()) }} as half_life_days,
        count(*) over (
            partition by trim(half_lives.rule_set_version), lower(trim(half_lives.decay_kind))
        ) as row_count
    from half_lives
),

checked as (
    select
        typed.rule_set_version,
        typed.decay_kind,
        case
            when typed.decay_kind not in (select catalog_kinds.decay_kind from catalog_kinds)
                then 'unknown decay kind (not a decay_kind of seed feature_catalog)'
            when typed.row_count > 1 then 'duplicate rule_set_version and decay kind'
            when typed.half_life_days_text is not null and typed.half_life_days is null
                then 'half_life_days ' || typed.half_life_days_text || ' is not a number'
            when typed.half_life_days <= 0
                then 'half_life_days must be above 0 (empty = no decay)'
        end as problem
    from typed
    union all
    select
        used_kinds.rule_set_version,
        used_kinds.decay_kind,
        'no half-life row, but engagement rules of the rule set use this decay kind' as problem
    from used_kinds
    where not exists (
        select 1 from typed
        where
            typed.rule_set_version = used_kinds.rule_set_version
            and typed.decay_kind = used_kinds.decay_kind
    )
),

{{ seed_problems("coalesce(rule_set_version, '?') || '/' || coalesce(decay_kind, '?')") }},

final as (
    select
        typed.rule_set_version,
        typed.decay_kind,
        typed.half_life_days,
        {{ seed_validation_error('scoring_decay_half_lives') }} as validation_error
    from typed
    cross join problems
)

select * from final
