{#- The staged rows of base_crm__accounts, with the columns documented for this model
    (_crm__models.yml). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_crm__accounts') }}
where row_status = 'staged'
