{#- Generic test: no two rows of the model share the same values of `combination` (a list of
    columns), the composite-key counterpart of `unique` (dbt_utils'
    unique_combination_of_columns, which is not available here). -#}
{% test unique_column_combination(model, combination) %}

with

keyed_rows as (
    select
        {{ combination | join(',\n        ') }},
        count(*) as row_count
    from {{ model }}
    group by
        {{ combination | join(',\n        ') }}
)

select * from keyed_rows
where row_count > 1

{% endtest %}
