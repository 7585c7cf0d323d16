{{ config(materialized='table') }}

{#- Seed account_mqa_thresholds, typed and validated: per account segment (macro company_segment, or
    `all`, the default every segment without its own row takes) the lead score at or above which a
    lead counts as engaged, the account score and the number of engaged personas an MQA needs. -#}

with

thresholds as (
    select * from {{ ref('account_mqa_thresholds') }}
),

typed as (
    select
        lower(trim(thresholds.segment)) as segment,
        {{ safe_cast_number('thresholds.engaged_lead_min_score', type_double()) }}
            as engaged_lead_min_score,
        {{ safe_cast_number('thresholds.min_account_score', type_double()) }} as min_account_score,
        {{ safe_cast_number('thresholds.min_personas_engaged', type_double()) }}
            as min_personas_engaged,
        count(*) over (partition by lower(trim(thresholds.segment))) as row_count
    from thresholds
),

checked as (
    select
        typed.segment,
        case
            when
                typed.segment is null
                or typed.segment not in ('all', 'enterprise', 'mid_market', 'smb', 'unknown')
                then 'unknown segment (expected all, enterprise, mid_market, smb or unknown)'
            when typed.row_count > 1 then 'duplicate segment'
            when
                typed.engaged_lead_min_score is null
                or typed.engaged_lead_min_score < 0 or typed.engaged_lead_min_score > 100
                then 'engaged_lead_min_score must be a number in 0-100'
            when
                typed.min_account_score is null
                or typed.min_account_score < 0 or typed.min_account_score > 100
                then 'min_account_score must be a number in 0-100'
            when
                typed.min_personas_engaged is null or typed.min_personas_engaged < 1
                or typed.min_personas_engaged <> round(typed.min_personas_engaged)
                then 'min_personas_engaged must be a whole number of at least 1'
        end as problem
    from typed
    union all
    select
        'all' as segment,
        'no row for segment all (the default)' as problem
    from (
        select count(*) as row_count
        from typed
        where typed.segment = 'all'
    ) as default_rows
    where default_rows.row_count = 0
),

{{ seed_problems("coalesce(segment, '?')") }},

final as (
    select
        typed.segment,
        typed.engaged_lead_min_score,
        typed.min_account_score,
        cast(typed.min_personas_engaged as {{ dbt.type_int() }}) as min_personas_engaged,
        {{ seed_validation_error('account_mqa_thresholds') }} as validation_error
    from typed
    cross join problems
)

select * from final
