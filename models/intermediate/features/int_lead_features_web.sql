{{ config(materialized='table') }}

{#- Web engagement as of each scoring date, from the daily activity (int_web_visitor_days) of
    the visitors linked to the lead. As-of rules: only days up to as_of_date (a day is wholly
    before or after the cut-off), only visitor links known before the cut-off, and no visitor
    already detected as a rate bot by then (macro visitor_counts_as_of). "30d" = the 30 days ending on as_of_date. Web page
    views leave out product (app) pages, which the product family counts. -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

visitor_days as (
    select * from {{ ref('int_web_visitor_days') }}
),

visitor_links as (
    select * from {{ ref('int_web_visitors_identified') }}
),

days_as_of as (
    select
        spine.lead_id,
        spine.as_of_date,
        visitor_days.activity_date,
        visitor_days.activity_date >= cast(spine.window_30d_start_at as date) as is_in_last_30d,
        visitor_days.page_view_count,
        visitor_days.web_page_view_count,
        visitor_days.page_seconds,
        visitor_days.pricing_page_view_count,
        visitor_days.demo_page_view_count,
        visitor_days.careers_page_view_count,
        visitor_days.download_count,
        visitor_days.demo_request_count,
        visitor_days.webinar_attended_count,
        visitor_days.session_start_count,
        visitor_days.last_event_at,
        visitor_days.last_web_page_view_at,
        visitor_days.last_session_started_at,
        visitor_days.last_pricing_page_view_at,
        visitor_days.last_demo_page_view_at,
        visitor_days.last_careers_page_view_at,
        visitor_days.last_download_at,
        visitor_days.last_demo_request_at,
        visitor_days.last_webinar_attended_at
    from visitor_days
    inner join visitor_links
        on visitor_days.visitor_id = visitor_links.visitor_id
    inner join spine
        on
            visitor_links.lead_id = spine.lead_id
            and visitor_days.activity_date <= spine.as_of_date
            and {{ visitor_counts_as_of('visitor_days', 'visitor_links', 'spine') }}
),

day_stats as (
    select
        lead_id,
        as_of_date,
        sum(web_page_view_count) as web_page_views_total,
        sum(case when is_in_last_30d then web_page_view_count else 0 end) as web_page_views_30d,
        sum(page_view_count) as all_page_views_total,
        sum(session_start_count) as web_sessions_total,
        sum(case when is_in_last_30d then session_start_count else 0 end) as web_sessions_30d,
        sum(page_seconds) as web_time_on_site_seconds_total,
        sum(case when is_in_last_30d then page_seconds else 0 end) as web_time_on_site_seconds_30d,
        sum(pricing_page_view_count) as web_pricing_page_views_total,
        sum(case when is_in_last_30d then pricing_page_view_count else 0 end)
            as web_pricing_page_views_30d,
        sum(demo_page_view_count) as web_demo_page_views_total,
        sum(case when is_in_last_30d then demo_page_view_count else 0 end)
            as web_demo_page_views_30d,
        sum(careers_page_view_count) as web_careers_page_views_total,
        sum(download_count) as web_downloads_total,
        sum(case when is_in_last_30d then download_count else 0 end) as web_downloads_30d,
        sum(demo_request_count) as web_demo_requests_total,
        sum(webinar_attended_count) as web_webinars_attended_total,
        count(distinct case when web_page_view_count > 0 then activity_date end)
            as web_visit_days_total,
        count(distinct case when web_page_view_count > 0 and is_in_last_30d then activity_date end)
            as web_visit_days_30d,
        max(last_event_at) as last_visit_at,
        max(last_web_page_view_at) as last_web_page_view_at,
        max(last_session_started_at) as last_session_started_at,
        max(last_pricing_page_view_at) as last_pricing_page_view_at,
        max(last_demo_page_view_at) as last_demo_page_view_at,
        max(last_careers_page_view_at) as last_careers_page_view_at,
        max(last_download_at) as last_download_at,
        max(last_demo_request_at) as last_demo_request_at,
        max(last_webinar_attended_at) as last_webinar_attended_at
    from days_as_of
    group by lead_id, as_of_date
),

final as (
    select
        spine.lead_id,
        spine.as_of_date,
        cast(coalesce(day_stats.web_page_views_total, 0) as {{ dbt.type_bigint() }})
            as web_page_views_total,
        cast(coalesce(day_stats.web_page_views_30d, 0) as {{ dbt.type_bigint() }})
            as web_page_views_30d,
        cast(coalesce(day_stats.web_sessions_total, 0) as {{ dbt.type_bigint() }})
            as web_sessions_total,
        cast(coalesce(day_stats.web_sessions_30d, 0) as {{ dbt.type_bigint() }})
            as web_sessions_30d,
        case
            when day_stats.web_sessions_total > 0
                then
                    cast(day_stats.all_page_views_total as {{ type_double_precision() }})
                    / day_stats.web_sessions_total
        end as web_pages_per_session,
        cast(coalesce(day_stats.web_time_on_site_seconds_total, 0) as {{ type_double_precision() }})
            as web_time_on_site_seconds_total,
        cast(coalesce(day_stats.web_time_on_site_seconds_30d, 0) as {{ type_double_precision() }})
            as web_time_on_site_seconds_30d,
        cast(coalesce(day_stats.web_pricing_page_views_total, 0) as {{ dbt.type_bigint() }})
            as web_pricing_page_views_total,
        cast(coalesce(day_stats.web_pricing_page_views_30d, 0) as {{ dbt.type_bigint() }})
            as web_pricing_page_views_30d,
        cast(coalesce(day_stats.web_demo_page_views_total, 0) as {{ dbt.type_bigint() }})
            as web_demo_page_views_total,
        cast(coalesce(day_stats.web_demo_page_views_30d, 0) as {{ dbt.type_bigint() }})
            as web_demo_page_views_30d,
        cast(coalesce(day_stats.web_careers_page_views_total, 0) as {{ dbt.type_bigint() }})
            as web_careers_page_views_total,
        cast(coalesce(day_stats.web_downloads_total, 0) as {{ dbt.type_bigint() }})
            as web_downloads_total,
        cast(coalesce(day_stats.web_downloads_30d, 0) as {{ dbt.type_bigint() }})
            as web_downloads_30d,
        cast(coalesce(day_stats.web_demo_requests_total, 0) as {{ dbt.type_bigint() }})
            as web_demo_requests_total,
        cast(coalesce(day_stats.web_webinars_attended_total, 0) as {{ dbt.type_bigint() }})
            as web_webinars_attended_total,
        coalesce(day_stats.web_visit_days_total, 0) as web_visit_days_total,
        coalesce(day_stats.web_visit_days_30d, 0) as web_visit_days_30d,
        cast(
            case
                when day_stats.web_sessions_total > 1 then day_stats.web_sessions_total - 1
                else 0
            end
            as {{ dbt.type_bigint() }}
        ) as web_return_visits_total,
        {{ dbt.datediff('cast(day_stats.last_visit_at as date)', 'spine.as_of_date', 'day') }}
            as web_days_since_last_visit,
        day_stats.last_visit_at,
        day_stats.last_web_page_view_at,
        day_stats.last_session_started_at,
        day_stats.last_pricing_page_view_at,
        day_stats.last_demo_page_view_at,
        day_stats.last_careers_page_view_at,
        day_stats.last_download_at,
        day_stats.last_demo_request_at,
        day_stats.last_webinar_attended_at
    from spine
    left join day_stats
        on
            spine.lead_id = day_stats.lead_id
            and spine.as_of_date = day_stats.as_of_date
)

select * from final
