{#- The end of every seed validation model: the CTE `problems` (how many rows of the CTE `checked`
    have a problem, and all of them in one message) and the expression that fails the build with it. -#}
{% macro seed_problems(label_expr, order_by_clause=none) -%}
problems as (
    select
        count(*) as problem_count,
        {{ dbt.listagg(label_expr ~ " || ': ' || problem", "'; '", order_by_clause) }} as problem_list
    from checked
    where problem is not null
)
{%- endmacro %}

{% macro seed_validation_error(seed_name) -%}
    {{ fail_if('problems.problem_count > 0', "'Bad seed " ~ seed_name ~ ": ' || problems.problem_list") }}
{%- endmacro %}
