{#- Seeds on Spark. dbt-spark's session method puts seed values into its SQL unescaped (an open adapter
    bug: an apostrophe or a backslash in a value breaks the insert), so the rows are written here as
    escaped string literals cast to the column's type; and the seed YAML's portable type names
    (varchar, double precision) are mapped to Spark's (string, double). -#}

{#- A seed column type as Spark spells it. -#}
{% macro spark_seed_type(type_name) -%}
    {%- set lowered = type_name | string | lower | trim -%}
    {%- if lowered == 'varchar' or lowered.startswith('varchar(') or lowered == 'text' -%}
        {{ return('string') }}
    {%- elif lowered == 'double precision' -%}
        {{ return('double') }}
    {%- endif -%}
    {{ return(type_name) }}
{%- endmacro %}

{#- A Python value as a Spark SQL string literal (null stays null): backslashes and quotes escaped. -#}
{% macro spark_string_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {%- set text = value | string -%}
    {{ return("'" ~ text.replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                {%- set type = leadscore.spark_seed_type(column_override.get(col_name, inferred_type)) -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }}
                {%- if not loop.last -%}, {%- endif -%}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ comment_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do types.append(leadscore.spark_seed_type(column_override.get(col_name, inferred_type))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ leadscore.spark_string_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {% endset %}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
