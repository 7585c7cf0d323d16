{{ config(materialized='table') }}

{#- Seed scoring_category_caps, typed and validated: the bounds of each category's points per
    lead and rule set. A bad row fails the build naming it and the problem. -#}

with

caps as (
    select * from {{ ref('scoring_category_caps') }}
),

typed as (
    select
        trim(caps.rule_set_version) as rule_set_version,
        lower(trim(caps.category)) as category,
        {{ safe_cast_number('caps.min_points', type_double()) }} as min_points,
        {{ safe_cast_number('caps.max_points', type_double()) }} as max_points,
        count(*) over (
            partition by trim(caps.rule_set_version), lower(trim(caps.category))
        ) as row_count
    from caps
),

checked as (
    select
        typed.rule_set_version,
        typed.category,
        case
            when typed.category not in ('fit', 'engagement', 'negative', 'spam')
                then 'unknown category (expected fit, engagement, negative or spam)'
            when typed.row_count > 1 then 'duplicate rule_set_version and category'
            when typed.min_points is null or typed.max_points is null
                then 'min_points and max_points must be numbers'
            when typed.min_points > typed.max_points then 'min_points is above max_points'
        end as problem
    from typed
),

{{ seed_problems("coalesce(rule_set_version, '?') || '/' || coalesce(category, '?')") }},

final as (
    select
        typed.rule_set_version,
        typed.category,
        typed.min_points,
        typed.max_points,
        {{ seed_validation_error('scoring_category_caps') }} as validation_error
    from typed
    cross join problems
)

select * from final
