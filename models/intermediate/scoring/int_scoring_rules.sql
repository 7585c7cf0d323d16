{{ config(materialized='table') }}

{#- Seed scoring_rules, typed and validated. Any bad row fails the build here, before a single
    score is computed, with one message naming every bad rule and its problem (macro fail_if).
    The rules stay data: later models compare their columns in fixed SQL (macro rule_matches). -#}

with

rules as (
    select * from {{ ref('scoring_rules') }}
),

feature_catalog as (
    select * from {{ ref('int_feature_catalog') }}
),

persona_values as (
    select distinct attribute_value as persona
    from {{ ref('job_title_personas') }}
    where attribute = 'persona'
),

known_personas as (
    select persona from persona_values
    union all
    select 'other' as persona
    union all
    select 'unknown' as persona
    union all
    select 'all' as persona
),

typed as (
    select
        trim(rules.rule_id) as rule_id,
        trim(rules.rule_set_version) as rule_set_version,
        lower(trim(rules.category)) as category,
        trim(rules.feature_name) as feature_name,
        lower(trim(rules.operator)) as operator, -- noqa: RF04
        -- lists for in / not in: '|'-separated, spaces around the separators dropped
        replace(replace(trim(rules.value), ' |', '|'), '| ', '|') as value_text, -- noqa: RF04
        rules.value_to as value_to_text,
        {{ safe_cast_number('rules.value', type_double()) }} as value_numeric,
        {{ safe_cast_number('rules.value_to', type_double()) }} as value_to_numeric,
        rules.points as points_text,
        {{ safe_cast_number('rules.points', type_double()) }} as points,
        lower(trim(coalesce(rules.persona, 'all'))) as persona,
        lower(trim(rules.is_active)) as is_active_text,
        coalesce(rules.reason, trim(rules.rule_id)) as reason,
        feature_catalog.value_type,
        feature_catalog.decay_kind,
        feature_catalog.feature_name is not null as is_known_feature,
        count(*) over (partition by trim(rules.rule_id)) as rule_id_count
    from rules
    left join feature_catalog
        on trim(rules.feature_name) = feature_catalog.feature_name
),

checked as (
    select
        typed.rule_id,
        typed.rule_set_version,
        typed.category,
        typed.feature_name,
        typed.operator,
        typed.value_text,
        typed.value_numeric,
        typed.value_to_numeric,
        typed.points,
        typed.persona,
        typed.is_active_text,
        typed.reason,
        typed.value_type,
        typed.decay_kind,
        case
            when coalesce(typed.rule_id, '') = '' then 'missing rule_id'
            when typed.rule_id_count > 1 then 'duplicate rule_id'
            when coalesce(typed.rule_set_version, '') = '' then 'missing rule_set_version'
            when
                typed.category is null
                or typed.category not in ('fit', 'engagement', 'negative', 'spam')
                then
                    'unknown category ' || coalesce(typed.category, 'null')
                    || ' (expected fit, engagement, negative or spam)'
            when not typed.is_known_feature
                then
                    'unknown feature ' || coalesce(typed.feature_name, 'null')
                    || ' (not in seed feature_catalog)'
            when
                typed.operator is null or typed.operator not in (
                    '=', '!=', '>', '>=', '<', '<=',
                    'between', 'in', 'not in', 'is true', 'contains'
                )
                then
                    'unknown operator ' || coalesce(typed.operator, 'null')
                    || ' (expected =, !=, >, >=, <, <=, between, in, not in, is true, contains)'
            when typed.points is null
                then 'points ' || coalesce(typed.points_text, 'null') || ' is not a number'
            when typed.is_active_text is null or typed.is_active_text not in ('true', 'false')
                then
                    'is_active ' || coalesce(typed.is_active_text, 'null')
                    || ' is not true or false'
            when typed.persona not in (select known_personas.persona from known_personas)
                then 'unknown persona ' || typed.persona
            when
                typed.operator in ('>', '>=', '<', '<=', 'between')
                and typed.value_type = 'text'
                then
                    'operator ' || typed.operator || ' needs a numeric feature, '
                    || typed.feature_name || ' is text'
            when typed.operator = 'is true' and typed.value_type <> 'boolean'
                then
                    'operator is true needs a boolean feature, ' || typed.feature_name || ' is '
                    || typed.value_type
            when typed.operator in ('in', 'not in', 'contains') and typed.value_type <> 'text'
                then
                    'operator ' || typed.operator || ' needs a text feature, '
                    || typed.feature_name || ' is ' || typed.value_type
            when
                typed.operator in ('=', '!=', '>', '>=', '<', '<=', 'between')
                and typed.value_type <> 'text'
                and typed.value_numeric is null
                then 'value ' || coalesce(typed.value_text, 'null') || ' does not parse as a number'
            when typed.operator = 'between' and typed.value_to_numeric is null
                then
                    'value_to ' || coalesce(typed.value_to_text, 'null')
                    || ' does not parse as a number'
            when typed.operator = 'between' and typed.value_to_numeric < typed.value_numeric
                then 'between needs value <= value_to'
            when
                typed.operator in ('=', '!=', 'in', 'not in', 'contains')
                and coalesce(typed.value_text, '') = ''
                then 'operator ' || typed.operator || ' needs a value'
            when typed.operator in ('in', 'not in') and typed.value_text like '%||%'
                then 'value ' || typed.value_text || ' has an empty list item'
        end as problem
    from typed
),

{{ seed_problems("'rule ' || coalesce(rule_id, '?')", 'order by rule_id') }},

final as (
    select
        checked.rule_id,
        checked.rule_set_version,
        checked.category,
        checked.feature_name,
        checked.operator,
        checked.value_text,
        checked.value_numeric,
        checked.value_to_numeric,
        checked.points,
        checked.persona,
        checked.is_active_text = 'true' as is_active,
        checked.reason,
        checked.value_type,
        checked.decay_kind,
        {{ seed_validation_error('scoring_rules') }} as validation_error
    from checked
    cross join problems
)

select * from final
