{#- The contract's values of raw_crm.mql_feedback: each disposition with the rejection reasons it takes
    (an accepted MQL has none). Staging normalises the raw text (lower case, spaces and dashes as
    underscores) and sets aside a row whose disposition or reason is not listed here. -#}
{% macro mql_feedback_values() -%}
    {{ return({
        'accepted': [],
        'rejected': ['bad_fit', 'no_budget', 'wrong_timing', 'spam', 'duplicate'],
    }) }}
{%- endmacro %}


{#- A picklist value as the contract writes it: trimmed, lower case, spaces and dashes as underscores,
    empty as null ('Bad Fit' and 'bad-fit' are bad_fit). -#}
{% macro picklist_value(text_expr) -%}
    nullif(replace(replace(lower(trim({{ text_expr }})), ' ', '_'), '-', '_'), '')
{%- endmacro %}
