{#- Fail the build, naming the var and the problem, when a var the models read is malformed. Called by
    int_build_inputs_checked, which every mart depends on (macro ref), so a bad var stops the build
    before any mart is replaced. Each var is checked only when it is set. -#}
{% macro check_build_vars() -%}
    {%- if execute -%}
        {%- do check_date_var('as_of_date', var('as_of_date', none)) -%}
        {%- set cutoffs = var('backtest_cutoff_dates', none) -%}
        {%- if cutoffs is not none and cutoffs != '' -%}
            {%- set cutoff_list = [cutoffs] if cutoffs is string else cutoffs -%}
            {%- if cutoff_list is not iterable or cutoff_list is mapping -%}
                {%- do build_var_error('backtest_cutoff_dates', cutoffs, 'a list of dates (YYYY-MM-DD)') -%}
            {%- endif -%}
            {%- for cutoff in cutoff_list -%}
                {%- do check_date_var('backtest_cutoff_dates', cutoff) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- for name in ['incremental_lookback_days', 'session_inactivity_minutes',
                         'future_timestamp_tolerance_hours', 'bot_events_per_minute_threshold',
                         'bot_events_per_day_threshold', 'sales_capacity_mqls_per_week'] -%}
            {%- do check_number_var(name, var(name, none)) -%}
        {%- endfor -%}
        {%- for name in ['data_tests_on_new_loads_only', 'enable_python_models', 'learned_weights_from_cli'] -%}
            {%- set value = var(name, none) -%}
            {%- if value is not none and value not in [true, false] -%}
                {%- do build_var_error(name, value, 'true or false') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#- A var that must be a calendar date written YYYY-MM-DD (or unset). -#}
{% macro check_date_var(name, value) -%}
    {%- if value is not none and value != '' -%}
        {%- set text = value | string -%}
        {%- set match = modules.re.match('^(\d{4})-(\d{2})-(\d{2})$', text) -%}
        {%- if not match -%}
            {%- do build_var_error(name, value, 'a date written YYYY-MM-DD') -%}
        {%- endif -%}
        {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
        {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
        {%- set days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {%- if month < 1 or month > 12 or day < 1 or day > days[month - 1] -%}
            {%- do build_var_error(name, value, 'a date that exists (YYYY-MM-DD)') -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- A var that must be a number >= 0 (or unset). -#}
{% macro check_number_var(name, value) -%}
    {%- if value is not none -%}
        {%- if value is boolean or not modules.re.match('^\d+(\.\d+)?$', value | string) -%}
            {%- do build_var_error(name, value, 'a number >= 0') -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro build_var_error(name, value, expected) -%}
    {%- do exceptions.raise_compiler_error(
        "Bad var " ~ name ~ ": got '" ~ value ~ "', expected " ~ expected
        ~ ". No mart was rebuilt (they are all from the last good run); fix the var (--vars or "
        ~ "dbt_project.yml) and build again.") -%}
{%- endmacro %}

