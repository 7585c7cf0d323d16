{#- The message of a failed reconciliation (tests/staging/assert_raw_rows_reconcile.sql), a SQL text
    expression over its `reconciliation` and `fixes` rows: the counts, why they differ and the fix. -#}
{% macro reconciliation_failure_message() -%}
    {%- set text = dbt.type_string() -%}
    {%- set accounted = 'reconciliation.staged_rows + reconciliation.rejected_rows + reconciliation.duplicate_rows' -%}
    reconciliation.source_table || ': ' || cast(reconciliation.raw_rows as {{ text }}) || ' raw rows, but '
    || cast({{ accounted }} as {{ text }}) || ' staged, rejected or duplicate. '
    || case
        when reconciliation.raw_rows > {{ accounted }}
            then 'Rows were loaded with a _loaded_at older than the incremental lookback (late data, or rows '
            || 'appended twice with their old _loaded_at), so the incremental models never read them. '
        else 'Raw rows were removed or replaced (a replace-mode load) after the incremental models read them. '
    end
    || 'Fix: ' || coalesce(fixes.fix, 'dbt build --full-refresh')
{%- endmacro %}
