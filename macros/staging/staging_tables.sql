{#- The registry of staged raw tables: for each, its source, the base model that buckets every raw row
    (staged / rejected / duplicate), the staging model, the key and the per-raw-row id. The audit models
    loop over it, so a new raw table is audited by adding one line here. -#}
{% macro staging_tables() -%}
    {%- set tables = [
        {'source': 'crm', 'table': 'leads', 'base': 'base_crm__leads', 'staging': 'stg_crm__leads',
         'key': 'crm_lead_id', 'row_id': 'crm_lead_row_id'},
        {'source': 'crm', 'table': 'accounts', 'base': 'base_crm__accounts', 'staging': 'stg_crm__accounts',
         'key': 'crm_account_id', 'row_id': 'crm_account_row_id'},
        {'source': 'crm', 'table': 'opportunities', 'base': 'base_crm__opportunities',
         'staging': 'stg_crm__opportunities', 'key': 'crm_opportunity_id', 'row_id': 'crm_opportunity_row_id'},
        {'source': 'crm', 'table': 'users', 'base': 'base_crm__users', 'staging': 'stg_crm__users',
         'key': 'crm_user_id', 'row_id': 'crm_user_row_id'},
        {'source': 'crm', 'table': 'mql_feedback', 'base': 'base_crm__mql_feedback',
         'staging': 'stg_crm__mql_feedback', 'key': 'mql_feedback_id', 'row_id': 'mql_feedback_row_id'},
        {'source': 'web', 'table': 'events', 'base': 'base_web__events', 'staging': 'stg_web__events',
         'key': 'event_id', 'row_id': 'web_event_row_id'},
        {'source': 'web', 'table': 'identifies', 'base': 'base_web__identifies',
         'staging': 'stg_web__identifies', 'key': 'message_id', 'row_id': 'web_identify_row_id'},
        {'source': 'email', 'table': 'campaigns', 'base': 'base_email__campaigns',
         'staging': 'stg_email__campaigns', 'key': 'campaign_id', 'row_id': 'email_campaign_row_id'},
        {'source': 'email', 'table': 'email_events', 'base': 'base_email__events',
         'staging': 'stg_email__events', 'key': 'email_event_id', 'row_id': 'email_event_row_id'},
        {'source': 'social', 'table': 'engagements', 'base': 'base_social__engagements',
         'staging': 'stg_social__engagements', 'key': 'engagement_id', 'row_id': 'social_engagement_row_id'},
        {'source': 'forms', 'table': 'submissions', 'base': 'base_forms__submissions',
         'staging': 'stg_forms__submissions', 'key': 'submission_id', 'row_id': 'form_submission_row_id'},
        {'source': 'surveys', 'table': 'responses', 'base': 'base_surveys__responses',
         'staging': 'stg_surveys__responses', 'key': 'response_id', 'row_id': 'survey_response_row_id'},
    ] -%}
    {#- label: the raw table's name in this project's contract (raw_<source>.<table>), whatever schema
        and identifier the vars point the source at, so the audit rows keep their names. -#}
    {%- for t in tables -%}
        {%- do t.update({'label': 'raw_' ~ t.source ~ '.' ~ t.table}) -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}
