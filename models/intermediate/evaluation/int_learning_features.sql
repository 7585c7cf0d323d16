{{ config(materialized='table') }}

{#- Design matrix of the logistic regression, long and sparse: one row per (lead, as-of date, term)
    with a non-zero value, for the backtest rows (int_backtest_labels) and every lead as of the
    run's as-of date. Terms: ln(1 + value) of every numeric or boolean feature (negative values count
    as 0) and `<feature>__missing` when it is null; `<feature>=<value>` for text features; the lead's
    age at the date (ln(1 + days) and `lead_age_under_<n>d` flags: behaviour of a new lead is still
    coming in). Absent rows are zeros. -#}

{%- set age_steps = [7, 14, 21, 28, 42, 60] %}

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

features as (
    select * from {{ ref('int_lead_features_long') }}
),

feature_catalog as (
    select * from {{ ref('int_feature_catalog') }}
),

rows_to_score as (
    select
        labels.lead_id,
        labels.as_of_date,
        labels.lead_age_days
    from labels
    union
    select
        spine.lead_id,
        spine.as_of_date,
        {{ dbt.datediff('spine.lead_created_at', 'spine.as_of_date', 'day') }} as lead_age_days -- noqa: LT05
    from spine
    inner join scoring_dates
        on spine.as_of_date = scoring_dates.as_of_date
    where scoring_dates.is_current_as_of_date
),

feature_values as (
    select
        rows_to_score.lead_id,
        rows_to_score.as_of_date,
        features.feature_name,
        feature_catalog.value_type,
        features.feature_value_numeric,
        lower(features.feature_value_text) as feature_value_text
    from rows_to_score
    inner join features
        on
            rows_to_score.lead_id = features.lead_id
            and rows_to_score.as_of_date = features.as_of_date
    inner join feature_catalog
        on features.feature_name = feature_catalog.feature_name
),

numeric_terms as (
    select
        feature_values.lead_id,
        feature_values.as_of_date,
        feature_values.feature_name as term,
        ln(1 + feature_values.feature_value_numeric) as term_value
    from feature_values
    where
        feature_values.value_type in ('numeric', 'boolean')
        and feature_values.feature_value_numeric > 0
),

missing_terms as (
    select
        feature_values.lead_id,
        feature_values.as_of_date,
        feature_values.feature_name || '__missing' as term,
        1.0 as term_value
    from feature_values
    where
        feature_values.feature_value_numeric is null
        and feature_values.feature_value_text is null
),

text_terms as (
    select
        feature_values.lead_id,
        feature_values.as_of_date,
        feature_values.feature_name || '=' || feature_values.feature_value_text as term,
        1.0 as term_value
    from feature_values
    where feature_values.value_type = 'text' and feature_values.feature_value_text is not null
),

age_terms as (
    select
        rows_to_score.lead_id,
        rows_to_score.as_of_date,
        'lead_age_days' as term,
        ln(1 + rows_to_score.lead_age_days) as term_value
    from rows_to_score
    where rows_to_score.lead_age_days > 0
    {%- for step in age_steps %}
        union all
        select
            rows_to_score.lead_id,
            rows_to_score.as_of_date,
            'lead_age_under_{{ step }}d' as term,
            1.0 as term_value
        from rows_to_score
        where rows_to_score.lead_age_days < {{ step }}
    {%- endfor %}
),

final as (
    select
        numeric_terms.lead_id,
        numeric_terms.as_of_date,
        numeric_terms.term,
        cast(numeric_terms.term_value as {{ type_double() }}) as term_value
    from numeric_terms
    union all
    select
        missing_terms.lead_id,
        missing_terms.as_of_date,
        missing_terms.term,
        cast(missing_terms.term_value as {{ type_double() }}) as term_value
    from missing_terms
    union all
    select
        text_terms.lead_id,
        text_terms.as_of_date,
        text_terms.term,
        cast(text_terms.term_value as {{ type_double() }}) as term_value
    from text_terms
    union all
    select
        age_terms.lead_id,
        age_terms.as_of_date,
        age_terms.term,
        cast(age_terms.term_value as {{ type_double() }}) as term_value
    from age_terms
)

select * from final
