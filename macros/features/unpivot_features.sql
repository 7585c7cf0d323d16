{#- Turns the wide feature columns of `relation` (a relation or CTE with lead_id and as_of_date)
    into the long shape of int_lead_features_long, one `union all` branch per feature.
    `features`: list of (feature_name, value_type, last_at_column) where the column holding the
    value is named like the feature, value_type is numeric, boolean or text, and last_at_column
    (or none) holds the time of the last event behind the feature (days_since_last). -#}
{% macro unpivot_features(relation, features) -%}
    {%- for feature_name, value_type, last_at_column in features %}
    select
        lead_id,
        as_of_date,
        '{{ feature_name }}' as feature_name,
        {%- if value_type == 'numeric' %}
        cast({{ feature_name }} as {{ type_double_precision() }}) as feature_value_numeric,
        cast(null as {{ dbt.type_string() }}) as feature_value_text,
        {%- elif value_type == 'boolean' %}
        case
            when {{ feature_name }} then cast(1 as {{ type_double_precision() }})
            when not {{ feature_name }} then cast(0 as {{ type_double_precision() }})
        end as feature_value_numeric,
        cast(null as {{ dbt.type_string() }}) as feature_value_text,
        {%- elif value_type == 'text' %}
        cast(null as {{ type_double_precision() }}) as feature_value_numeric,
        cast({{ feature_name }} as {{ dbt.type_string() }}) as feature_value_text,
        {%- else %}
        {{ exceptions.raise_compiler_error(
            "unpivot_features: unknown value_type '" ~ value_type ~ "' of " ~ feature_name) }}
        {%- endif %}
        {%- if last_at_column %}
        {{ dbt.datediff('cast(' ~ last_at_column ~ ' as date)', 'as_of_date', 'day') }}
            as days_since_last
        {%- else %}
        cast(null as {{ dbt.type_int() }}) as days_since_last
        {%- endif %}
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
