{{ config(materialized='table') }}

{#- The account scoring rules (seed account_scoring_rules, validated by int_account_scoring_rules)
    that hold for each account on the as-of date: one row per (account, rule) that fired, with its
    points and readable reason. Rules stay data: fixed SQL compares a numeric feature with the rule's
    [min_value, max_value) band and a text feature with its '|'-separated list (ignoring case). -#}

with

features as (
    select * from {{ ref('int_account_features') }}
),

rules as (
    select * from {{ ref('int_account_scoring_rules') }}
),

-- the features of macro account_features, one row each: numbers as doubles, text lower case, and
-- the value as the reason shows it
features_long as (
    {% for feature in account_features() %}
        select
            features.crm_account_id,
            features.as_of_date,
            '{{ feature.name }}' as feature_name,
            {% if feature.value_type == 'numeric' -%}
                cast(features.{{ feature.name }} as {{ type_double() }}) as value_numeric,
                cast(null as {{ dbt.type_string() }}) as value_text,
            {%- else -%}
                cast(null as {{ type_double() }}) as value_numeric,
                lower(features.{{ feature.name }}) as value_text,
            {%- endif %}
            {% if feature.value_type == 'numeric' -%}
                case
                    when features.{{ feature.name }} = round(features.{{ feature.name }})
                        then cast(
                            cast(features.{{ feature.name }} as {{ dbt.type_bigint() }})
                            as {{ dbt.type_string() }}
                        )
                    else cast(
                        round(cast(features.{{ feature.name }} as {{ dbt.type_numeric() }}), 1)
                        as {{ dbt.type_string() }}
                    )
                end as feature_value
            {%- else -%}
                features.{{ feature.name }} as feature_value
            {%- endif %}
        from features
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

hits as (
    select
        features_long.crm_account_id,
        features_long.as_of_date,
        rules.rule_id,
        rules.category,
        rules.feature_name,
        features_long.feature_value,
        cast(rules.points as decimal(12, 2)) as points,
        rules.reason
    from features_long
    inner join rules
        on features_long.feature_name = rules.feature_name
    where
        (
            rules.value_type = 'numeric'
            and features_long.value_numeric is not null
            and (rules.min_value is null or features_long.value_numeric >= rules.min_value)
            and (rules.max_value is null or features_long.value_numeric < rules.max_value)
        )
        or (
            rules.value_type = 'text'
            and {{ dbt.position(
                dbt.concat(["'|'", 'features_long.value_text', "'|'"]),
                dbt.concat(["'|'", 'rules.value_list', "'|'"])
            ) }} > 0
        )
),

final as (
    select
        hits.crm_account_id,
        hits.as_of_date,
        hits.rule_id,
        hits.category,
        hits.feature_name,
        hits.feature_value,
        hits.points,
        {{ dbt.concat([
            "replace(hits.reason, '{value}', coalesce(hits.feature_value, ''))",
            "': '",
            "case when hits.points >= 0 then '+' else '' end",
            "case when hits.points = round(hits.points) then cast(cast(hits.points as "
            ~ dbt.type_bigint() ~ ") as " ~ dbt.type_string() ~ ") else cast(hits.points as "
            ~ dbt.type_string() ~ ") end",
        ]) }} as reason_text
    from hits
)

select * from final
