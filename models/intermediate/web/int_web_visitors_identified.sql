{#- The web visitors tied to a lead, keyed like the web models (macro web_visitor_id): browser
    visitors by anonymous_id, server-side event senders by 'user:' + product user_id; with the time
    the link became known (int_identity_map.linked_at). -#}

with

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

final as (
    select
        identifier_value as visitor_id,
        lead_id,
        linked_at
    from identity_map
    where identifier_type = 'anonymous_id'
    union all
    select
        {{ web_visitor_id('cast(null as ' ~ dbt.type_string() ~ ')', 'identifier_value') }}
            as visitor_id,
        lead_id,
        linked_at
    from identity_map
    where identifier_type = 'user_id'
)

select * from final
