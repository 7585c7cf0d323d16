{#- Post-hook of fct_lead_score_history: rows appended before scoring models existed (the column
    scoring_model, added by on_schema_change='append_new_columns', is null in them) belong to the
    default scoring model, so every reader of the history keys it by model without a special case. -#}
{% macro fill_default_scoring_model(relation) -%}
    {{ return(adapter.dispatch('fill_default_scoring_model', 'leadscore')(relation)) }}
{%- endmacro %}

{% macro default__fill_default_scoring_model(relation) -%}
    update {{ relation }}
    set scoring_model = (
        select max(scoring_models.scoring_model)
        from {{ ref('int_scoring_models') }} as scoring_models
        where scoring_models.is_default
    )
    where scoring_model is null
{%- endmacro %}

{#- Spark's plain parquet tables have no UPDATE: an existing Spark history keeps null scoring_model
    in its rows from before scoring models (new rows are complete); none is filled here. -#}
{% macro spark__fill_default_scoring_model(relation) -%}
{%- endmacro %}
