{{ config(materialized='table') }}

{#- Seed account_grade_bands, typed and validated: the letter (A best .. D) of an account score,
    half-open bands [min_score, max_score) that must not overlap, leave no gap and cover 0-100. -#}

with

bands as (
    select * from {{ ref('account_grade_bands') }}
),

typed as (
    select
        trim(bands.grade) as grade,
        {{ safe_cast_number('bands.min_score', type_double()) }} as min_score,
        {{ safe_cast_number('bands.max_score', type_double()) }} as max_score,
        count(*) over (partition by trim(bands.grade)) as grade_count
    from bands
),

ordered as (
    select
        typed.*,
        lead(typed.grade) over (order by typed.min_score, typed.max_score) as next_grade,
        lead(typed.min_score) over (order by typed.min_score, typed.max_score) as next_min_score
    from typed
),

checked as (
    select
        ordered.grade,
        case
            when coalesce(ordered.grade, '') = '' then 'missing grade'
            when ordered.grade_count > 1 then 'duplicate grade'
            when ordered.min_score is null or ordered.max_score is null
                then 'min_score and max_score must be numbers'
            when ordered.min_score >= ordered.max_score then 'min_score must be below max_score'
            when ordered.next_min_score > ordered.max_score
                then 'gap between this band and band ' || ordered.next_grade
            when ordered.next_min_score < ordered.max_score
                then 'overlaps band ' || ordered.next_grade
        end as problem
    from ordered
    union all
    select
        '-' as grade,
        'the bands must cover scores 0 to 100' as problem
    from (
        select
            min(typed.min_score) as lowest,
            max(typed.max_score) as highest
        from typed
    ) as coverage
    where coverage.lowest is null or coverage.lowest > 0 or coverage.highest <= 100
),

{{ seed_problems("coalesce(grade, '?')") }},

final as (
    select
        typed.grade,
        typed.min_score,
        typed.max_score,
        {{ seed_validation_error('account_grade_bands') }} as validation_error
    from typed
    cross join problems
)

select * from final
