{#- DuckDB seeds: before dbt reads the CSV, check that every line has as many fields as the header and
    name the first that does not by its line number as an editor shows it (the header is line 1), e.g.
    "seeds/scoring/scoring_rules.csv, line 4: 12 fields, the header has 11". dbt's own message for this
    counts data rows from 0 ("Row 2"). Then dbt's seed materialization runs unchanged. -#}
{% materialization seed, adapter='duckdb' %}
    {%- do check_seed_file_fields(model) -%}
    {{ return(dbt.materialization_seed_default()) }}
{% endmaterialization %}


{#- Lines with an odd number of double quotes (a quoted value that spans lines) are not counted. -#}
{% macro check_seed_file_fields(seed) -%}
    {%- set path = (seed.root_path ~ '/' ~ seed.original_file_path) | replace("'", "''") -%}
    {%- set unquoted = "regexp_replace(line_text, '\"([^\"]|\"\")*\"', '', 'g')" -%}
    {%- set query -%}
        with file_lines as (
            select
                unnest(string_split(replace(content, chr(13), ''), chr(10))) as line_text,
                generate_subscripts(string_split(replace(content, chr(13), ''), chr(10)), 1) as line_number
            from read_text('{{ path }}')
        ),

        counted as (
            select
                line_number,
                length({{ unquoted }}) - length(replace({{ unquoted }}, ',', '')) + 1 as field_count
            from file_lines
            where line_text != '' and (length(line_text) - length(replace(line_text, '"', ''))) % 2 = 0
        )

        select
            counted.line_number,
            counted.field_count,
            header.field_count as header_field_count
        from counted
        cross join (select field_count from counted where line_number = 1) as header
        where counted.field_count != header.field_count
        order by counted.line_number
        limit 1
    {%- endset -%}
    {%- set found = run_query(query) -%}
    {%- if found.rows | length > 0 -%}
        {%- set row = found.rows[0] -%}
        {%- do exceptions.raise_compiler_error(
            "Bad seed " ~ seed.original_file_path ~ ", line " ~ row[0] ~ ": " ~ row[1] ~ " fields, the header has "
            ~ row[2] ~ " (a value holding a comma must be in double quotes). No mart was rebuilt.") -%}
    {%- endif -%}
{%- endmacro %}
