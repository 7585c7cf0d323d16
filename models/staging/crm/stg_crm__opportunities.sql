{#- The staged rows of base_crm__opportunities, with the columns documented for this model
    (_crm__models.yml). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_crm__opportunities') }}
where row_status = 'staged'
