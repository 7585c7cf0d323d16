{{ config(materialized='table') }}

{#- The rules engine: every active rule that holds for a lead on a scoring date, per rule set.
    Rules are data (int_scoring_rules) compared with int_lead_features_long by the fixed SQL of
    macro rule_matches. A rule for a persona fires only for leads of that persona (fit_persona).
    Engagement points fade with the half-life of the feature's decay kind in the rule set:
    points * 0.5 ^ (days_since_last / half_life_days) (macro decay_factor); other categories never
    decay. -#}

with

features as (
    select * from {{ ref('int_lead_features_long') }}
),

rules as (
    select * from {{ ref('int_scoring_rules') }}
),

half_lives as (
    select * from {{ ref('int_scoring_decay_half_lives') }}
),

active_rules as (
    select
        rules.rule_id,
        rules.rule_set_version,
        rules.category,
        rules.feature_name,
        rules.operator,
        rules.value_text,
        rules.value_numeric,
        rules.value_to_numeric,
        rules.points,
        rules.persona,
        rules.reason,
        rules.value_type,
        rules.decay_kind
    from rules
    where rules.is_active
),

lead_personas as (
    select
        features.lead_id,
        features.as_of_date,
        coalesce(features.feature_value_text, 'unknown') as persona
    from features
    where features.feature_name = 'fit_persona'
),

candidates as (
    select
        features.lead_id,
        features.as_of_date,
        active_rules.rule_set_version,
        active_rules.rule_id,
        active_rules.category,
        active_rules.feature_name,
        active_rules.reason,
        active_rules.points,
        active_rules.decay_kind,
        features.feature_value_numeric,
        features.feature_value_text,
        features.days_since_last,
        {{ rule_matches(
            'active_rules.value_type',
            'features.feature_value_numeric',
            'features.feature_value_text',
            'active_rules.operator',
            'active_rules.value_text',
            'active_rules.value_numeric',
            'active_rules.value_to_numeric'
        ) }} as is_match
    from features
    inner join active_rules
        on features.feature_name = active_rules.feature_name
    left join lead_personas
        on
            features.lead_id = lead_personas.lead_id
            and features.as_of_date = lead_personas.as_of_date
    where {{ rule_applies_to_persona('active_rules.persona', 'lead_personas.persona') }}
),

decayed as (
    select
        candidates.lead_id,
        candidates.as_of_date,
        candidates.rule_set_version,
        candidates.rule_id,
        candidates.category,
        candidates.feature_name,
        candidates.feature_value_numeric,
        candidates.feature_value_text,
        candidates.days_since_last,
        candidates.reason,
        candidates.points as points_raw,
        {{ decay_factor(
            'candidates.category', 'half_lives.half_life_days', 'candidates.days_since_last'
        ) }} as decay_factor
    from candidates
    left join half_lives
        on
            candidates.rule_set_version = half_lives.rule_set_version
            and candidates.decay_kind = half_lives.decay_kind
    where candidates.is_match
),

final as (
    select
        decayed.lead_id,
        decayed.as_of_date,
        decayed.rule_set_version,
        decayed.rule_id,
        decayed.category,
        decayed.feature_name,
        decayed.feature_value_numeric,
        decayed.feature_value_text,
        decayed.days_since_last,
        decayed.reason,
        decayed.points_raw,
        cast(decayed.decay_factor as {{ type_double() }}) as decay_factor,
        cast(decayed.points_raw * decayed.decay_factor as {{ type_double() }}) as points_decayed
    from decayed
)

select * from final
