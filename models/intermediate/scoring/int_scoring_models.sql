{{ config(materialized='table') }}

{#- Seed scoring_models, typed and validated: the scores kept side by side (one per product line,
    say), each with its own A/B arms of rule sets in seed rule_set_assignment. Names are unique and
    not empty, is_default is true or false, exactly one model is the default (the one dim_leads, the
    funnel and the dashboard show) and every model has arms. -#}

with

scoring_models as (
    select * from {{ ref('scoring_models') }}
),

assignment as (
    -- the seed itself, not int_rule_set_assignment: every seed is validated in the same run, so
    -- one build reports the problems of all of them
    select * from {{ ref('rule_set_assignment') }}
),

typed as (
    select
        trim(scoring_models.scoring_model) as scoring_model,
        scoring_models.description,
        lower(trim(scoring_models.is_default)) as is_default_text,
        count(*) over (partition by trim(scoring_models.scoring_model)) as row_count
    from scoring_models
),

default_count as (
    select sum(case when typed.is_default_text = 'true' then 1 else 0 end) as default_models
    from typed
),

checked as (
    select
        typed.scoring_model,
        case
            when coalesce(typed.scoring_model, '') = '' then 'missing scoring_model'
            when typed.row_count > 1 then 'duplicate scoring model'
            when typed.is_default_text is null or typed.is_default_text not in ('true', 'false')
                then
                    'is_default ' || coalesce(typed.is_default_text, 'null')
                    || ' is not true or false'
            when
                typed.scoring_model not in (
                    select trim(assignment.scoring_model) as scoring_model
                    from assignment
                    where assignment.scoring_model is not null
                )
                then 'no rule set in seed rule_set_assignment'
        end as problem
    from typed
    union all
    select
        '-' as scoring_model,
        'exactly one scoring model must have is_default true, '
        || cast(coalesce(default_count.default_models, 0) as {{ dbt.type_string() }})
        || ' have' as problem
    from default_count
    where coalesce(default_count.default_models, 0) <> 1
),

{{ seed_problems("coalesce(scoring_model, '?')", 'order by scoring_model') }},

final as (
    select
        typed.scoring_model,
        typed.description,
        typed.is_default_text = 'true' as is_default,
        {{ seed_validation_error('scoring_models') }} as validation_error
    from typed
    cross join problems
)

select * from final
