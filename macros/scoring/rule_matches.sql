{#- Whether a scoring rule holds for a lead's feature value: one fixed SQL expression over the
    columns of the rule (its text is data compared with values, never spliced into a query).
    Numeric and boolean features (value_type numeric/boolean) compare feature_value_numeric with
    the rule's parsed numbers; text features compare lower-cased text, `in`/`not in` against a
    '|'-separated list, `contains` as a substring. A null feature value never matches. -#}
{% macro rule_matches(value_type, numeric, text, operator, value_text, value_numeric, value_to_numeric) -%}
    {%- set text_item = dbt.concat(["'|'", "lower(" ~ text ~ ")", "'|'"]) -%}
    {%- set text_list = dbt.concat(["'|'", "lower(" ~ value_text ~ ")", "'|'"]) -%}
    coalesce(case {{ operator }}
        when '=' then
            case
                when {{ value_type }} = 'text' then lower({{ text }}) = lower({{ value_text }})
                else {{ numeric }} = {{ value_numeric }}
            end
        when '!=' then
            case
                when {{ value_type }} = 'text' then lower({{ text }}) <> lower({{ value_text }})
                else {{ numeric }} <> {{ value_numeric }}
            end
        when '>' then {{ numeric }} > {{ value_numeric }}
        when '>=' then {{ numeric }} >= {{ value_numeric }}
        when '<' then {{ numeric }} < {{ value_numeric }}
        when '<=' then {{ numeric }} <= {{ value_numeric }}
        when 'between' then {{ numeric }} between {{ value_numeric }} and {{ value_to_numeric }}
        when 'in' then {{ dbt.position(text_item, text_list) }} > 0
        when 'not in' then {{ dbt.position(text_item, text_list) }} = 0
        when 'is true' then {{ numeric }} = 1
        when 'contains' then {{ dbt.position('lower(' ~ value_text ~ ')', 'lower(' ~ text ~ ')') }} > 0
    end, false)
{%- endmacro %}
