{#- The CRM's users as the scoring marts need them: owners of leads (dim_leads) and, for the active
    ones, their place in their territory's round-robin (fct_lead_routing). -#}

with

users as (
    select * from {{ ref('stg_crm__users') }}
),

final as (
    select
        users.crm_user_id,
        users.user_name,
        users.territory,
        users.is_active,
        case
            when users.is_active
                then row_number() over (
                    partition by users.territory, users.is_active order by users.crm_user_id
                ) - 1
        end as rep_position,
        case
            when users.is_active
                then count(*) over (partition by users.territory, users.is_active)
        end as active_reps_in_territory
    from users
)

select * from final
