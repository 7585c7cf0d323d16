{{ config(materialized='table') }}

{#- Seed account_scoring_rules, typed and validated: every rule reads a feature of macro
    account_features in the points category that feature feeds (fit or engagement), a numeric feature
    by a [min_value, max_value) band (at least one bound), a text feature by a '|'-separated list of
    values. A bad row fails the build here, naming the rule and the problem, before any mart changes. -#}

with

rules as (
    select * from {{ ref('account_scoring_rules') }}
),

features as (
    {% for feature in account_features() %}
        select
            '{{ feature.name }}' as feature_name,
            '{{ feature.category }}' as feature_category,
            '{{ feature.value_type }}' as value_type
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

typed as (
    select
        trim(rules.rule_id) as rule_id,
        lower(trim(rules.category)) as category,
        trim(rules.feature_name) as feature_name,
        -- '|'-separated list, lower case, spaces around the separators dropped
        nullif(lower(replace(replace(trim(rules.value), ' |', '|'), '| ', '|')), '') as value_list,
        rules.min_value as min_value_text,
        rules.max_value as max_value_text,
        {{ safe_cast_number('rules.min_value', type_double()) }} as min_value,
        {{ safe_cast_number('rules.max_value', type_double()) }} as max_value,
        rules.points as points_text,
        {{ safe_cast_number('rules.points', type_double()) }} as points,
        coalesce(rules.reason, trim(rules.rule_id)) as reason,
        features.feature_category,
        features.value_type,
        count(*) over (partition by trim(rules.rule_id)) as rule_id_count
    from rules
    left join features
        on trim(rules.feature_name) = features.feature_name
),

checked as (
    select
        typed.rule_id,
        case
            when coalesce(typed.rule_id, '') = '' then 'missing rule_id'
            when typed.rule_id_count > 1 then 'duplicate rule_id'
            when typed.category is null or typed.category not in ('fit', 'engagement')
                then
                    'unknown category ' || coalesce(typed.category, 'null')
                    || ' (expected fit or engagement)'
            when typed.value_type is null
                then
                    'unknown feature ' || coalesce(typed.feature_name, 'null')
                    || ' (not an account feature, macro account_features)'
            when typed.category <> typed.feature_category
                then
                    'feature ' || typed.feature_name || ' gives ' || typed.feature_category
                    || ' points, not ' || typed.category
            when typed.points is null
                then 'points ' || coalesce(typed.points_text, 'null') || ' is not a number'
            when typed.value_type = 'text' and typed.value_list is null
                then
                    'text feature ' || typed.feature_name
                    || ' needs a value (a list separated by |)'
            when
                typed.value_type = 'numeric'
                and coalesce(typed.min_value_text, '') <> '' and typed.min_value is null
                then 'min_value ' || typed.min_value_text || ' is not a number'
            when
                typed.value_type = 'numeric'
                and coalesce(typed.max_value_text, '') <> '' and typed.max_value is null
                then 'max_value ' || typed.max_value_text || ' is not a number'
            when
                typed.value_type = 'numeric'
                and typed.min_value is null and typed.max_value is null
                then 'numeric feature ' || typed.feature_name || ' needs min_value or max_value'
            when typed.min_value >= typed.max_value then 'min_value must be below max_value'
        end as problem
    from typed
),

{{ seed_problems("coalesce(rule_id, '?')") }},

final as (
    select
        typed.rule_id,
        typed.category,
        typed.feature_name,
        typed.value_type,
        typed.value_list,
        typed.min_value,
        typed.max_value,
        typed.points,
        typed.reason,
        {{ seed_validation_error('account_scoring_rules') }} as validation_error
    from typed
    cross join problems
)

select * from final
