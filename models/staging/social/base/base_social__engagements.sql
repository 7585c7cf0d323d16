{#- `action` is the contract's column name (a SQL keyword, hence the noqa: RF04 below). -#}
{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='social_engagement_row_id',
        on_schema_change='fail',
    )
}}

{%- set window_start = incremental_window_start() %}


with

engagements as (

    {{ source_rows('social', 'engagements', window_start) }}

),

typed as (

    select
        {{ clean_text('engagements.engagement_id') }} as engagement_id,
        lower(trim(engagements.platform)) as platform,
        {{ normalize_handle('engagements.handle') }} as handle,
        lower(trim(engagements.action)) as action,  -- noqa: RF04
        {{ clean_text('engagements.post_id') }} as post_id,
        engagements.occurred_at,
        engagements.source_row_locator,
        engagements._loaded_at
    from engagements

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'engagement_id is null',
            'future_timestamp': is_after_load('occurred_at'),
            'unparseable_timestamp': 'occurred_at is null',
            'invalid_value':
                "handle is null"
                ~ " or platform is null or platform not in ('linkedin', 'x')"
                ~ " or action is null or action not in ('like', 'share', 'comment', 'follow')",
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'engagement_id', order_by=['_loaded_at'],
        tiebreak=['occurred_at', 'platform', 'handle', 'action', 'post_id'],
        window_start=window_start) }}

),

final as (

    {{ ledger_rows('numbered', 'engagement_id', row_id_column='social_engagement_row_id') }}

)

select * from final
