{#- A bin edge of a suggested rule as the text of seed scoring_rules' value / value_to: whole numbers
    without a decimal point (3, not 3.0), fractional ones in full (the shortest text that reads back
    as the same double), so the engine's rule fires on exactly the bin's values; with digits, a
    fractional edge rounded for reading (reasons). -#}
{% macro woe_edge_text(value, digits=none) -%}
    case
        when {{ value }} = floor({{ value }})
            then cast(cast({{ value }} as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
        {%- if digits is none %}
        else cast({{ value }} as {{ dbt.type_string() }})
        {%- else %}
        else
            cast(
                cast(
                    round(cast({{ value }} as {{ dbt.type_numeric() }}), {{ digits }})
                    as {{ type_double() }}
                ) as {{ dbt.type_string() }}
            )
        {%- endif %}
    end
{%- endmacro %}
