{#- var('web_source_shape'): contract (default: the raw_web tables of the contract, placed by the web_*
    vars) or segment (Segment's warehouse tables identifies, pages and tracks, source `segment`). -#}
{% macro web_source_shape() -%}
    {%- set shape = var('web_source_shape', 'contract') -%}
    {%- if shape not in ['contract', 'segment'] -%}
        {{ exceptions.raise_compiler_error(
            "var web_source_shape must be contract or segment, got '" ~ shape ~ "'") }}
    {%- endif -%}
    {{ return(shape) }}
{%- endmacro %}


{#- A contract web table read from Segment's warehouse tables as a derived table with exactly the
    contract's columns: raw_web.identifies from `identifies`, raw_web.events from `pages` and `tracks`
    unioned (type page / track; a page's event is its `name`). Message ids from `id`, _loaded_at from
    `received_at`, the event time (a UTC timestamp in Segment) cast to text (read as UTC by staging), the user agent and email from
    `context_user_agent` and `context_traits_email`, a track's page from `context_page_*`; other columns
    by their contract names when the table has them (`properties`, `traits`: JSON text, see the sources
    YAML), else typed nulls. -#}
{% macro segment_table(table_name) -%}
    {%- set tables = {'identifies': ['identifies'], 'events': ['pages', 'tracks']}[table_name] -%}
    {%- if not execute -%}
        {%- for segment_table in tables -%}
            {%- do source('segment', segment_table) -%}
        {%- endfor -%}
        {{ return(source('segment', tables[0])) }}
    {%- endif -%}
    {%- set selects = [] -%}
    {%- for segment_table in tables -%}
        {%- do selects.append(segment_select(table_name, segment_table)) -%}
    {%- endfor -%}
    {{ return('(' ~ selects | join('\nunion all\n') ~ ') as segment_' ~ table_name) }}
{%- endmacro %}


{#- The select of one Segment table (pages, tracks, identifies) giving contract table `table_name`'s columns. -#}
{% macro segment_select(table_name, segment_table) -%}
    {%- set relation = source('segment', segment_table) -%}
    {%- set available = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if not available -%}
        {{ exceptions.raise_compiler_error(
            "web_source_shape is segment, but " ~ relation ~ " has no columns (does it exist?)") }}
    {%- endif -%}
    {%- set mapped = {
        'event_id': 'id', 'message_id': 'id', '_loaded_at': 'received_at',
        'user_agent': 'context_user_agent', 'email': 'context_traits_email',
    } -%}
    {%- if segment_table == 'identifies' -%}
        {%- do mapped.update({'email': 'email'}) -%}
    {%- elif segment_table == 'pages' -%}
        {%- do mapped.update({'type': "'page'", 'event': 'name'}) -%}
    {%- else -%}
        {%- do mapped.update({'type': "'track'", 'url': 'context_page_url', 'path': 'context_page_path',
            'referrer': 'context_page_referrer'}) -%}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name, sql_type in declared_columns('web', table_name) -%}
        {%- set column = mapped.get(name, name) -%}
        {%- if column.startswith("'") -%}
            {%- set expression = column -%}
        {%- elif column in available -%}
            {%- set expression = segment_table ~ '.' ~ adapter.quote(column) -%}
        {%- else -%}
            {%- set expression = 'null' -%}
        {%- endif -%}
        {%- do columns.append('cast(' ~ expression ~ ' as ' ~ sql_type ~ ') as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    select {{ (columns + row_locator_column(segment_table)) | join(', ') }}
    from {{ relation }} as {{ segment_table }}
{%- endmacro %}
