{#- The account features the account scoring rules (seed account_scoring_rules) may read: written once
    here, read by the seed's validation (int_account_scoring_rules), the rules engine
    (int_account_score_contributions) and the docs. `category` says which points a rule on the feature
    gives (fit: firmographics, engagement: the account's leads); `value_type` numeric features are
    matched by a [min_value, max_value) band, text features by a '|'-separated list. -#}
{% macro account_features() -%}
    {{ return([
        {'name': 'employee_count', 'category': 'fit', 'value_type': 'numeric'},
        {'name': 'annual_revenue_usd', 'category': 'fit', 'value_type': 'numeric'},
        {'name': 'industry', 'category': 'fit', 'value_type': 'text'},
        {'name': 'region', 'category': 'fit', 'value_type': 'text'},
        {'name': 'segment', 'category': 'fit', 'value_type': 'text'},
        {'name': 'linked_leads', 'category': 'engagement', 'value_type': 'numeric'},
        {'name': 'engaged_leads', 'category': 'engagement', 'value_type': 'numeric'},
        {'name': 'personas_engaged', 'category': 'engagement', 'value_type': 'numeric'},
        {'name': 'mql_leads', 'category': 'engagement', 'value_type': 'numeric'},
        {'name': 'max_lead_score', 'category': 'engagement', 'value_type': 'numeric'},
    ]) }}
{%- endmacro %}

{#- A company name reduced to a key for matching a lead's company with a CRM account's name: lower case,
    every run of characters other than a-z and 0-9 one space, legal-form words (inc, llc, gmbh, ...)
    dropped, spaces collapsed. 'Blue Labs Inc.', ' BLUE LABS INC. ' and 'Blue Labs' give the same key.
    Regular expressions (macro regex_replace_all), not nested replace() calls: SQL parsers choke on
    dozens of nested calls. The legal forms are removed twice, as one pass cannot drop two adjacent
    words ('co ltd') that share the space between them. -#}
{% macro company_name_key(expression) -%}
    {%- set legal_forms = ' (inc|incorporated|llc|ltd|limited|gmbh|corp|corporation|co|company|s a|sa|ag|bv'
        ~ '|plc|nv|sarl|srl) ' -%}
    {%- set words = dbt.concat([
        "' '", regex_replace_all('lower(' ~ expression ~ ')', '[^a-z0-9]+', ' '), "' '"
    ]) -%}
    {%- set without_forms = regex_replace_all(regex_replace_all(words, legal_forms, ' '), legal_forms, ' ') -%}
    nullif(trim({{ regex_replace_all(without_forms, '[ ]+', ' ') }}), '')
{%- endmacro %}

{#- Sales segment of a company by head count: enterprise (1001+), mid_market (201-1000), smb (1-200),
    unknown (no head count). dim_leads segments leads and the account scores segment accounts with it. -#}
{% macro company_segment(employee_count) -%}
    case
        when coalesce({{ employee_count }}, 0) < 1 then 'unknown'
        when {{ employee_count }} > 1000 then 'enterprise'
        when {{ employee_count }} > 200 then 'mid_market'
        else 'smb'
    end
{%- endmacro %}
