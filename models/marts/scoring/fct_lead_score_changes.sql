{{ config(
    materialized='incremental',
    unique_key='score_date',
    incremental_strategy=leadscore.incremental_strategy('date_partitions'),
    partition_by=leadscore.incremental_partition_by('score_date'),
    full_refresh=false,
    enabled=target.type != 'spark'
) }}

{#- Why a lead's score moved since the previous run: one row per lead whose total_score differs
    from its score on the previous scored day of fct_lead_score_history, the change split into
    three parts that add up exactly (decimal cents) to it, by a telescoping sum of four scores:
      previous_score             S0, the history's score of the previous run;
      score_before_decay         T, the previous rules on today's behaviour, with the points of the
                                 behaviour that predates the previous run at their age then (a lead
                                 with no new behaviour: T = S0);
      score_with_previous_rules  S2, the previous rules (int_previous_scoring_rules, from the
                                 snapshots) on today's features: the score had no rule changed;
      total_score                S3, today's score with today's rules.
    new_behaviour_points = T - S0, decay_points = S2 - T, rule_change_points = S3 - S2.
    One row per scoring model too: each model's score moves on its own. New behaviour: an event
    after the previous run (a feature whose last event is younger than the previous run), a CRM
    profile change (fit points under the previous rules differ) or a lifecycle reset that began
    after it (engagement from before a reset in effect is dropped as int_lead_score_contributions
    drops it, with today's seed scoring_lifecycle_resets). A lead with
    neither has only decay and rule changes: time passing is all of S2 - S0 (fading, a 30-day window
    emptying, a rule on days of inactivity). For a lead with new behaviour, decay is the fading of
    the points of its older behaviour; a window or inactivity rule that changes counts with its new
    behaviour (the engine computes features of all events as of a day, not of the events up to
    the previous run as of today). Only leads present at both runs whose score moved are scored
    again, with the arithmetic of int_lead_rule_hits and int_lead_score_contributions (the macros
    of score_arithmetic.sql: personas, decay, resets, caps, bounds); the test of
    rule_change_points = 0 without a seed change checks the two agree. -#}

with

current_scores as (
    select * from {{ ref('int_lead_scores_current') }}
),

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

previous_rules as (
    select * from {{ ref('int_previous_scoring_rules') }}
),

features as (
    select * from {{ ref('int_lead_features_long') }}
),

rule_changes as (
    select * from {{ ref('fct_scoring_rule_changes') }}
),

resets as (
    select * from {{ ref('int_lead_engagement_resets') }}
    where as_of_date = {{ as_of_date() }}
),

previous_run as (
    select distinct
        previous_rules.previous_score_date,
        previous_rules.previous_seeds_changed_at
    from previous_rules
),

moved as (
    select
        current_scores.scoring_model,
        current_scores.lead_id,
        current_scores.as_of_date as score_date,
        previous_run.previous_score_date,
        previous_run.previous_seeds_changed_at,
        {{ dbt.datediff('previous_run.previous_score_date', 'current_scores.as_of_date', 'day') }}
            as days_since_previous_run,
        current_scores.rule_set_version,
        history.rule_set_version as previous_rule_set_version,
        history.total_score as previous_score,
        history.fit_score as previous_fit_score,
        current_scores.total_score
    from current_scores
    cross join previous_run
    inner join history
        on
            current_scores.lead_id = history.lead_id
            and current_scores.scoring_model = history.scoring_model
            and previous_run.previous_score_date = history.score_date
    where current_scores.total_score <> history.total_score
),

moved_features as (
    select
        moved.scoring_model,
        features.lead_id,
        features.feature_name,
        features.feature_value_numeric,
        features.feature_value_text,
        features.days_since_last,
        moved.days_since_previous_run,
        moved.previous_score_date,
        moved.previous_rule_set_version
    from features
    inner join moved
        on
            features.lead_id = moved.lead_id
            and features.as_of_date = moved.score_date
),

new_events as (
    select
        moved_features.scoring_model,
        moved_features.lead_id,
        max(
            case
                when moved_features.days_since_last < moved_features.days_since_previous_run then 1
                else 0
            end
        ) = 1 as has_new_events
    from moved_features
    group by moved_features.scoring_model, moved_features.lead_id
),

lead_personas as (
    select
        moved_features.scoring_model,
        moved_features.lead_id,
        coalesce(moved_features.feature_value_text, 'unknown') as persona
    from moved_features
    where moved_features.feature_name = 'fit_persona'
),

candidates as (
    select
        moved_features.scoring_model,
        moved_features.lead_id,
        moved_features.previous_rule_set_version,
        moved_features.previous_score_date,
        previous_rules.rule_id,
        previous_rules.category,
        previous_rules.points,
        previous_rules.half_life_days,
        previous_rules.category_min_points,
        previous_rules.category_max_points,
        moved_features.days_since_last,
        -- the age the behaviour had at the previous run; behaviour since then keeps its own age
        case
            when moved_features.days_since_last >= moved_features.days_since_previous_run
                then moved_features.days_since_last - moved_features.days_since_previous_run
            else moved_features.days_since_last
        end as days_since_last_before,
        {{ rule_matches(
            'previous_rules.value_type',
            'moved_features.feature_value_numeric',
            'moved_features.feature_value_text',
            'previous_rules.operator',
            'previous_rules.value_text',
            'previous_rules.value_numeric',
            'previous_rules.value_to_numeric'
        ) }} as is_match
    from moved_features
    inner join previous_rules
        on
            moved_features.feature_name = previous_rules.feature_name
            and moved_features.previous_rule_set_version = previous_rules.rule_set_version
    left join lead_personas
        on
            moved_features.lead_id = lead_personas.lead_id
            and moved_features.scoring_model = lead_personas.scoring_model
    where {{ rule_applies_to_persona('previous_rules.persona', 'lead_personas.persona') }}
),

{# the previous rules' points decayed as int_lead_rule_hits decays them: at today's age, and at
    the age the behaviour had at the previous run #}
hits as (
    select
        candidates.scoring_model,
        candidates.lead_id,
        candidates.rule_id,
        candidates.category,
        candidates.category_min_points,
        candidates.category_max_points,
        cast(
            candidates.points * {{ decay_factor(
                'candidates.category', 'candidates.half_life_days', 'candidates.days_since_last'
            ) }} as {{ type_double() }}
        ) as points_decayed_today,
        cast(
            candidates.points * {{ decay_factor(
                'candidates.category',
                'candidates.half_life_days',
                'candidates.days_since_last_before'
            ) }} as {{ type_double() }}
        ) as points_decayed_before
    from candidates
    where
        candidates.is_match
        -- a lifecycle reset in effect drops older engagement, as in int_lead_score_contributions
        and {{ counts_after_resets(
            'candidates.category',
            'candidates.days_since_last',
            'resets',
            'resets.lead_id = candidates.lead_id
                and resets.rule_set_version = candidates.previous_rule_set_version'
        ) }}
),

-- a lifecycle reset that began after the previous run is new behaviour (a lifecycle event)
new_resets as (
    select distinct
        moved.scoring_model,
        moved.lead_id
    from moved
    inner join resets
        on
            moved.lead_id = resets.lead_id
            and moved.rule_set_version = resets.rule_set_version
    where resets.engagement_start_date > moved.previous_score_date
),

scenario_hits as (
    select
        hits.scoring_model,
        hits.lead_id,
        'with_previous_rules' as scenario,
        hits.rule_id,
        hits.category,
        hits.category_min_points,
        hits.category_max_points,
        hits.points_decayed_today as points_decayed
    from hits
    union all
    select
        hits.scoring_model,
        hits.lead_id,
        'before_decay' as scenario,
        hits.rule_id,
        hits.category,
        hits.category_min_points,
        hits.category_max_points,
        hits.points_decayed_before as points_decayed
    from hits
),

{# caps and bounds as int_lead_score_contributions applies them #}
category_totals as (
    select
        scenario_hits.scoring_model,
        scenario_hits.lead_id,
        scenario_hits.scenario,
        scenario_hits.category,
        min(scenario_hits.category_min_points) as min_points,
        min(scenario_hits.category_max_points) as max_points,
        sum(cast(scenario_hits.points_decayed as decimal(38, 12))) as category_points
    from scenario_hits
    group by
        scenario_hits.scoring_model,
        scenario_hits.lead_id,
        scenario_hits.scenario,
        scenario_hits.category
),

category_factors as (
    select
        category_totals.scoring_model,
        category_totals.lead_id,
        category_totals.scenario,
        category_totals.category,
        {{ cap_factor(
            'category_totals.category_points', 'category_totals.min_points', 'category_totals.max_points'
        ) }} as cap_factor
    from category_totals
),

rule_points as (
    select
        scenario_hits.scoring_model,
        scenario_hits.lead_id,
        scenario_hits.scenario,
        scenario_hits.category,
        {{ capped_points('scenario_hits.points_decayed', 'category_factors.cap_factor') }} as points
    from scenario_hits
    inner join category_factors
        on
            scenario_hits.lead_id = category_factors.lead_id
            and scenario_hits.scoring_model = category_factors.scoring_model
            and scenario_hits.scenario = category_factors.scenario
            and scenario_hits.category = category_factors.category
),

scenario_totals as (
    select
        rule_points.scoring_model,
        rule_points.lead_id,
        rule_points.scenario,
        sum(rule_points.points) as points_total,
        sum(case when rule_points.category = 'fit' then rule_points.points else 0 end) as fit_points
    from rule_points
    group by rule_points.scoring_model, rule_points.lead_id, rule_points.scenario
),

bounded_totals as (
    -- the 0-100 bounds, as the score_bounds rows of int_lead_score_contributions
    select
        scenario_totals.scoring_model,
        scenario_totals.lead_id,
        scenario_totals.scenario,
        scenario_totals.fit_points,
        {{ bounded_score('scenario_totals.points_total') }} as score
    from scenario_totals
),

lead_scenarios as (
    select
        bounded_totals.scoring_model,
        bounded_totals.lead_id,
        max(
            case when bounded_totals.scenario = 'with_previous_rules' then bounded_totals.score end
        ) as score_with_previous_rules,
        max(
            case when bounded_totals.scenario = 'before_decay' then bounded_totals.score end
        ) as score_before_decay,
        max(
            case
                when bounded_totals.scenario = 'with_previous_rules'
                    then bounded_totals.fit_points
            end
        ) as fit_score_with_previous_rules
    from bounded_totals
    group by bounded_totals.scoring_model, bounded_totals.lead_id
),

rule_set_changes as (
    select distinct
        moved.scoring_model,
        moved.lead_id
    from moved
    inner join rule_changes
        on
            (
                moved.previous_seeds_changed_at is null
                or moved.previous_seeds_changed_at < rule_changes.changed_at
            )
            and rule_changes.rule_set_version in (
                moved.rule_set_version, moved.previous_rule_set_version
            )
),

parts as (
    select
        moved.scoring_model,
        moved.lead_id,
        moved.score_date,
        moved.previous_score_date,
        moved.rule_set_version,
        moved.previous_rule_set_version,
        moved.previous_score,
        moved.total_score,
        cast(coalesce(lead_scenarios.score_with_previous_rules, 0) as decimal(12, 2))
            as score_with_previous_rules,
        coalesce(new_events.has_new_events, false)
        or new_resets.lead_id is not null
        or cast(coalesce(lead_scenarios.fit_score_with_previous_rules, 0) as decimal(12, 2))
        <> moved.previous_fit_score as has_new_behaviour,
        cast(coalesce(lead_scenarios.score_before_decay, 0) as decimal(12, 2))
            as score_before_decay_if_new_behaviour,
        rule_set_changes.lead_id is not null
        or moved.rule_set_version <> moved.previous_rule_set_version as has_rule_changes
    from moved
    left join lead_scenarios
        on
            moved.lead_id = lead_scenarios.lead_id
            and moved.scoring_model = lead_scenarios.scoring_model
    left join new_events
        on
            moved.lead_id = new_events.lead_id
            and moved.scoring_model = new_events.scoring_model
    left join new_resets
        on
            moved.lead_id = new_resets.lead_id
            and moved.scoring_model = new_resets.scoring_model
    left join rule_set_changes
        on
            moved.lead_id = rule_set_changes.lead_id
            and moved.scoring_model = rule_set_changes.scoring_model
),

final as (
    select
        parts.scoring_model,
        parts.lead_id,
        parts.score_date,
        parts.previous_score_date,
        parts.rule_set_version,
        parts.previous_rule_set_version,
        parts.previous_score,
        cast(
            case
                when parts.has_new_behaviour then parts.score_before_decay_if_new_behaviour
                else parts.previous_score
            end as decimal(12, 2)
        ) as score_before_decay,
        parts.score_with_previous_rules,
        parts.total_score,
        cast(parts.total_score - parts.previous_score as decimal(12, 2)) as score_change,
        cast(
            case
                when parts.has_new_behaviour
                    then parts.score_before_decay_if_new_behaviour - parts.previous_score
                else 0
            end as decimal(12, 2)
        ) as new_behaviour_points,
        cast(
            parts.score_with_previous_rules
            - case
                when parts.has_new_behaviour then parts.score_before_decay_if_new_behaviour
                else parts.previous_score
            end as decimal(12, 2)
        ) as decay_points,
        cast(parts.total_score - parts.score_with_previous_rules as decimal(12, 2))
            as rule_change_points,
        parts.has_new_behaviour,
        parts.has_rule_changes
    from parts
)

select * from final
