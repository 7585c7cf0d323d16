{#- Fails on non-null values that are not normalised (lower-case, trimmed) valid email addresses. -#}
{% test valid_email(model, column_name) %}

with

emails as (

    select {{ column_name }} as email
    from {{ model }}
    where {{ column_name }} is not null

),

invalid_emails as (

    select email
    from emails
    where
        email <> lower(trim(email))
        or not {{ is_valid_email('email') }}

)

select * from invalid_emails

{% endtest %}
