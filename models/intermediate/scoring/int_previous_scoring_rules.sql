{{ config(materialized='table', enabled=target.type != 'spark') }}

{#- The active scoring rules as they were at the previous run (the last scoring day before the
    as-of date, int_scoring_runs), from the snapshots of the seeds: each rule with the half-life of
    its decay kind and the caps of its category in its rule set then. fct_lead_score_changes scores
    today's features with them (what the score would be had no rule changed). The text of the seed
    rows is typed as int_scoring_rules types it; those versions passed its validation when they
    were scored. Empty before a second scoring day. -#}

with

runs as (
    select * from {{ ref('int_scoring_runs') }}
),

rules as (
    select * from {{ ref('snap_scoring_rules') }}
),

half_lives as (
    select * from {{ ref('snap_scoring_decay_half_lives') }}
),

caps as (
    select * from {{ ref('snap_scoring_category_caps') }}
),

feature_catalog as (
    select * from {{ ref('int_feature_catalog') }}
),

rules_versions as (
    select
        rules.*,
        min(rules.dbt_valid_from) over () as first_loaded_at
    from rules
),

half_lives_versions as (
    select
        half_lives.*,
        min(half_lives.dbt_valid_from) over () as first_loaded_at
    from half_lives
),

caps_versions as (
    select
        caps.*,
        min(caps.dbt_valid_from) over () as first_loaded_at
    from caps
),


previous_run as (
    select
        runs.score_date as previous_score_date,
        runs.seeds_changed_at as previous_seeds_changed_at
    from runs
    where runs.score_date = (
        select max(earlier.score_date) from runs as earlier
        where earlier.score_date < {{ as_of_date() }}
    )
),

previous_rules as (
    select
        previous_run.previous_score_date,
        previous_run.previous_seeds_changed_at,
        trim(rules.rule_id) as rule_id,
        trim(rules.rule_set_version) as rule_set_version,
        lower(trim(rules.category)) as category,
        trim(rules.feature_name) as feature_name,
        lower(trim(rules.operator)) as operator, -- noqa: RF04
        replace(replace(trim(rules.value), ' |', '|'), '| ', '|') as value_text, -- noqa: RF04
        {{ safe_cast_number('rules.value', type_double()) }} as value_numeric,
        {{ safe_cast_number('rules.value_to', type_double()) }} as value_to_numeric,
        {{ safe_cast_number('rules.points', type_double()) }} as points,
        lower(trim(coalesce(rules.persona, 'all'))) as persona
    from rules_versions as rules
    cross join previous_run
    where
        {{ snapshot_valid_at('rules', 'previous_run.previous_seeds_changed_at') }}
        and lower(trim(rules.is_active)) = 'true'
),

previous_half_lives as (
    select
        trim(half_lives.rule_set_version) as rule_set_version,
        lower(trim(half_lives.decay_kind)) as decay_kind,
        {{ safe_cast_number('half_lives.half_life_days', type_double()) }} as half_life_days
    from half_lives_versions as half_lives
    cross join previous_run
    where {{ snapshot_valid_at('half_lives', 'previous_run.previous_seeds_changed_at') }}
),

previous_caps as (
    select
        trim(caps.rule_set_version) as rule_set_version,
        lower(trim(caps.category)) as category,
        {{ safe_cast_number('caps.min_points', type_double()) }} as min_points,
        {{ safe_cast_number('caps.max_points', type_double()) }} as max_points
    from caps_versions as caps
    cross join previous_run
    where {{ snapshot_valid_at('caps', 'previous_run.previous_seeds_changed_at') }}
),

final as (
    select
        previous_rules.previous_score_date,
        previous_rules.previous_seeds_changed_at,
        previous_rules.rule_id,
        previous_rules.rule_set_version,
        previous_rules.category,
        previous_rules.feature_name,
        previous_rules.operator,
        previous_rules.value_text,
        previous_rules.value_numeric,
        previous_rules.value_to_numeric,
        previous_rules.points,
        previous_rules.persona,
        feature_catalog.value_type,
        previous_half_lives.half_life_days,
        previous_caps.min_points as category_min_points,
        previous_caps.max_points as category_max_points
    from previous_rules
    inner join feature_catalog
        on previous_rules.feature_name = feature_catalog.feature_name
    left join previous_half_lives
        on
            previous_rules.rule_set_version = previous_half_lives.rule_set_version
            and feature_catalog.decay_kind = previous_half_lives.decay_kind
    left join previous_caps
        on
            previous_rules.rule_set_version = previous_caps.rule_set_version
            and previous_rules.category = previous_caps.category
)

select * from final
