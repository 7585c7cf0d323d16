{{ config(materialized='table') }}

{#- Seed scoring_grade_bands, typed and validated. Bands are half-open [min_points, max_points);
    within a rule set and dimension they must not overlap and must leave no gap, and every rule
    set of scoring_rules needs fit and engagement bands. A bad band fails the build naming it. -#}

with

bands as (
    select * from {{ ref('scoring_grade_bands') }}
),

rules as (
    -- the seed itself, not int_scoring_rules: every seed is validated in the same run, so one
    -- build reports the problems of all of them
    select * from {{ ref('scoring_rules') }}
),

dimensions as (
    select 'fit' as dimension
    union all
    select 'engagement' as dimension
),

rule_set_dimensions as (
    select distinct
        trim(rules.rule_set_version) as rule_set_version,
        dimensions.dimension
    from rules
    cross join dimensions
),

typed as (
    select
        trim(bands.rule_set_version) as rule_set_version,
        lower(trim(bands.dimension)) as dimension,
        trim(bands.grade) as grade,
        {{ safe_cast_number('bands.min_points', type_double()) }} as min_points,
        {{ safe_cast_number('bands.max_points', type_double()) }} as max_points
    from bands
),

ordered as (
    select
        typed.rule_set_version,
        typed.dimension,
        typed.grade,
        typed.min_points,
        typed.max_points,
        lead(typed.grade) over (
            partition by typed.rule_set_version, typed.dimension
            order by typed.min_points, typed.max_points
        ) as next_grade,
        lead(typed.min_points) over (
            partition by typed.rule_set_version, typed.dimension
            order by typed.min_points, typed.max_points
        ) as next_min_points,
        count(*) over (
            partition by typed.rule_set_version, typed.dimension, typed.grade
        ) as grade_count
    from typed
),

overlapping_bands as (
    select
        band.rule_set_version,
        band.dimension,
        band.grade,
        'overlaps band ' || other.grade as problem
    from typed as band
    inner join typed as other
        on
            band.rule_set_version = other.rule_set_version
            and band.dimension = other.dimension
            and band.grade < other.grade
            and band.min_points < other.max_points
            and band.max_points > other.min_points
),

checked as (
    select
        ordered.rule_set_version,
        ordered.dimension,
        ordered.grade,
        case
            when ordered.dimension not in ('fit', 'engagement')
                then 'unknown dimension (expected fit or engagement)'
            when ordered.grade_count > 1 then 'duplicate grade'
            when ordered.min_points is null or ordered.max_points is null
                then 'min_points and max_points must be numbers'
            when ordered.min_points >= ordered.max_points
                then 'min_points must be below max_points'
            when ordered.next_min_points > ordered.max_points
                then 'gap between this band and band ' || ordered.next_grade
        end as problem
    from ordered
    union all
    select
        overlapping_bands.rule_set_version,
        overlapping_bands.dimension,
        overlapping_bands.grade,
        overlapping_bands.problem
    from overlapping_bands
    union all
    select
        rule_set_dimensions.rule_set_version,
        rule_set_dimensions.dimension,
        '-' as grade,
        'no bands for this rule set and dimension' as problem
    from rule_set_dimensions
    where not exists (
        select 1 from typed
        where
            typed.rule_set_version = rule_set_dimensions.rule_set_version
            and typed.dimension = rule_set_dimensions.dimension
    )
),

{{ seed_problems("coalesce(rule_set_version, '?') || '/' || coalesce(dimension, '?') || ' grade '"
    ~ " || coalesce(grade, '?')") }},

final as (
    select
        typed.rule_set_version,
        typed.dimension,
        typed.grade,
        typed.min_points,
        typed.max_points,
        {{ seed_validation_error('scoring_grade_bands') }} as validation_error
    from typed
    cross join problems
)

select * from final
