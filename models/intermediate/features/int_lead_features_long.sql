{{ config(materialized='table') }}

{#- All features in one long table, the rules engine's input: one row per (lead, scoring date,
    feature). Every feature listed here is described in seed feature_catalog (a singular test
    checks both ways). Each entry: (feature_name = the wide column, value_type, column with the
    time of the last event behind the feature or none for non-behavioural features). -#}

{%- set families = {
    'fit': [
        ('fit_persona', 'text', none),
        ('fit_seniority', 'text', none),
        ('fit_country_code', 'text', none),
        ('fit_region', 'text', none),
        ('fit_employee_count', 'numeric', none),
        ('fit_company_size_band', 'text', none),
        ('fit_industry', 'text', none),
        ('fit_annual_revenue_usd', 'numeric', none),
        ('fit_revenue_band', 'text', none),
        ('fit_email_domain_type', 'text', none),
        ('fit_is_free_mail_domain', 'boolean', none),
        ('fit_is_business_email', 'boolean', none),
        ('fit_has_phone', 'boolean', none),
        ('fit_lead_source', 'text', none),
    ],
    'web': [
        ('web_page_views_total', 'numeric', 'last_web_page_view_at'),
        ('web_page_views_30d', 'numeric', 'last_web_page_view_at'),
        ('web_sessions_total', 'numeric', 'last_session_started_at'),
        ('web_sessions_30d', 'numeric', 'last_session_started_at'),
        ('web_pages_per_session', 'numeric', 'last_session_started_at'),
        ('web_time_on_site_seconds_total', 'numeric', 'last_visit_at'),
        ('web_time_on_site_seconds_30d', 'numeric', 'last_visit_at'),
        ('web_pricing_page_views_total', 'numeric', 'last_pricing_page_view_at'),
        ('web_pricing_page_views_30d', 'numeric', 'last_pricing_page_view_at'),
        ('web_demo_page_views_total', 'numeric', 'last_demo_page_view_at'),
        ('web_demo_page_views_30d', 'numeric', 'last_demo_page_view_at'),
        ('web_careers_page_views_total', 'numeric', 'last_careers_page_view_at'),
        ('web_downloads_total', 'numeric', 'last_download_at'),
        ('web_downloads_30d', 'numeric', 'last_download_at'),
        ('web_demo_requests_total', 'numeric', 'last_demo_request_at'),
        ('web_webinars_attended_total', 'numeric', 'last_webinar_attended_at'),
        ('web_visit_days_total', 'numeric', 'last_web_page_view_at'),
        ('web_visit_days_30d', 'numeric', 'last_web_page_view_at'),
        ('web_return_visits_total', 'numeric', 'last_session_started_at'),
        ('web_days_since_last_visit', 'numeric', 'last_visit_at'),
    ],
    'product': [
        ('product_has_signed_up', 'boolean', 'signed_up_at'),
        ('product_has_started_trial', 'boolean', 'trial_started_at'),
        ('product_onboarding_steps_completed', 'numeric', 'last_onboarding_step_at'),
        ('product_api_calls_total', 'numeric', 'last_api_call_at'),
        ('product_api_calls_30d', 'numeric', 'last_api_call_at'),
        ('product_features_adopted', 'numeric', 'last_feature_used_at'),
        ('product_feature_uses_30d', 'numeric', 'last_feature_used_at'),
        ('product_active_days_30d', 'numeric', 'last_product_event_at'),
        ('product_days_to_first_key_action', 'numeric', 'first_key_action_at'),
    ],
    'email': [
        ('email_sends_total', 'numeric', 'last_email_sent_at'),
        ('email_sends_30d', 'numeric', 'last_email_sent_at'),
        ('email_opens_total', 'numeric', 'last_email_open_at'),
        ('email_opens_30d', 'numeric', 'last_email_open_at'),
        ('email_clicks_total', 'numeric', 'last_email_click_at'),
        ('email_clicks_30d', 'numeric', 'last_email_click_at'),
        ('email_replies_total', 'numeric', 'last_email_reply_at'),
        ('email_open_rate', 'numeric', 'last_email_open_at'),
        ('email_click_through_rate', 'numeric', 'last_email_click_at'),
        ('email_bounces_total', 'numeric', 'last_email_bounce_at'),
        ('email_hard_bounces_total', 'numeric', 'last_hard_bounce_at'),
        ('email_unsubscribes_total', 'numeric', 'last_unsubscribe_at'),
    ],
    'social': [
        ('social_likes_total', 'numeric', 'last_like_at'),
        ('social_shares_total', 'numeric', 'last_share_at'),
        ('social_comments_total', 'numeric', 'last_comment_at'),
        ('social_follows_total', 'numeric', 'last_follow_at'),
        ('social_interactions_total', 'numeric', 'last_social_interaction_at'),
        ('social_interactions_30d', 'numeric', 'last_social_interaction_at'),
        ('social_platforms_engaged', 'numeric', 'last_social_interaction_at'),
    ],
    'survey': [
        ('survey_responses_total', 'numeric', 'last_survey_response_at'),
        ('survey_latest_purchase_intent_rating', 'numeric', 'last_purchase_intent_at'),
        ('survey_latest_nps_rating', 'numeric', 'last_nps_at'),
        ('survey_latest_use_case', 'text', none),
        ('survey_latest_team_size', 'text', none),
        ('survey_intent_answers_total', 'numeric', 'last_intent_answer_at'),
        ('survey_has_intent_answer', 'boolean', 'last_intent_answer_at'),
    ],
    'negative': [
        ('negative_days_inactive', 'numeric', 'last_activity_at'),
        ('negative_is_unsubscribed', 'boolean', 'last_unsubscribe_at'),
        ('negative_has_hard_bounced', 'boolean', 'last_hard_bounce_at'),
        ('negative_is_keyboard_mash_name', 'boolean', none),
        ('negative_is_all_lowercase_name', 'boolean', none),
        ('negative_failed_captchas', 'numeric', 'last_failed_captcha_at'),
        ('negative_is_disposable_domain', 'boolean', none),
        ('negative_is_competitor_domain', 'boolean', none),
        ('negative_is_internal_domain', 'boolean', none),
        ('negative_is_test_name', 'boolean', none),
    ],
} -%}

{#- ref() outside any condition, so that dbt always records the dependency. -#}
{%- set custom_relation = ref('int_lead_features_custom') -%}
{%- set custom_features = [] -%}
{%- for field in crm_custom_fields(ref('crm_custom_fields'), ref('int_lead_crm_profiles')) -%}
    {%- do custom_features.append(
        (field.feature_name, 'numeric' if field.value_type == 'numeric' else 'text', none)
    ) -%}
{%- endfor -%}
{%- do families.update({'custom': custom_features}) -%}

with

fit as (
    select * from {{ ref('int_lead_features_fit') }}
),

web as (
    select * from {{ ref('int_lead_features_web') }}
),

product as (
    select * from {{ ref('int_lead_features_product') }}
),

email as (
    select * from {{ ref('int_lead_features_email') }}
),

social as (
    select * from {{ ref('int_lead_features_social') }}
),

survey as (
    select * from {{ ref('int_lead_features_survey') }}
),

negative as (
    select * from {{ ref('int_lead_features_negative') }}
),

{%- if custom_features %}

    custom as (
        select * from {{ custom_relation }}
    ),
{%- endif %}

final as (
    {%- set non_empty = [] -%}
    {%- for family, features in families.items() if features -%}
        {%- do non_empty.append((family, features)) -%}
    {%- endfor -%}
    {%- for family, features in non_empty %}
        {{ unpivot_features(family, features) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final
