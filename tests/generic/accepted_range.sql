{#- Generic test `accepted_range`: every non-null value of the column lies between min_value and
    max_value (either may be left out; each is a literal or a SQL expression over the model's columns,
    e.g. max_value: as_of_date), bounds included unless inclusive is false. Same name and arguments
    as dbt-utils' test, so tools that know that one read this one. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
{%- if min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error('accepted_range on ' ~ column_name ~ ': give min_value, max_value or both') }}
{%- endif %}

select {{ column_name }}
from {{ model }}
where
    {{ column_name }} is not null
    and (
        false
        {%- if min_value is not none %}
            or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
            or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
        {%- endif %}
    )

{% endtest %}
