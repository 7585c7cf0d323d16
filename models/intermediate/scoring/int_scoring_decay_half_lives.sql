{{ config(materialized='table') }}

{#- Seed scoring_decay_half_lives, typed and validated: one row per decay kind of seed
    feature_catalog, half-life a positive number of days or empty (no decay). A bad row fails
    the build naming the decay kind and the problem. -#}

with

half_lives as (
    select * from {{ ref('scoring_decay_half_lives') }}
),

feature_catalog as (
    select * from {{ ref('feature_catalog') }}
),

catalog_kinds as (
    select distinct decay_kind from feature_catalog
),

typed as (
    select
        lower(trim(half_lives.decay_kind)) as decay_kind,
        half_lives.half_life_days as half_life_days_text,
        {{ safe_cast_number('half_lives.half_life_days', type_double()) }} as half_life_days,
        count(*) over (partition by lower(trim(half_lives.decay_kind))) as row_count
    from half_lives
),

checked as (
    select
        typed.decay_kind,
        case
            when typed.decay_kind not in (select catalog_kinds.decay_kind from catalog_kinds)
                then 'unknown decay kind (not a decay_kind of seed feature_catalog)'
            when typed.row_count > 1 then 'duplicate decay kind'
            when typed.half_life_days_text is not null and typed.half_life_days is null
                then 'half_life_days ' || typed.half_life_days_text || ' is not a number'
            when typed.half_life_days <= 0 then 'half_life_days must be above 0 (empty = no decay)'
        end as problem
    from typed
),

problems as (
    select
        count(*) as problem_count,
        {{ dbt.listagg(
            "'decay kind ' || coalesce(decay_kind, '?') || ': ' || problem", "'; '"
        ) }} as problem_list
    from checked
    where problem is not null
),

final as (
    select
        typed.decay_kind,
        typed.half_life_days,
        {{ fail_if(
            'problems.problem_count > 0',
            "'Bad seed scoring_decay_half_lives: ' || problems.problem_list"
        ) }} as validation_error
    from typed
    cross join problems
)

select * from final
