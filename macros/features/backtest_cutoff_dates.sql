{#- The backtest cut-off dates of this run: var('backtest_cutoff_dates'), a list of YYYY-MM-DD
    strings (a comma-separated string is accepted too, for the command line). Each is validated;
    returns a sorted list of distinct date strings. -#}
{% macro backtest_cutoff_dates() -%}
    {%- set raw = var('backtest_cutoff_dates', []) -%}
    {%- if raw is none or raw == '' -%}
        {%- set raw = [] -%}
    {%- elif raw is string -%}
        {%- set raw = raw.split(',') -%}
    {%- endif -%}
    {%- set dates = [] -%}
    {%- for value in raw -%}
        {%- set text = value | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
            {{ exceptions.raise_compiler_error(
                "var backtest_cutoff_dates must list YYYY-MM-DD dates, got '" ~ text ~ "'") }}
        {%- endif -%}
        {%- set parsed = modules.datetime.datetime.strptime(text, '%Y-%m-%d') -%}
        {%- if text not in dates -%}
            {%- do dates.append(text) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(dates | sort) }}
{%- endmacro %}
