{#- The backtest cut-off dates of this run: var('backtest_cutoff_dates'), a list of YYYY-MM-DD
    strings (a comma-separated string is accepted too, for the command line; an empty list means no
    backtest). Each is validated; returns a sorted list of distinct date strings.
    Without the var, a run that builds the backtest (int_backtest_cutoffs is selected: `dbt build`,
    `make demo`) picks them from the as-of date: one and two label windows before it
    (evaluation_label_window_days, default 90 and 180 days), the latest cut-offs whose label window is
    complete; a run without the backtest (the daily job) scores only as of the as-of date. -#}
{% macro backtest_cutoff_dates() -%}
    {%- set raw = var('backtest_cutoff_dates', none) -%}
    {%- if raw is none -%}
        {{ return(default_backtest_cutoff_dates()) }}
    {%- elif raw == '' -%}
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

{#- The cut-offs backtest_cutoff_dates() picks when var backtest_cutoff_dates is not set: the as-of
    date (var as_of_date, else today in UTC) minus one and two label windows, when this run builds
    the backtest (model int_backtest_cutoffs selected); else none. -#}
{% macro default_backtest_cutoff_dates() -%}
    {%- set backtest_node = 'model.' ~ project_name ~ '.int_backtest_cutoffs' -%}
    {%- set selected = selected_resources if selected_resources is defined else [] -%}
    {%- if backtest_node not in (selected or []) -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set as_of = var('as_of_date', none) -%}
    {%- if as_of is none or as_of == '' -%}
        {%- set as_of_day = modules.datetime.datetime.now(modules.pytz.utc).date() -%}
    {%- else -%}
        {%- set as_of_day = modules.datetime.datetime.strptime(as_of | string, '%Y-%m-%d').date() -%}
    {%- endif -%}
    {%- set window_days = evaluation_setting('evaluation_label_window_days') | int -%}
    {%- set dates = [] -%}
    {%- for windows in [2, 1] -%}
        {%- set day = as_of_day - modules.datetime.timedelta(days=window_days * windows) -%}
        {%- do dates.append(day.strftime('%Y-%m-%d')) -%}
    {%- endfor -%}
    {{ return(dates) }}
{%- endmacro %}
