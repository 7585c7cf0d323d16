{{ config(
    materialized='incremental',
    unique_key='score_date',
    incremental_strategy=leadscore.incremental_strategy('date_partitions'),
    partition_by=leadscore.incremental_partition_by('score_date'),
    on_schema_change='append_new_columns',
    full_refresh=false,
    post_hook="{{ leadscore.fill_default_scoring_model(this) }}"
) }}

{#- One row per lead, scoring model and scoring day, appended by each daily run; a re-run of a
    day replaces that whole day (delete+insert on score_date; on Spark, insert_overwrite of its date partition). Past
    scores cannot be recomputed once the rules changed, so `--full-refresh` leaves this table alone
    (full_refresh=false): drop it by hand to start the history over. A history from before scoring
    models gains the column scoring_model on its next run, its old rows set to the default model
    (macro fill_default_scoring_model). -#}

with

current_scores as (
    select * from {{ ref('int_lead_scores_current') }}
),

-- the post-hook (macro fill_default_scoring_model) reads the default model:
-- depends_on: {{ ref('int_scoring_models') }}

final as (
    select
        current_scores.scoring_model,
        current_scores.lead_id,
        current_scores.as_of_date as score_date,
        current_scores.rule_set_version,
        current_scores.persona,
        current_scores.fit_score,
        current_scores.engagement_score,
        current_scores.negative_points,
        current_scores.total_score,
        current_scores.grade,
        current_scores.mql_threshold,
        current_scores.is_spam,
        current_scores.is_mql
    from current_scores
)

select * from final
