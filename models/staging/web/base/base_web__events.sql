{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='web_event_row_id',
        on_schema_change='fail',
    )
}}

{#- Every raw web event, once: typed, validated, deduplicated and enriched in one pass over the raw
    rows of the load window (all rows on a full refresh). stg_web__events reads the staged rows. -#}
{%- set window_start = incremental_window_start() -%}
{#- The raw rows' keys, load times and row locators only: what numbering the copies needs, read
    apart from the wide rows (number_copies' copy_keys). -#}
{%- set copy_keys = raw_copy_keys(source_table('web', 'events'), 'event_id', window_start) -%}
{%- set page_path -%}
    coalesce({{ clean_text('path') }}, {{ url_path(clean_text('url')) }})
{%- endset %}

with

events as (

    {{ source_rows('web', 'events', window_start) }}

),

events_for_lookups as (

    {#- Page paths and user agents of the window, read apart from `events` (a CTE used twice
        would be materialized): the seed lookups run once per distinct value, not per row. -#}

    select * from {{ source_table('web', 'events') }}
    {{ load_window_filter(window_start) }}

),

event_names as (

    select * from {{ ref('web_event_names') }}

),

page_url_patterns as (

    select * from {{ ref('page_url_patterns') }}

),

bot_user_agent_patterns as (

    select * from {{ ref('bot_user_agent_patterns') }}

),

typed as (

    select
        {{ clean_text('events.event_id') }} as event_id,
        {{ clean_text('events.anonymous_id') }} as anonymous_id,
        {{ clean_text('events.user_id') }} as user_id,
        {{ valid_email_or_null('events.email') }} as email,
        lower(trim(events.type)) as event_type,
        trim(events.event) as event_name,
        event_names.event_type as expected_event_type,
        event_names.event_family,
        {{ clean_text('events.url') }} as page_url,
        {{ page_path }} as page_path,
        {{ clean_text('events.referrer') }} as referrer,
        coalesce(events.properties, '{}') as properties,
        {{ is_valid_json("coalesce(events.properties, '{}')") }} as is_valid_properties,
        events.user_agent,
        {{ parse_iso_timestamp('events.timestamp') }} as event_at,
        events.timestamp as event_timestamp_text,
        event_names.event_name is not null as is_known_event_name,
        events.source_row_locator,
        events._loaded_at
    from events
    left join event_names
        on trim(events.event) = event_names.event_name

),

with_duration as (

    select
        typed.*,
        case
            when typed.is_valid_properties
                then {{ json_extract_text('typed.properties', 'duration_s') }}
        end as duration_text
    from typed

),

validated as (

    select
        with_duration.*,
        {{ safe_cast_number('with_duration.duration_text', type_double()) }} as duration_seconds,
        {{ first_failing_rule({
            'missing_key': 'event_id is null',
            'unknown_event_name': 'not is_known_event_name',
            'malformed_json': 'not is_valid_properties',
            'negative_duration': safe_cast_number('duration_text', type_double()) ~ ' < 0',
            'future_timestamp': is_after_load('event_at'),
            'unparseable_timestamp': 'event_at is null',
            'invalid_value':
                "event_type is null or event_type <> expected_event_type"
                ~ " or (duration_text is not null and "
                ~ safe_cast_number('duration_text', type_double()) ~ " is null)"
                ~ " or (anonymous_id is null and user_id is null)",
        }) }} as failed_rule
    from with_duration

),

numbered as (

    {{ number_copies('validated', 'event_id', order_by=['_loaded_at'],
        tiebreak=[
            'event_timestamp_text', 'properties', 'event_name', 'event_type', 'anonymous_id', 'user_id',
            'email', 'page_url', 'page_path', 'referrer', 'user_agent',
        ],
        window_start=window_start, copy_keys=copy_keys) }}

),

page_paths as (

    select distinct {{ page_path }} as page_path
    from events_for_lookups
    where {{ page_path }} is not null

),

page_categories_ranked as (

    select
        page_paths.page_path,
        page_url_patterns.page_category,
        row_number() over (
            partition by page_paths.page_path
            order by page_url_patterns.priority, page_url_patterns.pattern
        ) as match_rank
    from page_paths
    inner join page_url_patterns
        on lower(page_paths.page_path) like lower(page_url_patterns.pattern)

),

page_categories as (

    select
        page_path,
        page_category
    from page_categories_ranked
    where match_rank = 1

),

user_agents as (

    select distinct user_agent
    from events_for_lookups
    where user_agent is not null

),

bot_user_agents as (

    select distinct user_agents.user_agent
    from user_agents
    inner join bot_user_agent_patterns
        on lower(user_agents.user_agent) like lower(bot_user_agent_patterns.pattern)

),

enriched as (

    select
        numbered.event_id,
        numbered.anonymous_id,
        numbered.user_id,
        numbered.email,
        numbered.event_type,
        numbered.event_name,
        numbered.event_family,
        numbered.page_url,
        numbered.page_path,
        coalesce(page_categories.page_category, 'other') as page_category,
        numbered.referrer,
        numbered.properties,
        numbered.duration_seconds,
        case
            when numbered.is_valid_properties and numbered.event_name = 'feature_used'
                then {{ json_extract_text('numbered.properties', 'feature') }}
        end as feature_name,
        case
            when
                numbered.is_valid_properties
                and numbered.event_name = 'onboarding_step_completed'
                then cast(
                    {{ safe_cast_number(
                        json_extract_text('numbered.properties', 'step'), type_double()
                    ) }} as {{ dbt.type_int() }}
                )
        end as onboarding_step,
        case
            when numbered.is_valid_properties and numbered.event_name = 'file_downloaded'
                then {{ json_extract_text('numbered.properties', 'file') }}
        end as download_name,
        case
            when numbered.is_valid_properties and numbered.event_name = 'api_call'
                then {{ json_extract_text('numbered.properties', 'endpoint') }}
        end as api_endpoint,
        numbered.user_agent,
        bot_user_agents.user_agent is not null as is_bot_user_agent,
        numbered.event_at,
        case when numbered.event_at is null then numbered.event_timestamp_text end
            as event_timestamp_text,
        numbered._loaded_at,
        numbered.copy_number,
        numbered.failed_rule
    from numbered
    left join page_categories
        on numbered.page_path = page_categories.page_path
    left join bot_user_agents
        on numbered.user_agent = bot_user_agents.user_agent

),

final as (

    {{ ledger_rows('enriched', 'event_id', row_id_column='web_event_row_id') }}

)

select * from final
