{{ config(materialized='table') }}

{#- Negative and spam signals as of each scoring date: inactivity, opt-outs, and signs that a
    lead is not a real prospect (keyboard-mash or all-lower-case names, failed captchas,
    disposable, competitor or internal email domains, test names). Behavioural inputs come from
    the other feature families, so they follow the same as-of rules. -#}

{%- set full_name = dbt.concat([
    "coalesce(profiles.first_name, '')", "coalesce(profiles.last_name, '')"
]) -%}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

profiles as (
    select * from {{ ref('int_lead_crm_profiles') }}
),

email_domains as (
    select * from {{ ref('email_domains') }}
),

web_features as (
    select * from {{ ref('int_lead_features_web') }}
),

email_features as (
    select * from {{ ref('int_lead_features_email') }}
),

social_features as (
    select * from {{ ref('int_lead_features_social') }}
),

survey_features as (
    select * from {{ ref('int_lead_features_survey') }}
),

form_submissions as (
    select * from {{ ref('stg_forms__submissions') }}
),

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

lead_profiles as (
    select
        profiles.lead_id,
        profiles.as_of_date,
        {{ is_keyboard_mash('profiles.first_name') }}
        or {{ is_keyboard_mash('profiles.last_name') }} as negative_is_keyboard_mash_name,
        coalesce(
            {{ full_name }} = lower({{ full_name }})
            and {{ full_name }} != upper({{ full_name }}),
            false
        ) as negative_is_all_lowercase_name,
        coalesce(email_domains.domain_type = 'disposable', false) as negative_is_disposable_domain,
        coalesce(email_domains.domain_type = 'competitor', false) as negative_is_competitor_domain,
        coalesce(email_domains.domain_type = 'internal', false) as negative_is_internal_domain,
        coalesce(
            {{ regex_matches(
                "lower(" ~ dbt.concat([
                    "coalesce(profiles.first_name, '')", "' '",
                    "coalesce(profiles.last_name, '')", "' '",
                    "coalesce(profiles.company, '')"
                ]) ~ ")",
                '(^|[^a-z])(test|testing|tester|dummy|fake|sample|example)([^a-z]|$)'
            ) }}
            or {{ regex_matches("profiles.email", '^(test|testing|dummy|fake|example)[^a-z]*@') }},
            false
        ) as negative_is_test_name
    from profiles
    left join email_domains
        on profiles.email_domain = email_domains.domain
),

lead_form_submissions as (
    select
        form_submissions.submission_id,
        identity_map.lead_id,
        identity_map.linked_at,
        form_submissions.is_captcha_passed,
        form_submissions.submitted_at
    from form_submissions
    inner join identity_map
        on
            identity_map.identifier_type = 'email'
            and lower(trim(form_submissions.email)) = identity_map.identifier_value
    union all
    select
        form_submissions.submission_id,
        identity_map.lead_id,
        identity_map.linked_at,
        form_submissions.is_captcha_passed,
        form_submissions.submitted_at
    from form_submissions
    inner join identity_map
        on
            identity_map.identifier_type = 'anonymous_id'
            and form_submissions.anonymous_id = identity_map.identifier_value
),

form_stats as (
    select
        spine.lead_id,
        spine.as_of_date,
        count(
            distinct case
                when not lead_form_submissions.is_captcha_passed
                    then lead_form_submissions.submission_id
            end
        ) as negative_failed_captchas,
        max(
            case
                when not lead_form_submissions.is_captcha_passed
                    then lead_form_submissions.submitted_at
            end
        ) as last_failed_captcha_at,
        max(lead_form_submissions.submitted_at) as last_form_submission_at
    from lead_form_submissions
    inner join spine
        on
            lead_form_submissions.lead_id = spine.lead_id
            and lead_form_submissions.submitted_at < spine.cutoff_at
            and lead_form_submissions.linked_at < spine.cutoff_at
    group by spine.lead_id, spine.as_of_date
),

activity as (
    select
        spine.lead_id,
        spine.as_of_date,
        coalesce(
            greatest(
                web_features.last_visit_at,
                email_features.last_email_engagement_at,
                social_features.last_social_interaction_at,
                survey_features.last_survey_response_at,
                form_stats.last_form_submission_at
            ),
            spine.lead_created_at
        ) as last_activity_at,
        email_features.email_unsubscribes_total > 0 as negative_is_unsubscribed,
        email_features.email_hard_bounces_total > 0 as negative_has_hard_bounced,
        email_features.last_unsubscribe_at,
        email_features.last_hard_bounce_at,
        coalesce(form_stats.negative_failed_captchas, 0) as negative_failed_captchas,
        form_stats.last_failed_captcha_at
    from spine
    inner join web_features
        on
            spine.lead_id = web_features.lead_id
            and spine.as_of_date = web_features.as_of_date
    inner join email_features
        on
            spine.lead_id = email_features.lead_id
            and spine.as_of_date = email_features.as_of_date
    inner join social_features
        on
            spine.lead_id = social_features.lead_id
            and spine.as_of_date = social_features.as_of_date
    inner join survey_features
        on
            spine.lead_id = survey_features.lead_id
            and spine.as_of_date = survey_features.as_of_date
    left join form_stats
        on
            spine.lead_id = form_stats.lead_id
            and spine.as_of_date = form_stats.as_of_date
),

final as (
    select
        activity.lead_id,
        activity.as_of_date,
        {{ dbt.datediff('cast(activity.last_activity_at as date)', 'activity.as_of_date', 'day') }}
            as negative_days_inactive,
        activity.negative_is_unsubscribed,
        activity.negative_has_hard_bounced,
        lead_profiles.negative_is_keyboard_mash_name,
        lead_profiles.negative_is_all_lowercase_name,
        activity.negative_failed_captchas,
        lead_profiles.negative_is_disposable_domain,
        lead_profiles.negative_is_competitor_domain,
        lead_profiles.negative_is_internal_domain,
        lead_profiles.negative_is_test_name,
        activity.last_activity_at,
        activity.last_unsubscribe_at,
        activity.last_hard_bounce_at,
        activity.last_failed_captcha_at
    from activity
    inner join lead_profiles
        on
            activity.lead_id = lead_profiles.lead_id
            and activity.as_of_date = lead_profiles.as_of_date
)

select * from final
