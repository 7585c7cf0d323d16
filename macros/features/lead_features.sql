{#- The built-in features, by family: the one list of them. int_lead_features_long unpivots exactly
    these (plus the CRM custom fields of seed crm_custom_fields, family `custom`, see lead_features) and
    int_feature_catalog describes exactly the same, so the list is written once. Each feature is a
    column of its family's wide model (int_lead_features_<family>) named like the feature. Keys:
    feature_name, value_type (numeric, boolean or text), decay_kind (how a rule's points on it decay,
    seed scoring_decay_half_lives; none = no decay), last_at_column (column of the wide model with the
    time of the last event behind the feature, or none) and description. -#}
{% macro builtin_features() -%}
    {{ return({
        'fit': [
            {'feature_name': 'fit_persona', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Buyer persona from the job title (seed job_title_personas, first matching pattern): '
                'data_leader, data_practitioner, technical_leader, engineer, business_leader, '
                'business_user, student; other when no pattern matches, unknown without a title.'},
            {'feature_name': 'fit_seniority', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Seniority from the job title (seed job_title_personas): c_level, vp, director, manager, '
                'senior, entry; individual_contributor when no pattern matches, unknown without a title.'},
            {'feature_name': 'fit_country_code', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'ISO-2 country code of the lead (upper case); unknown when missing.'},
            {'feature_name': 'fit_region', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Sales region of the country (macro country_region): na, latam, emea, apac, other, '
                'unknown.'},
            {'feature_name': 'fit_employee_count', 'value_type': 'numeric', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Company head count from the CRM (null when unknown).'},
            {'feature_name': 'fit_company_size_band', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Company size band from the head count: 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5001+, '
                'unknown.'},
            {'feature_name': 'fit_industry', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Industry from the CRM, lower case; unknown when missing.'},
            {'feature_name': 'fit_annual_revenue_usd', 'value_type': 'numeric', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Company annual revenue in USD from the CRM (null when unknown).'},
            {'feature_name': 'fit_revenue_band', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Annual revenue band: under_1m, 1m_10m, 10m_100m, 100m_1b, 1b_plus, unknown.'},
            {'feature_name': 'fit_email_domain_type', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'What the email domain says (seed email_domains): business (not listed), free_mail, '
                'disposable, competitor, internal.'},
            {'feature_name': 'fit_is_free_mail_domain', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'The lead\'s email is at a free-mail provider (gmail.com, outlook.com, ...).'},
            {'feature_name': 'fit_is_business_email', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'The lead\'s email domain is not in seed email_domains (a company domain).'},
            {'feature_name': 'fit_has_phone', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'The CRM record has a phone number.'},
            {'feature_name': 'fit_lead_source', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Lead source picklist value from the CRM, lower case; unknown when missing.'},
        ],
        'web': [
            {'feature_name': 'web_page_views_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_web_page_view_at',
             'description': 'Page views of the website and docs (not the product app) up to as_of_date.'},
            {'feature_name': 'web_page_views_30d', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_web_page_view_at',
             'description': 'Page views of the website and docs in the 30 days ending on as_of_date.'},
            {'feature_name': 'web_sessions_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_session_started_at',
             'description': 'Sessions (30 minutes of inactivity end a session) started up to as_of_date.'},
            {'feature_name': 'web_sessions_30d', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_session_started_at',
             'description': 'Sessions started in the 30 days ending on as_of_date.'},
            {'feature_name': 'web_pages_per_session', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_session_started_at',
             'description': 'Page views of any kind (product pages included) per session, up to as_of_date; null '
                'without sessions.'},
            {'feature_name': 'web_time_on_site_seconds_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_visit_at',
             'description': 'Seconds spent on pages (sum of page durations) up to as_of_date.'},
            {'feature_name': 'web_time_on_site_seconds_30d', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_visit_at',
             'description': 'Seconds spent on pages in the 30 days ending on as_of_date.'},
            {'feature_name': 'web_pricing_page_views_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_pricing_page_view_at',
             'description': 'Pricing page views up to as_of_date.'},
            {'feature_name': 'web_pricing_page_views_30d', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_pricing_page_view_at',
             'description': 'Pricing page views in the 30 days ending on as_of_date.'},
            {'feature_name': 'web_demo_page_views_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_demo_page_view_at',
             'description': 'Demo page views up to as_of_date.'},
            {'feature_name': 'web_demo_page_views_30d', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_demo_page_view_at',
             'description': 'Demo page views in the 30 days ending on as_of_date.'},
            {'feature_name': 'web_careers_page_views_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_careers_page_view_at',
             'description': 'Careers page views up to as_of_date (a job seeker rather than a buyer).'},
            {'feature_name': 'web_downloads_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_download_at',
             'description': 'Content downloads (file_downloaded: whitepapers, ebooks, datasheets, case studies) up to '
                'as_of_date.'},
            {'feature_name': 'web_downloads_30d', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_download_at',
             'description': 'Content downloads in the 30 days ending on as_of_date.'},
            {'feature_name': 'web_demo_requests_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_demo_request_at',
             'description': 'Demo requests (demo_requested events) up to as_of_date.'},
            {'feature_name': 'web_webinars_attended_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_webinar_attended_at',
             'description': 'Webinars attended (webinar_attended events) up to as_of_date.'},
            {'feature_name': 'web_visit_days_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_web_page_view_at',
             'description': 'Distinct days with a website or docs page view up to as_of_date.'},
            {'feature_name': 'web_visit_days_30d', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_web_page_view_at',
             'description': 'Distinct days with a website or docs page view in the 30 days ending on as_of_date.'},
            {'feature_name': 'web_return_visits_total', 'value_type': 'numeric', 'decay_kind': 'web',
             'last_at_column': 'last_session_started_at',
             'description': 'Sessions after the first one (return visits) up to as_of_date.'},
            {'feature_name': 'web_days_since_last_visit', 'value_type': 'numeric', 'decay_kind': 'none',
             'last_at_column': 'last_visit_at',
             'description': 'Days between the lead\'s last web or product event and as_of_date; null when never seen.'},
        ],
        'product': [
            {'feature_name': 'product_has_signed_up', 'value_type': 'boolean', 'decay_kind': 'product',
             'last_at_column': 'signed_up_at',
             'description': 'The lead signed up for the product (signed_up event) by as_of_date.'},
            {'feature_name': 'product_has_started_trial', 'value_type': 'boolean', 'decay_kind': 'product',
             'last_at_column': 'trial_started_at',
             'description': 'The lead started a trial (trial_started event) by as_of_date.'},
            {'feature_name': 'product_onboarding_steps_completed', 'value_type': 'numeric', 'decay_kind': 'product',
             'last_at_column': 'last_onboarding_step_at',
             'description': 'Distinct onboarding steps (1-5) completed by as_of_date.'},
            {'feature_name': 'product_api_calls_total', 'value_type': 'numeric', 'decay_kind': 'product',
             'last_at_column': 'last_api_call_at',
             'description': 'API calls made up to as_of_date.'},
            {'feature_name': 'product_api_calls_30d', 'value_type': 'numeric', 'decay_kind': 'product',
             'last_at_column': 'last_api_call_at',
             'description': 'API calls made in the 30 days ending on as_of_date.'},
            {'feature_name': 'product_features_adopted', 'value_type': 'numeric', 'decay_kind': 'product',
             'last_at_column': 'last_feature_used_at',
             'description': 'Distinct product features used (feature_used events) by as_of_date.'},
            {'feature_name': 'product_feature_uses_30d', 'value_type': 'numeric', 'decay_kind': 'product',
             'last_at_column': 'last_feature_used_at',
             'description': 'Feature uses (feature_used events) in the 30 days ending on as_of_date.'},
            {'feature_name': 'product_active_days_30d', 'value_type': 'numeric', 'decay_kind': 'product',
             'last_at_column': 'last_product_event_at',
             'description': 'Distinct days with product activity (product events or app pages) in the 30 days ending '
                'on as_of_date.'},
            {'feature_name': 'product_days_to_first_key_action', 'value_type': 'numeric', 'decay_kind': 'none',
             'last_at_column': 'first_key_action_at',
             'description': 'Days from first touch (CRM creation or first web event, whichever came first) to the '
                'first sign-up or trial start; null when neither happened by as_of_date.'},
        ],
        'email': [
            {'feature_name': 'email_sends_total', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_sent_at',
             'description': 'Marketing emails sent to the lead up to as_of_date.'},
            {'feature_name': 'email_sends_30d', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_sent_at',
             'description': 'Marketing emails sent in the 30 days ending on as_of_date.'},
            {'feature_name': 'email_opens_total', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_open_at',
             'description': 'Email opens up to as_of_date.'},
            {'feature_name': 'email_opens_30d', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_open_at',
             'description': 'Email opens in the 30 days ending on as_of_date.'},
            {'feature_name': 'email_clicks_total', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_click_at',
             'description': 'Email link clicks up to as_of_date.'},
            {'feature_name': 'email_clicks_30d', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_click_at',
             'description': 'Email link clicks in the 30 days ending on as_of_date.'},
            {'feature_name': 'email_replies_total', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_reply_at',
             'description': 'Email replies up to as_of_date.'},
            {'feature_name': 'email_open_rate', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_open_at',
             'description': 'Share of campaigns sent to the lead that it opened (distinct campaigns), up to '
                'as_of_date; null when nothing was sent.'},
            {'feature_name': 'email_click_through_rate', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_click_at',
             'description': 'Share of campaigns sent to the lead in which it clicked (distinct campaigns), up to '
                'as_of_date; null when nothing was sent.'},
            {'feature_name': 'email_bounces_total', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_email_bounce_at',
             'description': 'Bounces (hard and soft) up to as_of_date.'},
            {'feature_name': 'email_hard_bounces_total', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_hard_bounce_at',
             'description': 'Hard bounces up to as_of_date.'},
            {'feature_name': 'email_unsubscribes_total', 'value_type': 'numeric', 'decay_kind': 'email',
             'last_at_column': 'last_unsubscribe_at',
             'description': 'Unsubscribe events up to as_of_date.'},
        ],
        'social': [
            {'feature_name': 'social_likes_total', 'value_type': 'numeric', 'decay_kind': 'social',
             'last_at_column': 'last_like_at',
             'description': 'Likes of the company\'s posts by the lead\'s social handle up to as_of_date.'},
            {'feature_name': 'social_shares_total', 'value_type': 'numeric', 'decay_kind': 'social',
             'last_at_column': 'last_share_at',
             'description': 'Shares of the company\'s posts up to as_of_date.'},
            {'feature_name': 'social_comments_total', 'value_type': 'numeric', 'decay_kind': 'social',
             'last_at_column': 'last_comment_at',
             'description': 'Comments on the company\'s posts up to as_of_date.'},
            {'feature_name': 'social_follows_total', 'value_type': 'numeric', 'decay_kind': 'social',
             'last_at_column': 'last_follow_at',
             'description': 'Follows of the company\'s profile up to as_of_date.'},
            {'feature_name': 'social_interactions_total', 'value_type': 'numeric', 'decay_kind': 'social',
             'last_at_column': 'last_social_interaction_at',
             'description': 'All social interactions (likes, shares, comments, follows) up to as_of_date.'},
            {'feature_name': 'social_interactions_30d', 'value_type': 'numeric', 'decay_kind': 'social',
             'last_at_column': 'last_social_interaction_at',
             'description': 'Social interactions in the 30 days ending on as_of_date.'},
            {'feature_name': 'social_platforms_engaged', 'value_type': 'numeric', 'decay_kind': 'social',
             'last_at_column': 'last_social_interaction_at',
             'description': 'Distinct platforms (linkedin, x) the lead engaged on up to as_of_date.'},
        ],
        'survey': [
            {'feature_name': 'survey_responses_total', 'value_type': 'numeric', 'decay_kind': 'survey',
             'last_at_column': 'last_survey_response_at',
             'description': 'Survey answers given up to as_of_date.'},
            {'feature_name': 'survey_latest_purchase_intent_rating', 'value_type': 'numeric', 'decay_kind': 'survey',
             'last_at_column': 'last_purchase_intent_at',
             'description': 'Latest 0-10 answer to the purchase_intent question by as_of_date; null when never asked.'},
            {'feature_name': 'survey_latest_nps_rating', 'value_type': 'numeric', 'decay_kind': 'survey',
             'last_at_column': 'last_nps_at',
             'description': 'Latest 0-10 NPS rating by as_of_date; null when never answered.'},
            {'feature_name': 'survey_latest_use_case', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Latest answer to the use_case question by as_of_date (lower case); null when never '
                'answered.'},
            {'feature_name': 'survey_latest_team_size', 'value_type': 'text', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Latest answer to the team_size question by as_of_date (lower case); null when never '
                'answered.'},
            {'feature_name': 'survey_latest_sentiment', 'value_type': 'numeric', 'decay_kind': 'survey',
             'last_at_column': 'last_sentiment_answer_at',
             'description': 'Sentiment (-1 to 1) of the latest answer by as_of_date whose text holds a term of seed '
                'survey_sentiment_lexicon (int_survey_answer_sentiment); null when none does.'},
            {'feature_name': 'survey_intent_answers_total', 'value_type': 'numeric', 'decay_kind': 'survey',
             'last_at_column': 'last_intent_answer_at',
             'description': 'Answers that signal buying intent (purchase intent rated 8+, or text about buying, '
                'evaluating, pricing, a quote, an upgrade, budget, timing) up to as_of_date.'},
            {'feature_name': 'survey_has_intent_answer', 'value_type': 'boolean', 'decay_kind': 'survey',
             'last_at_column': 'last_intent_answer_at',
             'description': 'At least one answer signalling buying intent by as_of_date.'},
        ],
        'negative': [
            {'feature_name': 'negative_days_inactive', 'value_type': 'numeric', 'decay_kind': 'none',
             'last_at_column': 'last_activity_at',
             'description': 'Days between the lead\'s last activity (web or product event, email open/click/reply, '
                'social interaction, survey answer, form submission; CRM creation when none) and '
                'as_of_date.'},
            {'feature_name': 'negative_is_unsubscribed', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': 'last_unsubscribe_at',
             'description': 'The lead unsubscribed from email by as_of_date.'},
            {'feature_name': 'negative_has_hard_bounced', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': 'last_hard_bounce_at',
             'description': 'An email to the lead hard-bounced by as_of_date.'},
            {'feature_name': 'negative_is_keyboard_mash_name', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'First or last name looks like keyboard mashing (macro is_keyboard_mash: keyboard-row '
                'runs, no vowels, 6+ consonants in a row).'},
            {'feature_name': 'negative_is_all_lowercase_name', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'First and last name typed all in lower case.'},
            {'feature_name': 'negative_failed_captchas', 'value_type': 'numeric', 'decay_kind': 'none',
             'last_at_column': 'last_failed_captcha_at',
             'description': 'Form submissions of the lead (by email or linked visitor) that failed the captcha, up to '
                'as_of_date.'},
            {'feature_name': 'negative_is_disposable_domain', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'The email is at a disposable (throw-away) inbox domain.'},
            {'feature_name': 'negative_is_competitor_domain', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'The email is at a competitor\'s domain.'},
            {'feature_name': 'negative_is_internal_domain', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'The email is at our own domain (acmeanalytics.io): an internal or test lead.'},
            {'feature_name': 'negative_is_test_name', 'value_type': 'boolean', 'decay_kind': 'none',
             'last_at_column': none,
             'description': 'Name, company or email local part says test, testing, tester, dummy, fake, sample or '
                'example.'},
        ],
    }) }}
{%- endmacro %}


{#- Every feature by family: builtin_features() plus the family `custom`, one feature per row of seed
    crm_custom_fields (see crm_custom_fields), value_type numeric, boolean or text (categorical),
    no decay. Read from the seed at compile time, so the custom family is empty while dbt parses. -#}
{% macro lead_features() -%}
    {%- set families = builtin_features() -%}
    {%- set custom = [] -%}
    {%- for field in crm_custom_fields() -%}
        {%- do custom.append({
            'feature_name': field.feature_name,
            'value_type': field.feature_value_type,
            'decay_kind': 'none',
            'last_at_column': none,
            'description': field.description,
        }) -%}
    {%- endfor -%}
    {%- do families.update({'custom': custom}) -%}
    {{ return(families) }}
{%- endmacro %}


{#- SQL of the rows of int_feature_catalog: one `select` of literals per feature of lead_features(),
    joined by union all (feature_name, feature_family, value_type, decay_kind, description). -#}
{% macro feature_catalog_rows() -%}
    {%- set selects = [] -%}
    {%- for family, features in lead_features().items() -%}
        {%- for feature in features -%}
            {%- set values = [feature.feature_name, family, feature.value_type, feature.decay_kind,
                feature.description] -%}
            {%- set names = ['feature_name', 'feature_family', 'value_type', 'decay_kind', 'description'] -%}
            {%- set columns = [] -%}
            {%- for value in values -%}
                {%- do columns.append("cast('" ~ (value | replace("'", "''")) ~ "' as "
                    ~ dbt.type_string() ~ ") as " ~ names[loop.index0]) -%}
            {%- endfor -%}
            {%- do selects.append('select ' ~ columns | join(', ')) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ selects | join('\n    union all\n    ') }}
{%- endmacro %}
