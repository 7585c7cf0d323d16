{{ config(materialized='table') }}

{#- The gate every mart depends on (macro ref adds the dependency): this node runs only when every
    seed loaded and passed its tests, the models that validate the scoring seeds (int_scoring_*,
    int_rule_set_assignment) passed, and every var is well formed (macro check_build_vars). When any of
    them fails, dbt skips this node and so every mart: the marts stay as the last good run left them,
    consistent with each other. One row per checked input with its row count. -#}

{%- do check_build_vars() -%}

{%- set seeds = [
    'account_grade_bands', 'account_mqa_thresholds', 'account_scoring_rules',
    'bot_user_agent_patterns', 'campaign_spend', 'country_codes', 'crm_custom_fields', 'email_domains',
    'job_title_personas', 'kpi_definitions', 'next_best_actions', 'page_url_patterns',
    'rule_set_assignment', 'sales_territories', 'score_bands', 'scoring_category_caps',
    'scoring_decay_half_lives', 'scoring_grade_bands', 'scoring_mql_thresholds', 'scoring_models',
    'scoring_rules',
    'survey_sentiment_lexicon', 'web_event_names',
] -%}
{#- lifecycle resets (issue 18, part 4): its seed and the model that validates it -#}
{%- do seeds.append('scoring_lifecycle_resets') -%}
{%- set validating_models = [
    'int_account_grade_bands', 'int_account_mqa_thresholds', 'int_account_scoring_rules',
    'int_rule_set_assignment', 'int_scoring_category_caps', 'int_scoring_decay_half_lives',
    'int_scoring_grade_bands', 'int_scoring_mql_thresholds', 'int_scoring_models', 'int_scoring_rules',
] -%}
{%- do validating_models.append('int_scoring_lifecycle_resets') -%}

with

final as (
    {% for name in seeds + validating_models %}
        select
            '{{ name }}' as input_name,
            '{{ "seed" if name in seeds else "validating model" }}' as input_kind,
            count(*) as row_count
        from {{ ref(name) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
