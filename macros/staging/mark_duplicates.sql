{#- Dedupe + bucket every raw row of a staging base model: staged, rejected or duplicate.

    Emits the CTEs `<relation>_numbered` (see number_copies) and `<name>`, to put after the CTE
    `relation`, which holds one row per raw row with the normalised key (`key_column`, null when
    missing) and `failed_rule` (the first rule the row fails, see first_failing_rule). Copies of a
    key are numbered in `order_by` order: copy 1 is the one kept (order by load time for events =
    first delivery; by last_modified_date desc for CRM = latest version). Adds:
      copy_number     1, 2, ... within the key (rows with a missing key are numbered among themselves)
      <row_id_column> '<key>#<copy_number>' ('(missing key)#n'): one per raw row, stable across runs
      is_duplicate    the key is present and an earlier copy exists
      row_status      rejected (missing key, or the kept copy fails a rule) | duplicate | staged
      rejection_reason  failed_rule, for rejected rows only
    Incremental: when window_start is given (see incremental_window_start; order_by must then start with
    _loaded_at ascending), copies loaded before the window, already in {{ this }}, are counted first, so a
    redelivery arriving in a later load is still a duplicate and numbering equals a full refresh.
    copy_keys (optional, for the big event tables): SQL of a narrow query over the same raw rows
    giving `dedupe_key` (the key as coalesce(<normalised key>, '')), the `order_by` columns and
    `source_row_locator`; where row locators exist the copies are numbered from it, so the wide rows
    of `relation` are read once, as a stream (see number_copies). -#}
{% macro mark_duplicates(
    relation, key_column, order_by, row_id_column, tiebreak=[], window_start=none, name='deduplicated',
    copy_keys=none
) -%}
    {%- set dedupe_key = "coalesce(" ~ relation ~ "." ~ key_column ~ ", '')" -%}
{%- if window_start is not none %}
{{ relation }}_prior_copies as (
    select
        coalesce(previous.{{ key_column }}, '') as dedupe_key,
        count(*) as prior_copies
    from {{ this }} as previous
    where
        previous._loaded_at < {{ window_start }}
        and coalesce(previous.{{ key_column }}, '') in (
            {%- if copy_keys is not none %}
            select window_keys.dedupe_key from ({{ copy_keys }}) as window_keys
            {%- else %}
            select {{ dedupe_key }} from {{ relation }}
            {%- endif %}
        )
    group by coalesce(previous.{{ key_column }}, '')
),
{% endif %}
{{ leadscore.number_copies(
    relation, dedupe_key, order_by + leadscore.copy_tiebreak(tiebreak), window_start, copy_keys
) }},

{{ name }} as (
    select
        *,
        {{ dbt.concat([
            "coalesce(" ~ key_column ~ ", '(missing key)')",
            "'#'",
            dbt.cast("copy_number", dbt.type_string()),
        ]) }} as {{ row_id_column }},
        {{ key_column }} is not null and copy_number > 1 as is_duplicate,
        case
            when {{ key_column }} is null then 'rejected'
            when copy_number > 1 then 'duplicate'
            when failed_rule is not null then 'rejected'
            else 'staged'
        end as row_status,
        case
            when {{ key_column }} is null then 'missing_key'
            when copy_number = 1 then failed_rule
        end as rejection_reason
    from {{ relation }}_numbered
)
{%- endmacro %}


{#- Last sort keys of the copies of a key, so that copies tied on order_by are numbered the same way on
    every run. DuckDB/PostgreSQL: the physical row locator of the raw row (`source_row_locator`, see
    source_row_locator()): one narrow key instead of every content column, which would make the sort of
    100M events several times slower. Elsewhere: the given content columns. -#}
{% macro copy_tiebreak(columns) -%}
    {{ return(adapter.dispatch('copy_tiebreak', 'leadscore')(columns)) }}
{%- endmacro %}

{% macro default__copy_tiebreak(columns) -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro duckdb__copy_tiebreak(columns) -%}
    {{ return(['source_row_locator']) }}
{%- endmacro %}

{% macro postgres__copy_tiebreak(columns) -%}
    {{ return(['source_row_locator']) }}
{%- endmacro %}


{#- Physical locator of a raw row, selected in a staging model's import CTE as `source_row_locator`
    (DuckDB rowid, PostgreSQL ctid; null elsewhere). Only used to order ties within one query; never
    stored. -#}
{% macro source_row_locator() -%}
    {#- A unit test feeds the model literal rows, which have no physical locator. -#}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{ return(leadscore.default__source_row_locator()) }}
    {%- endif -%}
    {{ return(adapter.dispatch('source_row_locator', 'leadscore')()) }}
{%- endmacro %}

{% macro default__source_row_locator() -%}
    cast(null as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__source_row_locator() -%}
    rowid
{%- endmacro %}

{% macro postgres__source_row_locator() -%}
    ctid
{%- endmacro %}


{#- The narrow query mark_duplicates' copy_keys takes: the raw rows' keys (cleaned as the model cleans
    them, missing as ''), load times and row locators, of the load window only. -#}
{% macro raw_copy_keys(source_relation, raw_key_column, window_start) -%}
    select
        coalesce({{ clean_text(raw_key_column) }}, '') as dedupe_key,
        _loaded_at,
        {{ source_row_locator() }} as source_row_locator
    from {{ source_relation }}
    {{ load_window_filter(window_start) }}
{%- endmacro %}

{#- The CTE `<relation>_numbered`: every row of `relation` with its copy_number, 1, 2, ... within
    its key in `order_columns` order (plus the copies already in {{ this }} before the window, see
    mark_duplicates). Default: one window over the whole rows. -#}
{% macro number_copies(relation, dedupe_key, order_columns, window_start, copy_keys=none) -%}
    {#- A unit test's literal rows have no physical row locator to join on: the plain window. -#}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{ return(leadscore.default__number_copies(relation, dedupe_key, order_columns, window_start, copy_keys)) }}
    {%- endif -%}
    {{ return(adapter.dispatch('number_copies', 'leadscore')(
        relation, dedupe_key, order_columns, window_start, copy_keys)) }}
{%- endmacro %}

{% macro default__number_copies(relation, dedupe_key, order_columns, window_start, copy_keys=none) -%}
{{ relation }}_numbered as (
    select
        {{ relation }}.*,
        {% if window_start is not none -%}
            coalesce({{ relation }}_prior_copies.prior_copies, 0) +
        {%- endif %}
        {#- bigint on every engine (Spark's row_number() is an int, count(*) a bigint). -#}
        cast(row_number() over (
            partition by {{ dedupe_key }}
            order by {{ order_columns | join(', ') }}
        ) as {{ dbt.type_bigint() }}) as copy_number
    from {{ relation }}
    {%- if window_start is not none %}
        left join {{ relation }}_prior_copies
            on {{ dedupe_key }} = {{ relation }}_prior_copies.dedupe_key
    {%- endif %}
)
{%- endmacro %}

{#- DuckDB: a window drags every column of its rows through its sort, which makes the plain window
    over 100M wide raw events the slowest step of a build. Nearly every key has a single copy, so
    only the keys seen more than once (found by a one-column aggregate) are numbered by a window,
    over their rows' keys and row locators only; the numbers are joined back on the locator and
    every other row is copy 1. With copy_keys the keys come from that narrow query over the raw rows
    (read twice, one column each time), so that the wide rows of `relation` are read once and
    streamed, never materialised (100M of them do not fit in memory). Same result as the default. -#}
{% macro duckdb__number_copies(relation, dedupe_key, order_columns, window_start, copy_keys=none) -%}
    {%- if copy_keys is not none -%}
        {%- set keys_from = '(' ~ copy_keys ~ ') as copy_keys' -%}
        {%- set key_expr = 'copy_keys.dedupe_key' -%}
        {%- set locator = 'copy_keys.source_row_locator' -%}
    {%- else -%}
        {%- set keys_from = relation -%}
        {%- set key_expr = dedupe_key -%}
        {%- set locator = relation ~ '.source_row_locator' -%}
    {%- endif %}
{{ relation }}_repeated_keys as (
    select {{ key_expr }} as dedupe_key
    from {{ keys_from }}
    group by {{ key_expr }}
    having count(*) > 1
),

{{ relation }}_repeated_copies as (
    select
        {{ locator }} as source_row_locator,
        row_number() over (
            partition by {{ key_expr }}
            order by {{ order_columns | join(', ') }}
        ) as copy_in_window
    from {{ keys_from }}
    inner join {{ relation }}_repeated_keys
        on {{ key_expr }} = {{ relation }}_repeated_keys.dedupe_key
),

{{ relation }}_numbered as (
    select
        {{ relation }}.*,
        {% if window_start is not none -%}
            coalesce({{ relation }}_prior_copies.prior_copies, 0) +
        {%- endif %}
        coalesce({{ relation }}_repeated_copies.copy_in_window, 1) as copy_number
    from {{ relation }}
    left join {{ relation }}_repeated_copies
        on {{ relation }}.source_row_locator = {{ relation }}_repeated_copies.source_row_locator
    {%- if window_start is not none %}
        left join {{ relation }}_prior_copies
            on {{ dedupe_key }} = {{ relation }}_prior_copies.dedupe_key
    {%- endif %}
)
{%- endmacro %}
