{#- The select body of a staging base model's CTE `numbered`: every row of `relation` (one per raw row,
    with the normalised key `key_column`, null when missing) and its `copy_number`, 1, 2, ... within the
    key (rows with a missing key are numbered among themselves), in `order_by` order then the tie-break
    (copy_tiebreak(tiebreak)): copy 1 is the one kept (order by load time for events = first delivery;
    by last_modified_date desc for CRM = latest version).
    Incremental: when window_start is given (see incremental_window_start; order_by must then start with
    _loaded_at ascending), copies loaded before the window, already in {{ this }}, are counted first, so a
    redelivery arriving in a later load is still a duplicate and numbering equals a full refresh.
    copy_keys (optional, for the big event tables): SQL of a narrow query over the same raw rows
    giving `dedupe_key` (the key as coalesce(<normalised key>, '')), the `order_by` columns and
    `source_row_locator`; where row locators exist the copies are numbered from it, so the wide rows
    of `relation` are read once, as a stream. Derived tables only: the model names every CTE. -#}
{% macro number_copies(relation, key_column, order_by, tiebreak=[], window_start=none, copy_keys=none) -%}
    {%- set dedupe_key = "coalesce(" ~ relation ~ "." ~ key_column ~ ", '')" -%}
    {%- set order_columns = order_by + leadscore.copy_tiebreak(tiebreak) -%}
    {%- set prior_copies = leadscore.prior_copies(relation, key_column, window_start, copy_keys) -%}
    {#- A unit test's literal rows have no physical row locator to join on: the plain window. -#}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{ return(leadscore.default__number_copies(relation, dedupe_key, order_columns, prior_copies, copy_keys)) }}
    {%- endif -%}
    {{ return(adapter.dispatch('number_copies', 'leadscore')(
        relation, dedupe_key, order_columns, prior_copies, copy_keys)) }}
{%- endmacro %}


{#- Per key of the load window, the copies already in {{ this }} loaded before the window: the derived
    table `prior_copies` (dedupe_key, prior_copies) number_copies joins, or none on a full refresh. -#}
{% macro prior_copies(relation, key_column, window_start, copy_keys=none) -%}
    {%- if window_start is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set sql -%}
    (
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
                select coalesce({{ relation }}.{{ key_column }}, '') from {{ relation }}
                {%- endif %}
            )
        group by coalesce(previous.{{ key_column }}, '')
    ) as prior_copies
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}


{#- The select body of a staging base model's CTE `final`: the columns documented in the model's YAML
    (documented_columns, `undocumented` before _loaded_at), read from `relation` (the numbered rows,
    with `failed_rule`, the first rule the row fails, see first_failing_rule), the ledger columns
    computed:
      <row_id_column> '<key>#<copy_number>' ('(missing key)#n'): one per raw row, stable across runs
      is_duplicate    the key is present and an earlier copy exists
      row_status      rejected (missing key, or the kept copy fails a rule) | duplicate | staged
      rejection_reason  failed_rule, for rejected rows only
    In a unit test (no YAML to read, see documented_columns): every column of `relation` and the ledger
    columns; the test's expected rows name the columns they check. -#}
{% macro ledger_rows(relation, key_column, row_id_column, undocumented=[]) -%}
    {%- set ledger = {
        row_id_column: dbt.concat([
            "coalesce(" ~ key_column ~ ", '(missing key)')", "'#'", dbt.cast("copy_number", dbt.type_string()),
        ]),
        'is_duplicate': key_column ~ ' is not null and copy_number > 1',
        'row_status': "case when " ~ key_column ~ " is null then 'rejected' when copy_number > 1 then 'duplicate'"
            ~ " when failed_rule is not null then 'rejected' else 'staged' end",
        'rejection_reason': "case when " ~ key_column ~ " is null then 'missing_key'"
            ~ " when copy_number = 1 then failed_rule end",
    } -%}
    {%- set columns = leadscore.documented_columns(undocumented) -%}
    {%- if columns is none %}
    select
        *,
        {%- for name, expression in ledger.items() %}
        {{ expression }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- else -%}
    {%- for name in ledger.keys() | list + ['copy_number', 'failed_rule'] if execute and name not in columns -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": ledger_rows: column " ~ name ~ " is not documented") }}
    {%- endfor %}
    select
        {%- for name in columns %}
        {{ ledger[name] ~ ' as ' if name in ledger }}{{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- endif %}
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


{#- The narrow query number_copies' copy_keys takes: the raw rows' keys (cleaned as the model cleans
    them, missing as ''), load times and row locators, of the load window only. -#}
{% macro raw_copy_keys(source_relation, raw_key_column, window_start) -%}
    select
        coalesce({{ clean_text(raw_key_column) }}, '') as dedupe_key,
        _loaded_at,
        {{ source_row_locator() }} as source_row_locator
    from {{ source_relation }}
    {{ load_window_filter(window_start) }}
{%- endmacro %}

{#- Default number_copies: one window over the whole rows. -#}
{% macro default__number_copies(relation, dedupe_key, order_columns, prior_copies, copy_keys=none) -%}
    select
        {{ relation }}.*,
        {% if prior_copies is not none -%}
            coalesce(prior_copies.prior_copies, 0) +
        {%- endif %}
        {#- bigint on every engine (Spark's row_number() is an int, count(*) a bigint). -#}
        cast(row_number() over (
            partition by {{ dedupe_key }}
            order by {{ order_columns | join(', ') }}
        ) as {{ dbt.type_bigint() }}) as copy_number
    from {{ relation }}
    {%- if prior_copies is not none %}
        left join {{ prior_copies }}
            on {{ dedupe_key }} = prior_copies.dedupe_key
    {%- endif %}
{%- endmacro %}

{#- DuckDB: a window drags every column of its rows through its sort, which makes the plain window
    over 100M wide raw events the slowest step of a build. Nearly every key has a single copy, so
    only the keys seen more than once (found by a one-column aggregate) are numbered by a window,
    over their rows' keys and row locators only; the numbers are joined back on the locator and
    every other row is copy 1. With copy_keys the keys come from that narrow query over the raw rows
    (read twice, one column each time), so that the wide rows of `relation` are read once and
    streamed, never materialised (100M of them do not fit in memory). Same result as the default. -#}
{% macro duckdb__number_copies(relation, dedupe_key, order_columns, prior_copies, copy_keys=none) -%}
    {%- if copy_keys is not none -%}
        {%- set keys_from = '(' ~ copy_keys ~ ') as copy_keys' -%}
        {%- set key_expr = 'copy_keys.dedupe_key' -%}
        {%- set locator = 'copy_keys.source_row_locator' -%}
    {%- else -%}
        {%- set keys_from = relation -%}
        {%- set key_expr = dedupe_key -%}
        {%- set locator = relation ~ '.source_row_locator' -%}
    {%- endif %}
    select
        {{ relation }}.*,
        {% if prior_copies is not none -%}
            coalesce(prior_copies.prior_copies, 0) +
        {%- endif %}
        coalesce(repeated_copies.copy_in_window, 1) as copy_number
    from {{ relation }}
    left join (
        select
            {{ locator }} as source_row_locator,
            row_number() over (
                partition by {{ key_expr }}
                order by {{ order_columns | join(', ') }}
            ) as copy_in_window
        from {{ keys_from }}
        inner join (
            select {{ key_expr }} as dedupe_key
            from {{ keys_from }}
            group by {{ key_expr }}
            having count(*) > 1
        ) as repeated_keys
            on {{ key_expr }} = repeated_keys.dedupe_key
    ) as repeated_copies
        on {{ relation }}.source_row_locator = repeated_copies.source_row_locator
    {%- if prior_copies is not none %}
        left join {{ prior_copies }}
            on {{ dedupe_key }} = prior_copies.dedupe_key
    {%- endif %}
{%- endmacro %}
