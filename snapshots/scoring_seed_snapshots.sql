{#- The snapshots of the scoring seeds (descriptions in _scoring__snapshots.yml). Blocks rather than
    YAML snapshots (`relation:`), for one reason: each waits for the build gate int_build_inputs_checked,
    as the marts do, so a seed that fails its validation is never kept as a version (a bad row would
    otherwise be logged as a change, and its fix as another). Keys as in macro scoring_seed_snapshots
    (tests/python/test_score_changes.py checks they agree). -#}

{% snapshot snap_scoring_rules %}
{{ config(unique_key='rule_id', strategy='check', check_cols='all', hard_deletes='invalidate') }}
-- depends_on: {{ ref('int_build_inputs_checked') }}
select * from {{ ref('scoring_rules') }}
{% endsnapshot %}

{% snapshot snap_scoring_category_caps %}
{{ config(unique_key=['rule_set_version', 'category'], strategy='check', check_cols='all', hard_deletes='invalidate') }}
-- depends_on: {{ ref('int_build_inputs_checked') }}
select * from {{ ref('scoring_category_caps') }}
{% endsnapshot %}

{% snapshot snap_scoring_decay_half_lives %}
{{ config(unique_key=['rule_set_version', 'decay_kind'], strategy='check', check_cols='all', hard_deletes='invalidate') }}
-- depends_on: {{ ref('int_build_inputs_checked') }}
select * from {{ ref('scoring_decay_half_lives') }}
{% endsnapshot %}

{% snapshot snap_scoring_mql_thresholds %}
{{ config(unique_key=['rule_set_version', 'persona'], strategy='check', check_cols='all', hard_deletes='invalidate') }}
-- depends_on: {{ ref('int_build_inputs_checked') }}
select * from {{ ref('scoring_mql_thresholds') }}
{% endsnapshot %}

{% snapshot snap_scoring_grade_bands %}
{{ config(unique_key=['rule_set_version', 'dimension', 'grade'], strategy='check', check_cols='all', hard_deletes='invalidate') }}
-- depends_on: {{ ref('int_build_inputs_checked') }}
select * from {{ ref('scoring_grade_bands') }}
{% endsnapshot %}

{% snapshot snap_rule_set_assignment %}
{{ config(unique_key='rule_set_version', strategy='check', check_cols='all', hard_deletes='invalidate') }}
-- depends_on: {{ ref('int_build_inputs_checked') }}
select * from {{ ref('rule_set_assignment') }}
{% endsnapshot %}
