{{ config(materialized='table') }}

{#- Seed scoring_lifecycle_resets, typed and validated: per rule set, what a lifecycle event does to
    the engagement points earned before it. lifecycle_event is one of opportunity_closed_lost,
    recycled_to_nurture, reengaged_after_quiet (which needs quiet_days, a whole number of days >= 1);
    action is reset (earlier engagement stops counting at once) or expire (it stops counting
    expire_after_days, a whole number >= 0, after the event); one row per rule set and event; the
    rule set exists in seed scoring_rules. A bad row fails the build naming it and the problem. An
    empty seed switches resets off. -#}

with

resets as (
    select * from {{ ref('scoring_lifecycle_resets') }}
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
        trim(resets.rule_set_version) as rule_set_version,
        lower(trim(resets.lifecycle_event)) as lifecycle_event,
        lower(trim(resets.action)) as action, -- noqa: RF04
        resets.quiet_days as quiet_days_text,
        {{ safe_cast_number('resets.quiet_days', type_double()) }} as quiet_days,
        resets.expire_after_days as expire_after_days_text,
        {{ safe_cast_number('resets.expire_after_days', type_double()) }} as expire_after_days,
        trim(resets.reason) as reason,
        count(*) over (
            partition by trim(resets.rule_set_version), lower(trim(resets.lifecycle_event))
        ) as row_count
    from resets
),

checked as (
    select
        typed.rule_set_version,
        typed.lifecycle_event,
        case
            when typed.rule_set_version not in (select rule_sets.rule_set_version from rule_sets)
                then 'unknown rule_set_version (no rule of seed scoring_rules has it)'
            when
                typed.lifecycle_event is null
                or typed.lifecycle_event not in (
                    'opportunity_closed_lost', 'recycled_to_nurture', 'reengaged_after_quiet'
                )
                then
                    'unknown lifecycle_event (expected opportunity_closed_lost, '
                    || 'recycled_to_nurture or reengaged_after_quiet)'
            when typed.row_count > 1 then 'duplicate rule_set_version and lifecycle_event'
            when typed.action is null or typed.action not in ('reset', 'expire')
                then 'unknown action (expected reset or expire)'
            when typed.quiet_days_text is not null and typed.quiet_days is null
                then 'quiet_days ' || typed.quiet_days_text || ' is not a number'
            when typed.lifecycle_event = 'reengaged_after_quiet' and typed.quiet_days is null
                then 'reengaged_after_quiet needs quiet_days'
            when typed.lifecycle_event <> 'reengaged_after_quiet' and typed.quiet_days is not null
                then 'quiet_days applies to reengaged_after_quiet only'
            when typed.quiet_days < 1 or typed.quiet_days <> floor(typed.quiet_days)
                then 'quiet_days must be a whole number of days, at least 1'
            when typed.expire_after_days_text is not null and typed.expire_after_days is null
                then 'expire_after_days ' || typed.expire_after_days_text || ' is not a number'
            when typed.action = 'expire' and typed.expire_after_days is null
                then 'action expire needs expire_after_days'
            when typed.action = 'reset' and typed.expire_after_days is not null
                then 'expire_after_days applies to action expire only'
            when
                typed.expire_after_days < 0
                or typed.expire_after_days <> floor(typed.expire_after_days)
                then 'expire_after_days must be a whole number of days, at least 0'
            when typed.reason is null or typed.reason = ''
                then 'reason is empty (it is shown to sales)'
        end as problem
    from typed
),

{{ seed_problems("coalesce(rule_set_version, '?') || '/' || coalesce(lifecycle_event, '?')") }},

final as (
    select
        typed.rule_set_version,
        typed.lifecycle_event,
        typed.action,
        cast(typed.quiet_days as {{ dbt.type_int() }}) as quiet_days,
        cast(
            case when typed.action = 'expire' then typed.expire_after_days else 0 end
            as {{ dbt.type_int() }}
        ) as expire_after_days,
        typed.reason,
        {{ seed_validation_error('scoring_lifecycle_resets') }} as validation_error
    from typed
    cross join problems
)

select * from final
